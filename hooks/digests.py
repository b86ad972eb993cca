"""SHA-256, the hash pipenv, Poetry and PDM record of a manifest, without loading OpenSSL.

`hashlib` loads OpenSSL's library on import, a tenth of a lock hook's start-up; CPython's
built-in SHA-256 module gives the same digest at a tenth of the cost.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

try:
    if sys.version_info >= (3, 12):
        from _sha2 import sha256
    else:
        from _sha256 import sha256  # type: ignore[import-not-found]  # no stub in typeshed
except ImportError:  # an interpreter without CPython's built-in modules
    from hashlib import sha256


def sha256_hex(text: str) -> str:
    """The hex SHA-256 of `text` encoded as UTF-8."""
    return sha256(text.encode("utf-8")).hexdigest()


def new(algorithm: str) -> Any:
    """A hasher for `algorithm` (a `hashlib` name); `hashlib` is loaded only for one other than SHA-256."""
    if algorithm == "sha256":
        return sha256()
    import hashlib

    return hashlib.new(algorithm)


def available(algorithm: str) -> bool:
    """Whether `new(algorithm)` can hash."""
    if algorithm == "sha256":
        return True
    import hashlib

    return algorithm in hashlib.algorithms_available
