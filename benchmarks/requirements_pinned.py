"""Time the requirements-pinned hook as pre-commit runs it: one typical file, a file with `-r` and
`-c` includes, markers, extras and hashes (lines the fast path of plain pins leaves to pip's
requirements parser), a 1,000-line file and 200 files, whole process, medians of several runs.
`python benchmarks/requirements_pinned.py`"""

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

# A split layout as Django and Flask apps commit it: production includes the base file and a
# constraints file. Includes, markers, extras and an option line are beyond the fast path's plain
# `name==version` lines, so every file imports and runs pip's requirements parser.
INCLUDES = {
    "requirements/base.txt": """\
-c constraints.txt
asgiref==3.8.1
Django==5.1.4 ; python_version >= "3.10"
django-environ==0.11.2
requests[socks]==2.32.3 ; python_version >= "3.8"
sqlparse==0.5.3
tzdata==2024.2 ; sys_platform == "win32"
""",
    "requirements/constraints.txt": """\
certifi==2024.8.30
charset-normalizer==3.4.0
idna==3.10
urllib3==2.2.3 ; python_version >= "3.8"
""",
    "requirements/production.txt": """\
-r base.txt
--index-url ${PIP_INDEX_URL}
gunicorn==23.0.0 \\
    --hash=sha256:ec400d38950de4dfd418cff8328b2c8faed0edb0d517d3394e457c317908ca4d
psycopg2-binary==2.9.10 ; platform_python_implementation == "CPython" \\
    --hash=sha256:04392983d0bb89a8717772a193cfaac58871321e3ec69514e1c4e0d4957b5aac
whitenoise[brotli]==6.8.2 \\
    --hash=sha256:df12dce147a043d1956d81d288c6f0044147c6d2ab9726e5772ac50fb45d2280
""",
}


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "requirements.txt"), "w") as handle:
            handle.write(TYPICAL)
        with open(os.path.join(work, "requirements-big.txt"), "w") as handle:
            handle.writelines(f"package-{i}=={i // 100}.{i % 100}.0 ; python_version >= '3.9'\n" for i in range(1000))
        os.mkdir(os.path.join(work, "requirements"))
        for name, text in INCLUDES.items():
            with open(os.path.join(work, name), "w") as handle:
                handle.write(text)
        os.mkdir(os.path.join(work, "many"))
        many = []
        for i in range(200):
            name = os.path.join("many", f"requirements-{i}.txt")
            with open(os.path.join(work, name), "w") as handle:
                handle.write(TYPICAL)
            many.append(name)
        hook = tool("requirements-pinned")
        included = sum(text.count("\n") for text in INCLUDES.values())
        rows = [
            measure("python -c pass (interpreter start)", [sys.executable, "-c", "pass"], work),
            measure("one typical file (9 lines)", [hook, "requirements.txt"], work),
            measure(f"-r/-c includes, markers, hashes ({included} lines, {len(INCLUDES)} files)", [hook, "requirements/production.txt"], work),
            measure("one 1,000-line file", [hook, "requirements-big.txt"], work),
            measure("200 files", [hook, *many], work),
        ]
    print(f"requirements-pinned, {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores")
    print(table([(r.label, f"{r.median_ms:.0f} ms", f"{r.peak_mb:.0f} MB", str(r.exit_code)) for r in rows], ("run", "median", "peak RSS", "exit")))


if __name__ == "__main__":
    main()
