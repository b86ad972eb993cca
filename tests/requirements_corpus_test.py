"""The real requirements files of the corpus get the verdicts recorded for them.

The requirements cases of the shared corpus (`../shared/corpus/locks/requirements/`, each with
its SOURCE.txt), read in place, and their rows of its MANIFEST.tsv. The corpus counts local
paths (`-e .`, `name @ file:///…`) as unpinned and judges each file by its own lines, so the
hook runs with `--no-local-paths` and findings about includes are left out of the file's verdict.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from hooks.entry_points import requirements_pinned as main
from hooks.models import requirements
from hooks.models.requirements import Requirement
from tests.conftest import CORPUS as SHARED_CORPUS
from tests.conftest import corpus_params, corpus_rows, needs_corpus

pytestmark = needs_corpus
CORPUS = SHARED_CORPUS / "locks" / "requirements"


def cases() -> list[pytest.param]:
    params = []
    for row in corpus_rows("requirements"):
        case = row["case_dir"].split("/", 1)[1]
        name = row["details"].split(";")[0].removeprefix("file=")
        params.append(pytest.param(case, name, row["verdict"], id=f"{case}/{name}"))
    return params


@pytest.mark.parametrize(("case", "name", "verdict"), corpus_params(cases))
def test_corpus_verdict(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, case: str, name: str, verdict: str) -> None:
    monkeypatch.chdir(CORPUS / case)
    main([name, "--no-local-paths"])
    own = [line for line in capsys.readouterr().out.splitlines() if line.startswith(f"{name}:") and "`-r " not in line and "`-c " not in line]
    if verdict == "pinned":
        assert own == []
    elif verdict == "unpinned":
        assert any("pip cannot parse" not in line for line in own)
    else:
        assert verdict == "error"
        assert any("pip cannot parse this line" in line for line in own)


@pytest.mark.parametrize(
    ("case", "name", "lines"),
    [
        pytest.param("OriPekelman__chroma__9f6e5476", "requirements_dev.txt", list(range(2, 13)), id="bare-names"),
        pytest.param("ansible__awx__e21dd0a0", "requirements/requirements.txt", [43], id="vcs-without-rev-among-159-pins"),
        pytest.param("openedx__credentials__b6dcad5c", "requirements/base.txt", [155, 177], id="vcs-at-tags"),
        pytest.param("CopticScriptorium__cts__coptic__b46db572", "requirements_django_5.txt", [22], id="local-wheel"),
        pytest.param("psf__requests__1f6589ec", "requirements-dev.txt", [1, 2, 3, 5, 6, 7], id="editable-local-and-ranges"),
    ],
)
def test_corpus_lines(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, case: str, name: str, lines: list[int]) -> None:
    monkeypatch.chdir(CORPUS / case)
    assert main([name, "--no-local-paths"]) == 1
    found = [int(line.split(":")[1]) for line in capsys.readouterr().out.splitlines() if line.startswith(f"{name}:")]
    assert found == lines


def test_local_paths_are_allowed_by_default(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS / "psf__requests__1f6589ec")
    main(["requirements-dev.txt"])
    assert [int(line.split(":")[1]) for line in capsys.readouterr().out.splitlines()] == [2, 3, 5, 6, 7]


def test_corpus_is_left_untouched() -> None:
    assert all(Path(CORPUS, case, "SOURCE.txt").is_file() for case in {p.values[0] for p in cases()})


# The platform corpus's requirements files, with pip's verdict per requirement
# (`../shared/corpus/platform/VERDICTS.json`, key "pip": pip's parser and `is_pinned`, includes
# followed).
PLATFORM = SHARED_CORPUS / "platform"


def platform_cases() -> list[pytest.param]:
    with open(PLATFORM / "VERDICTS.json", encoding="utf-8") as handle:
        results = json.load(handle)["pip"]["results"]
    return [pytest.param(key, result["requirements"], id=key) for key, result in sorted(results.items())]


def _requirements_with_includes(path: str) -> list[tuple[str, Requirement]]:
    """Every requirement pip reads from `path`, as (file, requirement), includes followed."""
    parsed = requirements.parse(path)
    found = [(path, requirement) for requirement in parsed.requirements]
    for include in parsed.includes:
        found += _requirements_with_includes(os.path.normpath(os.path.join(os.path.dirname(path), include.target)))
    return found


@pytest.mark.parametrize(("key", "records"), corpus_params(platform_cases))
def test_platform_corpus_verdicts(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, key: str, records: list[dict]) -> None:
    repository, name = key.split("/", 1)
    monkeypatch.chdir(PLATFORM / repository)
    ours = _requirements_with_includes(name)
    # The files alone, away from their app: pip's verdicts are on the requirements themselves,
    # and a file no build installs is left to platform-one-manager in place.
    for path in {path for path, _ in ours}:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, tmp_path / path)
    monkeypatch.chdir(tmp_path)
    code = main([name, "--no-local-paths"])
    flagged = {tuple(line.split(":")[:2]) for line in capsys.readouterr().out.splitlines()}
    assert len(ours) == len(records), "lockguard reads the same requirements as pip"
    for record, (path, requirement) in zip(records, ours):
        assert requirement.text.split(" --")[0] == " ".join(record["line"].split())  # pip leaves options out
        # pip's `is_pinned` takes `==1.*` for a pin; a wildcard allows many releases.
        expected_unpinned = not record["is_pinned"] or "*" in (record["specifier"] or "")
        assert ((path, str(requirement.line)) in flagged) is expected_unpinned, record["line"]
    assert code == int(any(not r["is_pinned"] or "*" in (r["specifier"] or "") for r in records))
