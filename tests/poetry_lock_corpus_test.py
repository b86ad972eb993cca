"""The real pyproject.toml/poetry.lock pairs of the corpus get the verdicts Poetry gave them.

The Poetry cases of the shared corpus (`../shared/corpus/locks/poetry/`, each with SOURCE.txt),
read in place, and their rows of its MANIFEST.tsv: `poetry check --lock` by Poetry 2.5.1 and
1.8.5. lockguard gives the latest Poetry's verdict; where Poetry 2.5.1 could not load the
project, lockguard says so.
"""

from __future__ import annotations

import pytest

from hooks.entry_points import poetry_lock as main
from tests.conftest import CORPUS as SHARED_CORPUS
from tests.conftest import corpus_params, corpus_verdicts, needs_corpus, tree_digest

pytestmark = needs_corpus
CORPUS = SHARED_CORPUS / "locks" / "poetry"


CASES = corpus_params(lambda: sorted(corpus_verdicts("poetry").items()))


@pytest.mark.parametrize(("case", "tools"), [pytest.param(case, tools, id=case) for case, tools in CASES])
def test_corpus_verdict(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, case: str, tools: dict[str, str]) -> None:
    monkeypatch.chdir(CORPUS / case)
    before = tree_digest(CORPUS / case)
    code = main([name for name in ("pyproject.toml", "poetry.lock") if (CORPUS / case / name).exists()])
    out = [line for line in capsys.readouterr().out.splitlines() if "lock-version" not in line]
    latest, old = tools["poetry 2.5.1"], tools["poetry 1.8.5"]
    if latest == "in-sync":
        assert (code, out) == (0, [])
    elif latest == "missing-lock":
        assert code == 1
        assert out == ["pyproject.toml:1:1: poetry-lock is a Poetry project without poetry.lock, so every install resolves anew: run `poetry lock` and commit poetry.lock"]
    elif latest == "stale":
        assert code == 1 and len(out) == 1, out
        assert out[0].startswith("poetry.lock:")
        if old == "in-sync":
            # Poetry 1.8 accepts it: the finding must say the lock is from an older Poetry.
            assert "was written by" in out[0], out[0]
    elif not (CORPUS / case / "poetry.lock").exists() and "[tool.poetry" not in (CORPUS / case / "pyproject.toml").read_text(encoding="utf-8"):
        # Not a Poetry project (PyCQA/isort, a hatch project): Poetry fails only because it was
        # asked to load it; lockguard leaves it to the other rules.
        assert latest == "error"
        assert (code, out) == (0, [])
    else:
        assert latest == "error"
        assert code == 1 and len(out) == 1, out
        assert " poetry-lock error: " in out[0] or "cannot be loaded by the latest Poetry" in out[0], out[0]
    assert tree_digest(CORPUS / case) == before


def test_the_corpus_covers_every_verdict() -> None:
    assert {"in-sync", "stale", "missing-lock", "error"} <= {tools["poetry 2.5.1"] for _, tools in CASES}
