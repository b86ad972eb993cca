"""`pylock`: files written by the real tools (uv export, uv pip compile, pip lock, pipenv) pass,
edited copies fail with exact lines, invalid files are one error line at the offending key, and
a differential against `uv lock` + `uv export --format pylock.toml` run offline on edited
pyprojects: lockguard says stale exactly when uv would now write another file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hooks.catalogue import BY_ID
from tests.conftest import DATA, hook_main, tree_digest

PYLOCK = DATA / "pylock"
UV = os.path.join(os.path.dirname(sys.executable), "uv")
main = hook_main(BY_ID["pylock"])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().out.splitlines()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding every fixture project, the current directory as pre-commit has it."""
    root = tmp_path / "repo"
    shutil.copytree(PYLOCK, root)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    return root


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count))


GENERATED = [
    "uv-export/pylock.toml",
    "uv-export/pylock.prod.toml",
    "pipenv/pylock.toml",
    "inputs/pylock.toml",
    "inputs/pylock.requirements.toml",
    "inputs/pylock.dev.toml",
]


@pytest.mark.parametrize("path", GENERATED)
def test_what_the_tools_wrote_passes(repo: Path, capsys: pytest.CaptureFixture[str], path: str) -> None:
    before = tree_digest(repo)
    assert run(capsys, path) == (0, [])
    assert tree_digest(repo) == before


def test_every_generated_file_at_once(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, *GENERATED) == (0, [])


# -- valid by the specification -------------------------------------------------------------------


def test_pipenv_with_a_file_index_writes_an_invalid_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree_digest(repo)
    assert run(capsys, "pipenv-file-index/pylock.toml") == (1, [
        "pipenv-file-index/pylock.toml:8:1: pylock error: is not a valid pylock file (PEP 751): "
        "Exactly one of vcs, directory, archive must be set if sdist and wheels are not set in 'packages[0]'",
    ])  # fmt: skip
    assert tree_digest(repo) == before


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        pytest.param('lock-version = "1.0"\ncreated-by = "me"\n[[packages]\n', "3:11", "is not valid TOML: Expected ']]' at the end of an array declaration", id="bad-toml"),
        pytest.param('created-by = "me"\n', "1:1", "is not a valid pylock file (PEP 751): Missing required value in 'lock-version'", id="no-lock-version"),
        pytest.param('lock-version = "2.0"\ncreated-by = "me"\npackages = []\n', "1:1", "is not a valid pylock file (PEP 751): pylock version 2.0 is not supported", id="lock-version-2"),
        pytest.param(
            'lock-version = "1.0"\ncreated-by = "me"\n\n[[packages]]\nname = "a"\nversion = "1"\narchive = { url = "https://example.org/a.zip", hashes = { sha256 = "00" } }\n\n'
            '[[packages]]\nname = "b"\nversion = "x y"\n',
            "11:1",
            "is not a valid pylock file (PEP 751): Invalid version: 'x y' in 'packages[1].version'",
            id="bad-version-second-package",
        ),
        pytest.param(
            'lock-version = "1.0"\ncreated-by = "me"\n\n[[packages]]\nname = "a"\nversion = "1"\n\n[packages.archive]\nurl = "https://example.org/a.zip"\n\n[packages.archive.hashes]\n',
            "11:1",
            "is not a valid pylock file (PEP 751): At least one hash must be provided in 'packages[0].archive.hashes'",
            id="empty-hashes-table",
        ),
    ],
)
def test_an_invalid_file_is_one_error_line(in_tmp: Path, capsys: pytest.CaptureFixture[str], text: str, line: str, reason: str) -> None:
    (in_tmp / ".git").mkdir()
    (in_tmp / "pylock.toml").write_text(text)
    code, out = run(capsys, "pylock.toml")
    assert (code, out) == (1, [f"pylock.toml:{line}: pylock error: {reason}"])


def test_a_name_pep_751_does_not_allow(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy("inputs/pylock.toml", "inputs/pylock.a.b.toml")
    assert run(capsys, "inputs/pylock.a.b.toml") == (1, [
        "inputs/pylock.a.b.toml:1:1: pylock is not a name PEP 751 allows, so installers do not take it for a pylock file: "
        "rename it `pylock.toml` or `pylock.<name>.toml`, with no dot in the name",
    ])  # fmt: skip


@pytest.mark.parametrize(("requires_python", "noted"), [(">=3.10rc1", True), (">=3.10", False)], ids=["left-to-packaging", "plain"])
def test_packaging_without_pylock_is_a_note(in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, requires_python: str, noted: bool) -> None:
    import packaging

    # What packaging < 26 gives: an ImportError. A plain file is validated all the same, as
    # packaging 26 validates it, without packaging (hooks/models/plain_pylock.py).
    monkeypatch.setitem(sys.modules, "packaging.pylock", None)
    monkeypatch.delattr(packaging, "pylock", raising=False)
    (in_tmp / ".git").mkdir()
    (in_tmp / "pylock.toml").write_text(f'lock-version = "1.0"\ncreated-by = "me"\nrequires-python = "{requires_python}"\npackages = []\n')
    note = f"pylock.toml:1:1: pylock (created by me): packaging {packaging.__version__} has no `packaging.pylock` (26 or later has), so the file was not validated against PEP 751"
    assert run(capsys, "pylock.toml") == (0, [note] if noted else [])


def test_a_newer_minor_lock_version_is_a_note_not_a_stray_line(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """PEP 751: an installer reads a newer minor version with a warning. packaging logs it; the
    hook says it as a note in its own output, and nothing reaches stderr."""
    (in_tmp / ".git").mkdir()
    (in_tmp / "pylock.toml").write_text('lock-version = "1.1"\ncreated-by = "me"\nrequires-python = ">=3.10"\npackages = []\n')
    code = main(["pylock.toml"])
    output = capsys.readouterr()
    assert (code, output.err) == (0, "")
    assert output.out.splitlines() == [
        "pylock.toml:1:1: pylock (created by me): packaging.pylock read it with a warning (pylock minor version 1.1 is not supported): what that version adds was not validated"
    ]


# -- (a) exported from uv.lock ------------------------------------------------------------------------

RERUN_UV = "re-run `uv export --frozen --format pylock.toml -o pylock.toml` and commit pylock.toml"


def test_uv_export_a_package_left_out(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "uv-export/pylock.toml"
    text = path.read_text()
    path.write_text(re.sub(r'\[\[packages\]\]\nname = "idna"\n(.+\n)+\n', "", text))
    assert run(capsys, "uv-export/pylock.toml") == (1, [
        f"uv-export/pylock.toml:1:1: pylock (created by uv) is stale against uv.lock: it misses idna 3.20, which uv.lock installs with the recorded options; {RERUN_UV}",
    ])  # fmt: skip


def test_uv_export_the_lock_moved_on(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "uv-export/uv.lock", 'name = "six"\nversion = "1.17.0"', 'name = "six"\nversion = "1.17.1"')
    code, out = run(capsys, "uv-export/pylock.toml")
    assert (code, out) == (1, [f"uv-export/pylock.toml:25:1: pylock (created by uv) is stale against uv.lock: it has six 1.17.0, but uv.lock has six 1.17.1; {RERUN_UV}"])


def test_uv_export_hash_source_and_marker(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "uv-export/pylock.prod.toml"
    edit(path, "d03ceb89cb322a8fd706d4fb91940737b6642aa36998fe130a9bc96c985eff32", "0" * 64)
    edit(path, 'name = "six"\nversion = "1.17.0"\nindex = "', 'name = "six"\nversion = "1.17.0"\nindex = "https://example.org/simple"\nX = "')
    text = path.read_text().replace('X = "', "# was: ")
    path.write_text(text.replace("marker = \"python_full_version < '3.10' and sys_platform == 'win32'\"", "marker = \"sys_platform == 'win32'\""))
    rerun = "re-run `uv export --frozen --format pylock.toml --all-extras --no-dev -o pylock.prod.toml` and commit pylock.prod.toml"
    code, out = run(capsys, "uv-export/pylock.prod.toml")
    assert code == 1
    assert [line.split(": pylock ", 1)[1] for line in out] == [
        f"(created by uv) is stale against uv.lock: it has 2 file hashes for attrs 26.1.0, uv.lock 2, 2 of them differ; {rerun}",
        f"(created by uv) is stale against uv.lock: it gives colorama 0.4.6 `sys_platform == 'win32'`, which is not where uv.lock installs it; {rerun}",
        f"(created by uv) is stale against uv.lock: it has six 1.17.0 from index https://example.org/simple, uv.lock from index {_index_of(repo)}; {rerun}",
    ]


def _index_of(repo: Path) -> str:
    match = re.search(r'source = \{ registry = "([^"]+)" \}', (repo / "uv-export/uv.lock").read_text())
    assert match
    return match[1]


def test_uv_export_without_its_lock(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.remove("uv-export/uv.lock")
    assert run(capsys, "uv-export/pylock.toml") == (0, [])  # no uv.lock up to the root: nothing to compare with


# -- (b) written by pipenv ----------------------------------------------------------------------------


def test_pipenv_lock_moved_on(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "pipenv/Pipfile.lock", '"version": "==1.17.0"', '"version": "==1.16.0"')
    assert run(capsys, "pipenv/pylock.toml") == (1, [
        "pipenv/pylock.toml:19:1: pylock (created by pipenv) is stale against Pipfile.lock: it has six 1.17.0, but Pipfile.lock has six 1.16.0; "
        "re-run `pipenv lock` and commit pylock.toml",
    ])  # fmt: skip


def test_pipenv_package_added_to_the_lock_only(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "pipenv/Pipfile.lock", '"default": {', '"default": {"zipp": {"hashes": [], "version": "==3.20.0"},')
    assert run(capsys, "pipenv/pylock.toml") == (1, [
        "pipenv/pylock.toml:1:1: pylock (created by pipenv) is stale against Pipfile.lock: it misses zipp 3.20.0, which Pipfile.lock locks; "
        "re-run `pipenv lock` and commit pylock.toml",
    ])  # fmt: skip


def test_pipenv_without_its_lock_beside_its_pipfile_is_pipfile_lock_s_one_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.remove("pipenv/Pipfile.lock")
    assert run(capsys, "pipenv/pylock.toml") == (0, [])
    assert hook_main(BY_ID["pipfile-lock"])(["pipenv/Pipfile", "pipenv/pylock.toml"]) == 1
    assert capsys.readouterr().out.startswith("pipenv/Pipfile:1:1: pipfile-lock ")


def test_pipenv_without_its_lock_or_pipfile(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.remove("pipenv/Pipfile.lock")
    os.remove("pipenv/Pipfile")
    assert run(capsys, "pipenv/pylock.toml") == (1, [
        "pipenv/pylock.toml:1:1: pylock (created by pipenv) was made from pipenv/Pipfile.lock, which is not there, so it cannot be checked: "
        "restore pipenv/Pipfile.lock, or delete pylock.toml",
    ])  # fmt: skip


# -- (c) locking direct requirements ------------------------------------------------------------------


def test_uv_pip_compile_input_raised(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "inputs/requirements.in").write_text("six>=1.18\nattrs\n")
    assert run(capsys, "inputs/pylock.requirements.toml") == (1, [
        "inputs/pylock.requirements.toml:1:1: pylock (created by uv) does not lock attrs, which inputs/requirements.in:2 asks for (`attrs`); "
        "re-run `uv pip compile requirements.in -o pylock.requirements.toml` and commit pylock.requirements.toml",
        "inputs/pylock.requirements.toml:7:1: pylock (created by uv) locks six 1.17.0, which does not satisfy `six>=1.18` (inputs/requirements.in:1) "
        "— the lock must satisfy each direct requirement, it need not be what a resolver would pick now; "
        "re-run `uv pip compile requirements.in -o pylock.requirements.toml` and commit pylock.requirements.toml",
    ])  # fmt: skip


def test_uv_pip_compile_group_and_marker(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "inputs/pyproject.toml", 'dev = ["attrs>=23"]', 'dev = ["attrs>=27"]')
    edit(repo / "inputs/pylock.dev.toml", "marker = \"python_full_version >= '3.9'\"", "marker = \"sys_platform == 'linux'\"")
    code, out = run(capsys, "inputs/pylock.dev.toml")
    assert code == 1
    assert [line.split(": pylock ", 1)[1].split("; re-run")[0] for line in out] == [
        "(created by uv) locks attrs 26.1.0, which does not satisfy `attrs>=27` (inputs/pyproject.toml group dev) "
        "— the lock must satisfy each direct requirement, it need not be what a resolver would pick now",
        "(created by uv) installs idna only where `sys_platform == 'linux'`, but `idna ; python_version >= '3.9'` (inputs/pyproject.toml [project]) applies in more environments",
    ]


def test_pip_lock_of_the_project(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "inputs/pyproject.toml", 'dependencies = ["six>=1.16",', 'dependencies = ["six>=1.16", "packaging",')
    assert run(capsys, "inputs/pylock.toml") == (1, [
        "inputs/pylock.toml:1:1: pylock (created by pip) does not lock packaging, which inputs/pyproject.toml [project] asks for (`packaging`); "
        "re-run `pip lock . -o pylock.toml` and commit pylock.toml",
    ])  # fmt: skip


# -- differential: uv lock + uv export, offline, on edited pyprojects ----------------------------------


def _wheel(directory: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> None:
    info = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(directory / f"{name}-{version}-py3-none-any.whl", "w") as archive:
        archive.writestr(f"{name}/__init__.py", "")
        archive.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(f"Requires-Dist: {r}\n" for r in requires))
        archive.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: lockguard-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        archive.writestr(f"{info}/RECORD", "")


BASE = """\
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.9"
dependencies = ["alpha>=1.1"]

[project.optional-dependencies]
extra = ["delta"]

[dependency-groups]
dev = ["gamma"]

[tool.uv]
no-index = true
find-links = ["wheels"]
"""

# (name, old, new): each an edit of BASE.
EDITS = [
    ("comment", "[project]\n", "# a comment\n[project]\n"),
    ("description", 'version = "0.1.0"\n', 'version = "0.1.0"\ndescription = "x"\n'),
    ("alpha-below-2", '"alpha>=1.1"', '"alpha>=1.1,<2"'),
    ("alpha-1.0", '"alpha>=1.1"', '"alpha==1.0"'),
    ("add-delta", '"alpha>=1.1"', '"alpha>=1.1", "delta<4"'),
    ("alpha-on-linux", '"alpha>=1.1"', "\"alpha>=1.1 ; sys_platform == 'linux'\""),
    ("beta-pinned", '"alpha>=1.1"', '"alpha>=1.1", "beta==1.0"'),
    ("dev-delta", 'dev = ["gamma"]', 'dev = ["gamma", "delta>=4"]'),
    ("dev-gamma-marker", 'dev = ["gamma"]', "dev = [\"gamma ; python_version < '3.12'\"]"),
    ("lint-group", 'dev = ["gamma"]', 'dev = ["gamma"]\nlint = ["delta==3.0"]'),
    ("extra-gamma", 'extra = ["delta"]', 'extra = ["delta", "gamma"]'),
    ("extra-delta-3", 'extra = ["delta"]', 'extra = ["delta==3.0"]'),
    ("python-3.10", '">=3.9"', '">=3.10"'),
    ("no-dev-group", '[dependency-groups]\ndev = ["gamma"]\n', ""),
]
COMMANDS = [
    (),
    ("--no-dev",),
    ("--all-extras", "--all-groups"),
    ("--extra", "extra", "--no-hashes"),  # uv writes hashes in pylock.toml all the same
]


def _uv(project: Path, *args: str) -> None:
    environment = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(project), "XDG_CONFIG_HOME": str(project / ".uv-config"),
        "UV_OFFLINE": "1", "UV_PYTHON_DOWNLOADS": "never", "UV_CACHE_DIR": str(project.parent / "uv-cache"),
    }  # fmt: skip
    subprocess.run([UV, *args, "--quiet"], cwd=project, env=environment, check=True, capture_output=True)


def test_differential_against_uv_export(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    template = tmp_path / "template"
    (template / "wheels").mkdir(parents=True)
    for version in ("1.0", "1.1", "2.0"):
        _wheel(template / "wheels", "alpha", version, () if version == "1.0" else ("beta>=1",))
    for version in ("1.0", "1.5"):
        _wheel(template / "wheels", "beta", version, ("gamma ; sys_platform == 'win32'",))
    _wheel(template / "wheels", "gamma", "1.0")
    for version in ("3.0", "4.0"):
        _wheel(template / "wheels", "delta", version)
    (template / "pyproject.toml").write_text(BASE)
    (template / ".git").mkdir()
    # One place for every case: the export writes the find-links folder as an absolute URL.
    project = tmp_path / "project"
    shutil.copytree(template, project)
    _uv(project, "lock")
    shutil.copy(project / "uv.lock", template / "uv.lock")
    outputs = {}
    for index, options in enumerate(COMMANDS):
        name = f"pylock.c{index}.toml"
        _uv(project, "export", "--frozen", "--format", "pylock.toml", *options, "-o", name)
        outputs[name] = (project / name).read_text()
    verdicts = {"same": 0, "stale": 0}
    for edit_name, old, new in EDITS:
        monkeypatch.chdir(tmp_path)
        shutil.rmtree(project)
        shutil.copytree(template, project)
        assert old in BASE, edit_name
        (project / "pyproject.toml").write_text(BASE.replace(old, new, 1))
        _uv(project, "lock")
        monkeypatch.chdir(project)
        for index, options in enumerate(COMMANDS):
            name = f"pylock.c{index}.toml"
            committed = outputs[name]
            (project / name).write_text(committed)
            before = tree_digest(project)
            code, out = run(capsys, name)
            assert tree_digest(project) == before
            _uv(project, "export", "--frozen", "--format", "pylock.toml", *options, "-o", name)
            differs = (project / name).read_text() != committed
            (project / name).write_text(committed)
            assert code == (1 if differs else 0), (edit_name, options, out, (project / name).read_text())
            assert all(": pylock (created by uv) is stale against uv.lock: " in line for line in out), out
            assert bool(out) == differs, (edit_name, options, out)
            verdicts["stale" if differs else "same"] += 1
    assert sum(verdicts.values()) == len(EDITS) * len(COMMANDS) == 56
    # Both verdicts occur often enough for the comparison to mean something.
    assert verdicts["same"] >= 10 and verdicts["stale"] >= 20, verdicts
