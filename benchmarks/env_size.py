"""The size of a hook environment: what pre-commit installs to run lockguard, against what it
installs for Poetry's own hook (`poetry check --lock`) and uv's (`uv lock --check`).

    python benchmarks/env_size.py

Each is a fresh virtualenv with one `pip install`; the figure is the venv's size on disk, less the
size of an empty venv (pip itself, which every hook environment has).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import table  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CANDIDATES = (
    ("lockguard (this repository)", [ROOT]),
    ("poetry==2.5.1 (poetry check --lock)", ["poetry==2.5.1"]),
    ("uv==0.13.9 (uv lock --check)", ["uv==0.13.9"]),
    ("pipenv==2026.10.3 (pipenv verify)", ["pipenv==2026.10.3"]),
)


def size_mb(path: str) -> float:
    total = 0
    for directory, _, files in os.walk(path):
        for name in files:
            file = os.path.join(directory, name)
            if not os.path.islink(file):
                total += os.path.getsize(file)
    return total / 1e6


def venv_size(requirements: list[str]) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as scratch:
        venv = os.path.join(scratch, "venv")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        empty = size_mb(venv)
        if requirements:
            subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", *requirements], check=True, capture_output=True)
        listed = subprocess.run([os.path.join(venv, "bin", "pip"), "list", "--format=freeze"], capture_output=True, text=True).stdout
        return size_mb(venv) - empty, len(listed.splitlines())


def main() -> None:
    rows = []
    for label, requirements in CANDIDATES:
        size, packages = venv_size(requirements)
        rows.append((label, f"{size:.1f} MB", str(packages)))
    print("hook environment size (a fresh venv, less an empty venv)")
    print(table(rows, ("environment", "size", "packages incl. pip")))


if __name__ == "__main__":
    main()
