"""Every lock verdict recorded in ../shared/corpus is lockguard's verdict too.

- `locks-2/`: 216 lock states from 113 public repositories nobody here wrote, with the verdicts
  of pipenv 2026.10.3 (`pipenv verify`), Poetry 2.5.1 (`poetry check --lock`) and uv 0.13.9
  (`uv lock --check --offline`, re-judged online or on the full tree where uv could not judge
  offline). The hook is run as pre-commit runs it, on every manifest and lock of the case.
- `platform/VERDICTS.json`: the locks of real Platform.sh/Upsun apps, judged by pipenv's, Poetry's
  and uv's own functions.

Read in place; skipped with a reason when the corpus is absent (a user's clone).
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from hooks.catalogue import BY_ID
from tests.conftest import CORPUS, corpus_params, hook_main, needs_corpus, tree_digest

pytestmark = needs_corpus

HOOKS = {"pipenv": "pipfile-lock", "poetry": "poetry-lock", "uv": "uv-lock"}
WATCHED = {"pipenv": ("Pipfile", "Pipfile.lock"), "poetry": ("pyproject.toml", "poetry.lock"), "uv": ("pyproject.toml", "uv.lock")}


def _locks_2() -> list:
    with open(CORPUS / "locks-2" / "MANIFEST.tsv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [pytest.param(row["kind"], row["case_dir"], row["verdict"], id=row["case_dir"]) for row in rows]


def _watched_files(case: Path, kind: str) -> list[str]:
    """The files pre-commit would pass: every manifest and lock of the case, at any depth."""
    found = []
    for directory, _, names in os.walk(case):
        found += [os.path.relpath(os.path.join(directory, name), case) for name in names if name in WATCHED[kind]]
    return sorted(found)


def _judge(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, case: Path, kind: str, files: list[str]) -> tuple[int, list[str]]:
    monkeypatch.chdir(case)
    before = tree_digest(case)
    code = hook_main(BY_ID[HOOKS[kind]])(files)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert tree_digest(case) == before
    return code, captured.out.splitlines()


@pytest.mark.parametrize(("kind", "case_dir", "verdict"), corpus_params(_locks_2))
def test_locks_2_verdict(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, kind: str, case_dir: str, verdict: str) -> None:
    case = CORPUS / "locks-2" / case_dir
    code, out = _judge(capsys, monkeypatch, case, kind, _watched_files(case, kind))
    if verdict == "in-sync":
        assert code == 0, out
    elif verdict == "stale-default-index":
        # pipenv hashes the default index it uses today, which the hook cannot know: it judges
        # with the index the lock records, and says so.
        assert code == 0, out
        assert any("declares no [[source]], so it was judged with the index Pipfile.lock records" in line for line in out), out
    else:
        assert verdict == "stale"
        assert code == 1 and out, out


def _platform_verdicts() -> list:
    with open(CORPUS / "platform" / "VERDICTS.json", encoding="utf-8") as handle:
        document = json.load(handle)
    return [pytest.param(kind, path, record["fresh"], id=f"{kind}:{path}") for kind in HOOKS for path, record in document[kind]["results"].items()]


@pytest.mark.parametrize(("kind", "lock", "fresh"), corpus_params(_platform_verdicts))
def test_platform_lock_verdict(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, kind: str, lock: str, fresh: bool) -> None:
    repository, _, inside = lock.partition("/")
    project = os.path.dirname(inside)
    files = [os.path.join(project, name) for name in WATCHED[kind] if (CORPUS / "platform" / repository / project / name).exists()]
    code, out = _judge(capsys, monkeypatch, CORPUS / "platform" / repository, kind, files)
    assert code == (0 if fresh else 1), out


def test_every_recorded_verdict_is_compared() -> None:
    rows, verdicts = _locks_2(), _platform_verdicts()
    assert len(rows) == 216 and {p.values[0] for p in rows} == set(HOOKS)
    assert len(verdicts) == 14
