"""Package names as indexes compare them."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[-_.]+")


def canonical(name: str) -> str:
    """The normalized name of PEP 503 (`Zope.Interface` -> `zope-interface`).

    What `packaging.utils.canonicalize_name` returns, without importing `packaging.utils`, which
    pulls in `packaging.tags` (platform detection: a fifth of a hook's start-up time).
    """
    return _SEPARATORS.sub("-", name).lower()
