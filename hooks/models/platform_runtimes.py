"""The Python runtimes Platform.sh and Upsun offer, deprecate and have retired, as data.

Source, read 2026-11-29: the Python page of the platform's documentation ("Supported versions"
and "Deprecated versions", both products' sites render the same image registry,
`shared/data/registry.json` of platformsh/platformsh-docs, 2026-08-11), which the Upsun CLI's
offline linter carries too (`internal/lint/registry/registry.json`: `supported` 3.14, 3.13;
`legacy` 3.12, 3.11, 3.10). Platform.sh (Upsun Fixed) and Upsun (Flex) list the same Python
versions, so one table serves `.platform.app.yaml`, `.platform/applications.yaml` and
`.upsun/*.yaml` apps alike. Retired versions (3.9 down to 2.7) left the registry in 2026; they
are the versions below the oldest one still listed.

A composable `stack`'s `python@X.Y` is judged against the same retired versions: the Nix
channels the platform supports no longer carry them. A version newer than any listed here is
not judged (this table may be older than the platform's newest image).
"""

from __future__ import annotations

import datetime

READ_ON = datetime.date(2026, 11, 29)
SOURCE = "the platform's Python documentation (Supported and Deprecated versions; docs image registry of 2026-08-11) and the Upsun CLI's lint registry"
SUPPORTED = ("3.14", "3.13")
DEPRECATED = ("3.12", "3.11", "3.10")  # still deployable, no longer updated for long
RETIRED = ("3.9", "3.8", "3.7", "3.6", "3.5", "2.7")  # the ones apps in the wild still name


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def is_retired(version: str) -> bool:
    """Is Python `version` (X.Y) one the platform no longer offers: a retired one, or any older
    than the oldest it still lists?"""
    try:
        key = _key(version)
    except ValueError:
        return False
    offered = (*SUPPORTED, *DEPRECATED)
    return version in RETIRED or (version not in offered and key < min(_key(v) for v in offered))
