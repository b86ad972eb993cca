"""The console scripts: `pipfile-lock = "hooks.entry_points:pipfile_lock"`, one per catalogue rule.

Each is made on demand from the catalogue (PEP 562 module `__getattr__`), so a rule module holds
only its rule, and nothing here names one.
"""

from __future__ import annotations

import gc
import os
import sys
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

            code = run_hook(rule, argv)
        finally:
            if enabled:
                gc.enable()
        if argv is None and os.path.basename(sys.argv[0]) == rule.id:
            _end(code)
        return code

    main.__name__ = name
    return main


def _end(code: int) -> None:
    """End a hook run as its console script, now: the output is flushed and every file written
    (atomically) already, and tearing down the interpreter's modules would cost a hook a fifth
    of its run. A failed flush (a full disk behind a redirection) still fails the run."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        code = 1
    os._exit(code)
