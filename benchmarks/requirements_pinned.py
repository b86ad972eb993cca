"""Time the requirements-pinned hook as pre-commit runs it: one typical file, a 1,000-line file
and 200 files, whole process, medians of several runs. `python benchmarks/requirements_pinned.py`"""
from __future__ import annotations

import os
import platform
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import measure, table, tool  # noqa: E402

TYPICAL = """\
# pip freeze
asgiref==3.8.1
Django==5.1.4
django-environ==0.11.2
gunicorn==23.0.0
psycopg2-binary==2.9.10
requests==2.32.3
sqlparse==0.5.3
whitenoise==6.8.2
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "requirements.txt"), "w") as handle:
            handle.write(TYPICAL)
        with open(os.path.join(work, "requirements-big.txt"), "w") as handle:
            handle.writelines(f"package-{i}=={i // 100}.{i % 100}.0 ; python_version >= '3.9'\n" for i in range(1000))
        os.mkdir(os.path.join(work, "many"))
        many = []
        for i in range(200):
            name = os.path.join("many", f"requirements-{i}.txt")
            with open(os.path.join(work, name), "w") as handle:
                handle.write(TYPICAL)
            many.append(name)
        hook = tool("requirements-pinned")
        rows = [
            measure("python -c pass (interpreter start)", [sys.executable, "-c", "pass"], work),
            measure("one typical file (9 lines)", [hook, "requirements.txt"], work),
            measure("one 1,000-line file", [hook, "requirements-big.txt"], work),
            measure("200 files", [hook, *many], work),
        ]
    print(f"requirements-pinned, {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores")
    print(table([(r.label, f"{r.median_ms:.0f} ms", f"{r.peak_mb:.0f} MB", str(r.exit_code)) for r in rows], ("run", "median", "peak RSS", "exit")))


if __name__ == "__main__":
    main()
