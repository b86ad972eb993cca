"""The 35 real repositories of the platform corpus get the findings read off their files.

Each expectation was written by reading the repository's config, hooks and manifests
(`../shared/corpus/platform/<repo>/`, each with SOURCE.txt, read in place): which line upgrades
pip, which build hook lacks `set -e`, which manager is unpinned or missing, which Python
declaration disagrees with `type:`. Every finding is (rule, "path:line"), paths relative to the repository.
The corpus covers list- and map-form applications.yaml (mindsdb, django4, FDFKursusAdmin,
DjangoconUS2024), Upsun multi-app files (tutorial-chromadb), apps in sub-folders (saleor-platformsh,
car-rental-python, language-examples), `!include` (django4, FDFKursusAdmin), CRLF and UTF-16
manifests, and invalid YAML (NoseBleedSection).
"""

from __future__ import annotations

import pytest

from hooks.catalogue import PLATFORM_FILES, RULES
from hooks.cli import main
from tests.conftest import CORPUS as SHARED_CORPUS
from tests.conftest import needs_corpus, tree_digest

pytestmark = needs_corpus
CORPUS = SHARED_CORPUS / "platform"
PLATFORM_RULES = ",".join(rule.id for rule in RULES if rule.files == PLATFORM_FILES)

# Notes from reading, for the less obvious rows:
# - NoseBleedSection: `.upsun/config.yaml` line 4 is not valid YAML: one error line, whichever rules need it.
# - mindsdb: `build: "pip install --upgrade pip; pip install mindsdb"` on one line, no `set -e`,
#   an unpinned ad hoc install.
# - FDFKursusAdmin: the same app `app` in `.platform.app.yaml` and (through `!include
#   pip.app.yaml`) in `.platform/applications.yaml`; both upgrade pip; the pipenv one has no
#   Pipfile.lock in the repository.
# - flask template: `./install-poetry.sh` (in the repository) upgrades pip with `poetry run`;
#   Poetry itself is pinned by `--version $POETRY_VERSION` with POETRY_VERSION 1.4.2. The script
#   has no `set -e` of its own (the hook's does not reach it), so a failed upgrade goes unnoticed.
# - saleor-platformsh: get-poetry.py fetched from Poetry's `master` branch, which no longer has it.
# - saleor (Upsun): sets POETRY_VIRTUALENVS_IN_PROJECT only, then `poetry config
#   virtualenvs.create false` in the build hook.
# - pelican, python3 templates: `type: python:3.8` but Pipfile and Pipfile.lock say 3.7: one
#   finding on the Pipfile, the lock's line related to it (`pipenv lock` rewrites it).
# - tutorial-chromadb: `uv: '*'` twice, `uv init` / `uv add` in a build hook, `uv sync --frozen`
#   without `set -e`, and `.python-version` / `requires-python` asking 3.13 on `python:3.12`.
# - pyramid template: pipenv declared under `dependencies.python` (pip 2) on a Python 3 image:
#   the key is misplaced, and pipenv is declared under the wrong key (its version carried over).
# - eligibility-tool: `gunicorn: '*'` under dependencies.python3.
# - source.root of CTS's `search`, DjangoconUS2024's `unveil_frontend` and tutorial-chromadb's
#   `chroma` and `nodejs-app` names a directory the repository (as copied) does not hold.
# - Bensigo, fastapi template, CTS: a requirements.txt beside the lock the build installs from.
# - Bensigo: `pipenv install --system` installs into the image's Python; the start command's
#   `pipenv run` then looks for a virtualenv that does not exist.
# - django4 template and mindsdb: applications.yaml apps without source.root (a note).
# - python:3.8 (eligibility-tool, mindsdb, saleor-platformsh, pelican, python3, language-examples)
#   and python:3.9 (solu-ml, saleor, pyramid): runtimes the platform has retired.
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "124452272-collab__learning_log": [("platform-build-hook", ".platform.app.yaml:29"), ("platform-pip-pinned", ".platform.app.yaml:29")],
    "Ajifowobajeisaac__recipe_log": [("platform-build-hook", ".platform.app.yaml:34"), ("platform-pip-pinned", ".platform.app.yaml:34")],
    "AlaingToul__arretes_secheresse": [("platform-pip-pinned", ".platform.app.yaml:46")],
    "AlaingToul__streamlit_suivi_reserves": [("platform-pip-pinned", ".platform.app.yaml:50")],
    "AliAbuelkheir__resume-reviewer": [("platform-build-hook", ".platform.app.yaml:13"), ("platform-pip-pinned", ".platform.app.yaml:2")],
    "ArvinVega-projects__blog_project2": [("platform-build-hook", ".platform.app.yaml:32"), ("platform-pip-pinned", ".platform.app.yaml:32")],
    "Autumniya__flask": [("platform-build-hook", ".platform.app.yaml:19"), ("platform-pip-pinned", ".platform.app.yaml:2")],
    "BenMoloney3000__eligibility-tool": [
        ("platform-build-hook", ".platform.app.yaml:41"),
        ("platform-pip-pinned", ".platform.app.yaml:6"),
        ("platform-python-version", ".platform.app.yaml:2"),
        ("platform-tool-pinned", ".platform.app.yaml:7"),
    ],
    "Bensigo__solu-ml": [
        # `pipenv install --system --deploy` (line 10), then `start: "pipenv run python ./main.py"`.
        ("platform-build-hook", ".platform.app.yaml:24"),
        ("platform-one-manager", "requirements.txt:1"),
        ("platform-pip-pinned", ".platform.app.yaml:1"),
        ("platform-python-version", ".platform.app.yaml:2"),
    ],
    "CopticScriptorium__cts": [
        ("platform-build-hook", ".upsun/config.yaml:141"),
        ("platform-config-valid", ".upsun/config.yaml:5"),
        ("platform-one-manager", "coptic/requirements.txt:1"),
        ("platform-tool-pinned", ".upsun/config.yaml:139"),
    ],
    "JustinKim13__Movie-Review-Rec-App": [("platform-pip-pinned", ".upsun/config.yaml:3")],
    "Kemi-Elizabeth__tweet-generator-app": [("platform-pip-pinned", ".upsun/config.yaml:109")],
    "Kudzmat__NoseBleedSection": [("lockguard", ".upsun/config.yaml:4")],
    "Luibbo__FastAPI_course": [("platform-pip-pinned", ".upsun/config.yaml:3")],
    "OriPekelman__chroma": [("platform-pip-pinned", ".upsun/config.yaml:3")],
    "OriPekelman__mindsdb": [
        ("platform-build-hook", ".platform/applications.yaml:11"),
        ("platform-build-hook", ".platform/applications.yaml:11"),
        ("platform-config-valid", ".platform/applications.yaml:7"),
        ("platform-pip-pinned", ".platform/applications.yaml:11"),
        ("platform-python-version", ".platform/applications.yaml:9"),
    ],
    "OriPekelman__prodigy_on_upsun": [("platform-build-hook", ".upsun/config.yaml:97"), ("platform-build-hook", ".upsun/config.yaml:98"), ("platform-pip-pinned", ".upsun/config.yaml:3")],
    "OriPekelman__saleor": [
        ("platform-pip-pinned", ".upsun/config.yaml:3"),
        ("platform-poetry-env", ".upsun/config.yaml:117"),
        ("platform-poetry-env", ".upsun/config.yaml:84"),
        ("platform-python-version", ".upsun/config.yaml:10"),
    ],
    "OzzCode__Presidents_Mining_Monitor": [("platform-build-hook", ".upsun/config.yaml:19"), ("platform-pip-pinned", ".upsun/config.yaml:3")],
    "Puzzleheaded-Log__Django_Project": [("platform-build-hook", ".platform.app.yaml:33"), ("platform-pip-pinned", ".platform.app.yaml:33")],
    "chadwcarlson__saleor-platformsh": [
        ("platform-build-hook", "backend/.platform.app.yaml:49"),
        ("platform-pip-pinned", "backend/.platform.app.yaml:1"),
        ("platform-poetry-env", "backend/.platform.app.yaml:7"),
        ("platform-python-version", "backend/.platform.app.yaml:4"),
        ("platform-tool-pinned", "backend/.platform.app.yaml:26"),
    ],
    "gmoigneu__upsun-embedding-python-nextjs": [("platform-pip-pinned", ".upsun/config.yaml:9")],
    "jacklinke__DjangoconUS2024-Hackathon": [
        ("platform-build-hook", ".platform/applications.yaml:41"),
        ("platform-config-valid", ".platform/applications.yaml:50"),
        ("platform-pip-pinned", ".platform/applications.yaml:1"),
    ],
    "matti909__car-rental-python": [
        ("platform-build-hook", "backend/.platform.app.yaml:35"),
        ("platform-build-hook", "backend/.platform.app.yaml:35"),
        ("platform-one-manager", "backend/.platform.app.yaml:35"),
        ("platform-pip-pinned", "backend/.platform.app.yaml:2"),
        ("platform-tool-pinned", "backend/.platform.app.yaml:35"),
    ],
    "mglavind__FDFKursusAdmin": [
        ("platform-build-hook", ".platform.app.yaml:28"),
        ("platform-config-valid", ".platform/applications.yaml:10"),
        ("platform-config-valid", ".platform/pip.app.yaml:10"),
        ("platform-one-manager", ".platform.app.yaml:28"),
        ("platform-pip-pinned", ".platform.app.yaml:25"),
        ("platform-pip-pinned", ".platform/pip.app.yaml:74"),
    ],
    "platformsh-templates__django3": [("platform-build-hook", ".platform.app.yaml:73"), ("platform-pip-pinned", ".platform.app.yaml:5")],
    "platformsh-templates__django4": [
        ("platform-config-valid", ".platform/pip.app.yaml:10"),
        ("platform-one-manager", ".platform/pip.app.yaml:77"),
        ("platform-pip-pinned", ".platform/pip.app.yaml:74"),
    ],
    "platformsh-templates__fastapi": [("platform-one-manager", "requirements.txt:1"), ("platform-pip-pinned", ".platform.app.yaml:48")],
    "platformsh-templates__flask": [("platform-build-hook", "install-poetry.sh:15"), ("platform-pip-pinned", "install-poetry.sh:15")],
    "platformsh-templates__pelican": [
        ("platform-build-hook", ".platform.app.yaml:20"),
        ("platform-pip-pinned", ".platform.app.yaml:7"),
        ("platform-python-version", ".platform.app.yaml:10"),
        ("platform-python-version", "Pipfile:13"),
    ],
    "platformsh-templates__pyramid": [
        ("platform-build-hook", ".platform.app.yaml:46"),
        ("platform-config-valid", ".platform.app.yaml:37"),
        ("platform-pip-pinned", ".platform.app.yaml:5"),
        ("platform-python-version", ".platform.app.yaml:9"),
        ("platform-tool-pinned", ".platform.app.yaml:38"),
    ],
    "platformsh-templates__python3": [
        ("platform-build-hook", ".platform.app.yaml:20"),
        ("platform-pip-pinned", ".platform.app.yaml:7"),
        ("platform-python-version", ".platform.app.yaml:10"),
        ("platform-python-version", "Pipfile:12"),
    ],
    "platformsh-templates__wagtail": [("platform-build-hook", ".platform.app.yaml:82"), ("platform-pip-pinned", ".platform.app.yaml:82"), ("platform-tool-pinned", ".platform.app.yaml:70")],
    "platformsh__language-examples": [
        ("platform-build-hook", "python/.platform.app.yaml:20"),
        ("platform-pip-pinned", "python/.platform.app.yaml:7"),
        ("platform-python-version", "python/.platform.app.yaml:10"),
    ],
    "upsun__tutorial-chromadb": [
        ("platform-build-hook", ".upsun/config.yaml:17"),
        ("platform-build-hook", ".upsun/config.yaml:18"),
        ("platform-build-hook", ".upsun/config.yaml:18"),
        ("platform-build-hook", ".upsun/config.yaml:56"),
        ("platform-config-valid", ".upsun/config.yaml:6"),
        ("platform-config-valid", ".upsun/config.yaml:80"),
        ("platform-python-version", "python-app/.python-version:1"),
        ("platform-python-version", "python-app/pyproject.toml:6"),
        ("platform-tool-pinned", ".upsun/config.yaml:11"),
        ("platform-tool-pinned", ".upsun/config.yaml:50"),
    ],
}


@pytest.mark.parametrize("repo", sorted(EXPECTED))
def test_repository_findings(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, repo: str) -> None:
    monkeypatch.chdir(CORPUS / repo)
    before = tree_digest(CORPUS / repo)
    code = main([".", "--select", PLATFORM_RULES])
    found = []
    for line in capsys.readouterr().out.splitlines():
        location, _, rest = line.partition(": ")
        path, number, _ = location.rsplit(":", 2)
        found.append((rest.split(" ", 1)[0], f"{path}:{number}"))
    assert sorted(found) == sorted(EXPECTED[repo])
    assert code == int(bool(EXPECTED[repo]))
    assert tree_digest(CORPUS / repo) == before


def test_every_corpus_repository_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
