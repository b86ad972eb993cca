"""Older releases of pipenv, Poetry and uv, installed once into throw-away environments kept in
pytest's cache directory, for the differential tests of tests/*_versions_test.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The machine's pip configuration adds extra indexes; the tools are installed from the public
# index alone, as a user would.
PIP_ENV = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def installed(config: pytest.Config, package: str, version: str, python: str = sys.executable) -> Path:
    """The `bin` directory of a virtual environment holding `package==version`."""
    root = Path(config.cache.mkdir("tool-venvs")) / f"{package}-{version}"
    bin_dir = root / "bin"
    if not (root / "done").exists():
        subprocess.run([python, "-m", "venv", "--clear", str(root)], check=True, timeout=300)
        subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", f"{package}=={version}"], check=True, env=PIP_ENV, timeout=900)
        (root / "done").write_text("")
    return bin_dir


def current_bin() -> Path:
    """The `bin` directory of the test environment (pipenv 2026.10.3, Poetry 2.5.1, uv 0.13.9)."""
    return Path(sys.executable).parent
