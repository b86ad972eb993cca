"""The real Pipfile/Pipfile.lock pairs of the corpus get the verdicts pipenv gave them.

The pipenv cases of the shared corpus (`../shared/corpus/locks/pipenv/`, each with SOURCE.txt),
read in place, and their rows of its MANIFEST.tsv: `pipenv verify` run by pipenv 2026.10.3,
2025.0.4 and 2022.8.5 with no pip configuration. lockguard gives the latest pipenv's verdict,
and says so when only a pipenv older than 2026.4 (names hashed as written) accepts the lock.
"""

from __future__ import annotations

import pytest

from hooks.entry_points import pipfile_lock as main
from tests.conftest import CORPUS as SHARED_CORPUS
from tests.conftest import corpus_params, corpus_verdicts, needs_corpus, tree_digest

pytestmark = needs_corpus
CORPUS = SHARED_CORPUS / "locks" / "pipenv"


CASES = corpus_params(lambda: sorted(corpus_verdicts("pipenv").items()))


@pytest.mark.parametrize(("case", "tools"), [pytest.param(case, tools, id=case) for case, tools in CASES])
def test_corpus_verdict(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, case: str, tools: dict[str, str]) -> None:
    monkeypatch.chdir(CORPUS / case)
    before = tree_digest(CORPUS / case)
    code = main([name for name in ("Pipfile", "Pipfile.lock") if (CORPUS / case / name).exists()])
    out = capsys.readouterr().out.splitlines()
    latest, previous = tools["pipenv 2026.10.3"], tools["pipenv 2025.0.4"]
    if latest == "in-sync":
        # A Pipfile without [[source]] gets one note: it was judged with the index the lock records.
        sourceless = "[[source]]" not in (CORPUS / case / "Pipfile").read_text(encoding="utf-8")
        assert code == 0
        assert out == ([] if not sourceless else [line for line in out if line.startswith("Pipfile:1:1: pipfile-lock declares no [[source]], so it was judged with the index")])
        assert len(out) == int(sourceless)
    elif latest == "missing-lock":
        assert code == 1
        assert out == ["Pipfile:1:1: pipfile-lock has no Pipfile.lock beside it, so `pipenv install --deploy` has nothing to install from: run `pipenv lock` and commit Pipfile.lock"]
    elif latest == "stale":
        assert code == 1 and len(out) == 1
        assert out[0].startswith("Pipfile.lock:")
        if previous == "in-sync":
            assert " only, which " in out[0] and "pipenv 2026.4.0 and later " in out[0]
        elif "(with the index the lock records" not in out[0]:
            # The one exception: a Pipfile without [[source]] whose lock records an index that
            # pipenv no longer uses by default (timofurrer/maya, 2017). lockguard takes the index
            # from the lock, so it sees names hashed as written; the verdict, stale, is the same.
            assert " is out of date: its hash " in out[0]
    else:
        assert latest == "error"
        assert code == 1 and len(out) == 1
        assert " pipfile-lock error: " in out[0]
    assert tree_digest(CORPUS / case) == before


def test_the_corpus_covers_every_verdict() -> None:
    latest = [tools["pipenv 2026.10.3"] for _, tools in CASES]
    assert {"in-sync", "stale", "missing-lock", "error"} <= set(latest)
    assert any(t["pipenv 2026.10.3"] == "stale" and t["pipenv 2025.0.4"] == "in-sync" for _, t in CASES), "a lock only older pipenvs accept"
