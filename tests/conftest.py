from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Fixtures this project wrote itself (tests/data/uv).
DATA = Path(__file__).parent / "data"

# The shared corpus of real files from public repositories, read in place and never written:
# `../shared/corpus` beside the repository (in CI a copy of `shared/` sits beside the clone).
# It is not part of this repository, so a user's clone has none and the tests that need it skip.
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
CORPUS_ABSENT = "../shared/corpus is absent (a user's clone): corpus tests need the shared corpus beside the repository"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_ABSENT)
"""Mark for a test, or a module's `pytestmark`, that reads the corpus: skipped when it is absent."""


def corpus_params(make: Callable[[], list]) -> list:
    """`make()`, the parameters a test takes from the corpus, or none when the corpus is absent,
    so a module parametrized from it is collected (and skipped by `needs_corpus`) without it."""
    return make() if CORPUS.is_dir() else []


@pytest.fixture(autouse=True)
def lockguard_bugs_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in lockguard surfaces in a test as its traceback, never as a contained error line."""
    monkeypatch.setenv("LOCKGUARD_DEBUG", "1")


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


def corpus_rows(kind: str) -> list[dict[str, str]]:
    """The rows of the corpus's MANIFEST.tsv (`locks/MANIFEST.tsv`, one for every lock kind) whose
    `case_dir` is `<kind>/<case>`, in the manifest's order."""
    import csv

    with open(CORPUS / "locks" / "MANIFEST.tsv", newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["case_dir"].split("/", 1)[0] == kind]


def corpus_verdicts(kind: str) -> dict[str, dict[str, str]]:
    """`{case: {tool and version: verdict}}` for one lock kind of the corpus (`pipenv`, `poetry`)."""
    by_case: dict[str, dict[str, str]] = {}
    for row in corpus_rows(kind):
        by_case.setdefault(row["case_dir"].split("/", 1)[1], {})[row["tool_and_version"]] = row["verdict"]
    return by_case


def hook_main(rule: Any) -> Any:
    """The console script of a catalogue rule, as pre-commit runs it."""
    import hooks.entry_points

    return getattr(hooks.entry_points, rule.id.replace("-", "_"))
