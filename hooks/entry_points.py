"""The console scripts: `pipfile-lock = "hooks.entry_points:pipfile_lock"`, one per catalogue rule.

Each is made on demand from the catalogue (PEP 562 module `__getattr__`), so a rule module holds
only its rule, and nothing here names one.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence

from hooks.catalogue import BY_ID


def __getattr__(name: str) -> Callable[[Sequence[str] | None], int]:
    rule = BY_ID.get(name.replace("_", "-"))
    if rule is None:
        raise AttributeError(name)

    def main(argv: Sequence[str] | None = None) -> int:
        # A hook is a short process whose records form no reference cycles: the cycle collector
        # would only walk the modules being imported, a twentieth of a hook's start-up.
        enabled = gc.isenabled()
        gc.disable()
        try:
            from hooks.runner import run_hook

            return run_hook(rule, argv)
        finally:
            if enabled:
                gc.enable()

    main.__name__ = name
    return main
