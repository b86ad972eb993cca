"""Every benchmark in one run: `python benchmarks/run.py [--quick]`.

Runs each benchmark script in this folder in turn (each times lockguard's hook against the real
tool doing the same job on the same files, in the same run) and prints their tables under one
heading that names the date and the machine, ready to quote in the README.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NOT_BENCHMARKS = {"run.py", "timing.py"}
# The slow ones, skipped by --quick.
SLOW = {"env_size.py", "monorepo.py"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"skip {', '.join(sorted(SLOW))}")
    args = parser.parse_args()
    cpu = ""
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    print(f"# lockguard benchmarks, {datetime.date.today()}")
    print(f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores {cpu}, {platform.python_implementation()} {platform.python_version()}\n")
    code = 0
    for name in sorted(os.listdir(HERE)):
        if not name.endswith(".py") or name in NOT_BENCHMARKS or (args.quick and name in SLOW):
            continue
        print(f"## {name[:-3]}\n")
        result = subprocess.run([sys.executable, os.path.join(HERE, name)], capture_output=True, text=True)
        print(result.stdout.rstrip() or result.stderr.rstrip())
        print()
        code |= result.returncode
    raise SystemExit(code)


if __name__ == "__main__":
    main()
