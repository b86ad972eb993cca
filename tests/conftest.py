from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hooks never touch the network: any connection attempt in a test fails it."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("lockguard tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run the test from inside an empty directory, as pre-commit runs hooks from the repo root."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def tree_digest(root: Path) -> str:
    """A digest of every file's path and bytes below `root`: equal before and after ⇔ nothing written."""
    digest = hashlib.sha256()
    for directory, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            path = Path(directory, name)
            digest.update(str(path.relative_to(root)).encode())
            if not path.is_symlink():
                digest.update(path.read_bytes())
    return digest.hexdigest()


def corpus_verdicts(manifest: Path) -> dict[str, dict[str, str]]:
    """`{case: {tool and version: verdict}}` from a corpus MANIFEST.tsv (lock kinds)."""
    import csv

    by_case: dict[str, dict[str, str]] = {}
    with open(manifest, newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            by_case.setdefault(row["case_dir"].split("/", 1)[1], {})[row["tool_and_version"]] = row["verdict"]
    return by_case
