"""`pipfile-lock`: what a user sees, the spec's test vectors, edited real pairs, and pipenv's own
hash and verdict on generated Pipfiles (differential)."""

from __future__ import annotations

import json
import os
import random
import shutil
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooks.entry_points import pipfile_lock as main
from hooks.models import pipfile as model
from tests.conftest import CORPUS, needs_corpus, tree_digest

SOURCE = '[[source]]\nname = "pypi"\nurl = "https://example.org/simple"\nverify_ssl = true\n\n'
SOURCES = [{"name": "pypi", "url": "https://example.org/simple", "verify_ssl": True}]


def write_pair(directory: Path, pipfile: str, digest: str | None = None, sources: list | None = None) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pipfile").write_text(pipfile)
    if digest is not None:
        meta = {"hash": {"sha256": digest}, "pipfile-spec": 6, "requires": {}, "sources": SOURCES if sources is None else sources}
        (directory / "Pipfile.lock").write_text(json.dumps({"_meta": meta, "default": {}, "develop": {}}, indent=4) + "\n")


def hash_of(directory: Path, sources: list | None = None) -> str:
    return model.current_hash(model.read_pipfile(str(directory / "Pipfile")), SOURCES if sources is None else sources)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().out.splitlines()


# -- what a user sees ---------------------------------------------------------------------------


def test_in_sync_is_silent(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_pair(in_tmp, SOURCE + '[packages]\ndjango = "==5.1.4"\n', "0")
    write_pair(in_tmp, SOURCE + '[packages]\ndjango = "==5.1.4"\n', hash_of(in_tmp))
    assert run(capsys, "Pipfile") == (0, [])
    assert run(capsys, "Pipfile.lock") == (0, [])


def test_stale_lock(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_pair(in_tmp, SOURCE + '[packages]\ndjango = "==5.1.4"\n', "0")
    write_pair(in_tmp, SOURCE + '[packages]\ndjango = "==5.1.4"\n', hash_of(in_tmp))
    old = hash_of(in_tmp)
    (in_tmp / "Pipfile").write_text(SOURCE + '[packages]\ndjango = "==5.1.4"\nrequests = "==2.32.3"\n')
    new = hash_of(in_tmp)
    before = tree_digest(in_tmp)
    code, out = run(capsys, "Pipfile", "Pipfile.lock")
    assert code == 1
    assert out == [f"Pipfile.lock:4:1: pipfile-lock is out of date: its hash {old[:12]}… does not match the Pipfile's {new[:12]}…; run `pipenv lock` and commit Pipfile.lock"]
    assert tree_digest(in_tmp) == before


def test_missing_lock_and_orphan_lock(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_pair(in_tmp / "a", SOURCE + "[packages]\n")
    write_pair(in_tmp / "b", SOURCE + "[packages]\n", "0")
    (in_tmp / "b" / "Pipfile").unlink()
    code, out = run(capsys, "a/Pipfile", "b/Pipfile.lock")
    assert code == 1
    assert out == [
        "a/Pipfile:1:1: pipfile-lock has no Pipfile.lock beside it, so `pipenv install --deploy` has nothing to install from: run `pipenv lock` and commit Pipfile.lock",
        "b/Pipfile.lock:1:1: pipfile-lock has no Pipfile beside it, so nothing says what it locks: restore the Pipfile, or delete the lock",
    ]


# -- a pylock file beside the Pipfile (pipenv's own verdicts: tests/pipenv_pylock_test.py) --------

APP = "name: app\ntype: 'python:3.12'\ndependencies:\n  python3:\n    pipenv: '{}'\nhooks:\n  build: |\n    pipenv install --deploy\n"
PYLOCK = 'lock-version = "1.0"\ncreated-by = "pipenv"\n\n[tool.pipenv]\ngenerated_from = "Pipfile.lock"\n'
ONLY = "Pipfile:1:1: pipfile-lock has no Pipfile.lock beside it, only "
RELOCKS = "`pipenv install --deploy` re-locks, installing releases nobody tested: run `pipenv lock` and commit Pipfile.lock with "


@pytest.mark.parametrize(
    ("pin", "pylocks", "with_lock", "expected"),
    [
        pytest.param(None, ["pylock.toml"], True, (0, []), id="beside-a-fresh-lock"),
        pytest.param(None, ["pylock.toml", "pylock.dev.toml"], True, (0, []), id="several-beside-a-fresh-lock"),
        pytest.param("2026.5.0", ["pylock.toml"], True, (0, []), id="pin-knows-pylock"),
        pytest.param("2026.0.0", ["pylock.toml"], True, (0, []), id="pin-writes-pylock"),
        pytest.param("2025.0.4", ["pylock.toml"], True, (0, [
            "pylock.toml:1:1: pipfile-lock is not read by pipenv 2025.0.4, which app `app` pins at .platform.app.yaml:5: pylock support came in "
            "pipenv 2026.0.0, so the build installs Pipfile.lock and its `pipenv lock` does not rewrite this file, whatever `[pipenv] use_pylock` says: "
            "pin pipenv 2026.0.0 or later, or delete pylock.toml if nothing else installs it",
        ]), id="pin-predates-pylock"),
        pytest.param(None, ["pylock.toml"], False, (1, [
            ONLY + "pylock.toml, which records no Pipfile hash: the `pipenv sync` of pipenv 2026.4.0 and later installs it unchecked, "
            "`pipenv verify` fails, and " + RELOCKS + "pylock.toml",
        ]), id="only-pylock"),
        pytest.param(None, ["pylock.toml", "pylock.dev.toml"], False, (1, [
            ONLY + "pylock.toml, which records no Pipfile hash: the `pipenv sync` of pipenv 2026.4.0 and later installs it unchecked, "
            "`pipenv verify` fails, and " + RELOCKS + "pylock.toml",
        ]), id="only-pylock-toml-first"),
        pytest.param(None, ["pylock.b.toml", "pylock.a.toml"], False, (1, [
            ONLY + "pylock.a.toml and pylock.b.toml, which record no Pipfile hash: the `pipenv sync` of pipenv 2026.4.0 and later installs one unchecked, "
            "`pipenv verify` fails, and `pipenv install --deploy` re-locks, installing releases nobody tested "
            "(pipenv takes whichever pylock file its directory listing gives first): run `pipenv lock` and commit Pipfile.lock with pylock.a.toml and pylock.b.toml",
        ]), id="only-named-pylocks"),
        pytest.param("2026.5.0", ["pylock.toml"], False, (1, [
            ONLY + "pylock.toml, which records no Pipfile hash: the `pipenv sync` of pipenv 2026.5.0, which app `app` pins at .platform.app.yaml:5, "
            "installs it unchecked, `pipenv verify` fails, and " + RELOCKS + "pylock.toml",
        ]), id="only-pylock-pin-syncs-it"),
        pytest.param("2026.2.0", ["pylock.toml"], False, (1, [
            ONLY + "pylock.toml, which pipenv 2026.2.0, which app `app` pins at .platform.app.yaml:5, does not install (`pipenv sync` from a "
            "pylock file came in pipenv 2026.4.0): `pipenv sync` and `pipenv verify` fail, and " + RELOCKS + "pylock.toml",
        ]), id="only-pylock-pin-writes-it"),
        pytest.param("2023.12.1", ["pylock.toml"], False, (1, [
            ONLY + "pylock.toml, which pipenv 2023.12.1, which app `app` pins at .platform.app.yaml:5, does not read (pylock support came in "
            "pipenv 2026.0.0): `pipenv sync` fails, and " + RELOCKS + "pylock.toml",
        ]), id="only-pylock-pin-predates-it"),
    ],
)  # fmt: skip
def test_pylock_beside_the_pipfile(in_tmp: Path, capsys: pytest.CaptureFixture[str], pin: str | None, pylocks: list[str], with_lock: bool, expected: tuple[int, list[str]]) -> None:
    (in_tmp / ".git").mkdir()
    pipfile = SOURCE + '[packages]\ndjango = "==5.1.4"\n\n[pipenv]\nuse_pylock = true\n'
    write_pair(in_tmp, pipfile, "0")
    write_pair(in_tmp, pipfile, hash_of(in_tmp))
    if not with_lock:
        (in_tmp / "Pipfile.lock").unlink()
    for name in pylocks:
        (in_tmp / name).write_text(PYLOCK)
    if pin is not None:
        (in_tmp / ".platform.app.yaml").write_text(APP.format(pin))
    before = tree_digest(in_tmp)
    # Whichever of the project's files changed, the project is judged the same.
    for changed in (["Pipfile"], pylocks[:1]):
        assert run(capsys, *changed) == expected
    assert tree_digest(in_tmp) == before


def test_a_pylock_file_without_a_pipfile_is_not_this_hook_s(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "pylock.toml").write_text(PYLOCK)
    assert run(capsys, "pylock.toml") == (0, [])


def test_each_project_is_judged_once(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_pair(in_tmp / "svc", SOURCE + '[packages]\nsix = "*"\n', "0" * 64)
    code, out = run(capsys, "svc/Pipfile", "svc/Pipfile.lock", "svc/Pipfile")
    assert code == 1
    assert len(out) == 1 and out[0].startswith("svc/Pipfile.lock:4:1: pipfile-lock is out of date")


def test_old_pipenv_lock_is_explained(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pipfile = SOURCE + '[packages]\nDjango = "==5.1.4"\n'
    write_pair(in_tmp, pipfile, "0")
    write_pair(in_tmp, pipfile, model.names_as_written_hash(model.read_pipfile("Pipfile"), SOURCES))
    code, out = run(capsys, "Pipfile")
    assert code == 1
    assert out == [
        "Pipfile.lock:4:1: pipfile-lock is in sync for pipenv older than 2026.4.0 only, which hashed package names as written; "
        "pipenv 2026.4.0 and later normalise names and reject it: run `pipenv lock` with a current pipenv"
    ]


def test_pipfile_without_source_uses_the_lock_s_index_and_says_so(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pipfile = '[packages]\nsix = "*"\n'
    write_pair(in_tmp, pipfile, "0")
    write_pair(in_tmp, pipfile, hash_of(in_tmp))
    code, out = run(capsys, "Pipfile")
    assert code == 0
    assert out == [
        "Pipfile:1:1: pipfile-lock declares no [[source]], so it was judged with the index Pipfile.lock records (https://example.org/simple); "
        "pipenv hashes the index it uses by default, which may differ: declare [[source]] in the Pipfile and run `pipenv lock`, so that every machine hashes the same index"
    ]
    (in_tmp / "Pipfile").write_text('[packages]\nsix = "==1.16.0"\n')
    code, out = run(capsys, "Pipfile")
    assert code == 1
    assert "declares no [[source]]: pipenv then hashes the index of the locking machine's pip configuration" in out[0]


@pytest.mark.parametrize(
    ("pipfile", "lock", "expected"),
    [
        pytest.param("[packages\n", None, "Pipfile:1:10: pipfile-lock error: is not valid TOML:", id="bad-toml"),
        pytest.param('[[source]]\nurl = "https://example.org/simple"\n', None, "Pipfile:1:1: pipfile-lock error: a [[source]] has no `name`, which pipenv requires", id="source-without-name"),
        pytest.param(
            SOURCE + '[packages]\nx = {version = "*", python_version_ = "3"}\n',
            None,
            "Pipfile:7:1: pipfile-lock error: package `x` in [packages] has option(s) pipenv does not know: python_version_",
            id="unknown-option",
        ),
        pytest.param(SOURCE + "[packages]\nx = true\n", None, "Pipfile:7:1: pipfile-lock error: package `x` in [packages] is neither a version string nor a table", id="bool-package"),
        pytest.param('docs = "mkdocs"\n' + SOURCE, None, "Pipfile:1:1: pipfile-lock error: `docs` is not a table of packages", id="category-not-a-table"),
        pytest.param(SOURCE + "[packages]\nx = 2024-01-01\n", None, "Pipfile:7:1: pipfile-lock error: `packages.x` is a TOML date/time, which pipenv cannot hash", id="datetime"),
        pytest.param(SOURCE + "[requires]\npython_version = 3.11\n", None, "Pipfile:7:1: pipfile-lock error: `[requires] python_version` must be a string", id="requires-float"),
        pytest.param(SOURCE, "{", "Pipfile.lock:1:2: pipfile-lock error: is not valid JSON:", id="bad-json"),
        pytest.param(SOURCE, "[]", "Pipfile.lock:1:1: pipfile-lock error: is not a JSON object, so pipenv cannot read this lock", id="json-list"),
        pytest.param(SOURCE, '{"default": {}}', "Pipfile.lock:1:1: pipfile-lock error: has no `_meta` object", id="no-meta"),
        pytest.param(SOURCE, '{\n"_meta": {"hash": {}}}', "Pipfile.lock:2:1: pipfile-lock error: has no `_meta.hash.sha256` string", id="no-hash"),
        pytest.param(SOURCE, '{"_meta": {"hash": {"sha256": 5}}}', "Pipfile.lock:1:1: pipfile-lock error: has no `_meta.hash.sha256` string", id="hash-not-a-string"),
        pytest.param("", '{"_meta": {"hash": {"sha256": "ab"}}}', "Pipfile.lock:1:1: pipfile-lock error: has no `_meta.sources`", id="no-source-anywhere"),
        pytest.param(b"\xff\xfe[", None, "Pipfile:1:1: pipfile-lock error: is not valid UTF-16", id="bad-utf16"),
    ],
)
def test_bad_input_is_one_line(in_tmp: Path, capsys: pytest.CaptureFixture[str], pipfile: str | bytes, lock: str | None, expected: str) -> None:
    (in_tmp / "Pipfile").write_bytes(pipfile if isinstance(pipfile, bytes) else pipfile.encode())
    (in_tmp / "Pipfile.lock").write_text(lock if lock is not None else json.dumps({"_meta": {"hash": {"sha256": "ab"}, "sources": SOURCES}}))
    before = tree_digest(in_tmp)
    code, out = run(capsys, "Pipfile", "Pipfile.lock")
    assert code == 1
    assert len(out) == 1 and out[0].startswith(expected), out
    assert tree_digest(in_tmp) == before


# -- the spec's vectors (real pipenv output), with the index URL taken from pipenv at test time ---


@pytest.fixture(scope="module")
def pipenv_default_sources() -> list[dict]:
    import tomllib
    from pipenv.vendor.plette.pipfiles import DEFAULT_SOURCE_TOML

    return tomllib.loads(DEFAULT_SOURCE_TOML)["source"]


V1 = '[packages]\nsix = "*"\n\n[dev-packages]\niniconfig = "==2.0.0"\n\n[requires]\npython_version = "3.11"\n'
V2 = (
    '[packages]\nrequests = {version = "*", extras = ["socks"]}\nattrs = ">=22.1"\n\n'
    '[dev-packages]\npytest = {version = "*", markers = "python_version >= \'3.8\'"}\n\n'
    '[docs]\nMarkdown = "*"\n\n[lint]\nmccabe = "==0.7.0"\n\n[requires]\npython_version = "3.11"\n'
)
V3 = (
    '[packages]\nTyping_Extensions = "*"\n"zope.interface" = "*"\nPyYAML = {version = ">=6", platform_machine = "== \'x86_64\'"}\n\n'
    '[dev-packages]\nIniconfig = "*"\n\n[scripts]\nhello = "python -c \'print(1)\'"\n\n[pipenv]\nallow_prereleases = false\n\n'
    '[requires]\npython_version = "3.11"\n'
)


@pytest.mark.parametrize(
    ("text", "current", "as_written"),
    [
        pytest.param(V1, "1a498d26fb3ef8b4a0023e4565985288329ef1bd3f9d3f3d161b6c6dd6a54be3", "1a498d26fb3ef8b4a0023e4565985288329ef1bd3f9d3f3d161b6c6dd6a54be3", id="V1"),
        pytest.param(V2, "342aaa93e28a14c9b880622dfd1f0f337afab363d4c6b9329aed98379a585317", "8726bccb2539d1206fe7c57e4188f9c3986f69020b90121e3d4b9ee488e3f72b", id="V2"),
        pytest.param(V3, "bd0ab20dd31090a94de834e1a3d2e93312bf1bb8393d9f70651aa0f2396bf5e3", "6de5de4656b1ef7017c04b7d162b7b2b052654c4b859deae340d7bf607b8973a", id="V3"),
    ],
)
def test_spec_vectors(tmp_path: Path, pipenv_default_sources: list[dict], text: str, current: str, as_written: str) -> None:
    (tmp_path / "Pipfile").write_text(text)
    pipfile = model.read_pipfile(str(tmp_path / "Pipfile"))
    assert model.current_hash(pipfile, pipenv_default_sources) == current
    assert model.names_as_written_hash(pipfile, pipenv_default_sources) == as_written


# -- edited real pairs ----------------------------------------------------------------------------

# A corpus case (read in place; each test edits its own copy in tmp_path).
IN_SYNC_CASE = CORPUS / "locks" / "pipenv" / "platformsh-templates__django4__2638a0af"


def _edits() -> list[pytest.param]:
    return [
        pytest.param(lambda t: "# a comment\n" + t + "\n# another\n", True, id="comments"),
        pytest.param(lambda t: t.replace(" = ", "   =   "), True, id="whitespace"),
        pytest.param(lambda t: t.replace('"', "'") if "'" not in t else t, True, id="quote-style"),
        pytest.param(lambda t: "\n\n".join(reversed(t.strip().split("\n\n"))) + "\n", True, id="table-order"),
        pytest.param(lambda t: t + '\n[scripts]\nserve = "gunicorn app"\n', True, id="scripts-added"),
        pytest.param(lambda t: t + "\n[pipenv]\nallow_prereleases = true\n", True, id="pipenv-table-added"),
        pytest.param(lambda t: t.replace("[packages]\n", '[packages]\nzz-new-package = "==1.0"\n'), False, id="package-added"),
        pytest.param(lambda t: t.replace("verify_ssl = true", "verify_ssl = false"), False, id="source-changed"),
        pytest.param(lambda t: t.replace('python_version = "', 'python_version = "1'), False, id="requires-changed"),
        pytest.param(lambda t: t + "\n[docs]\n", False, id="empty-category-added"),
    ]


@needs_corpus
@pytest.mark.parametrize(("edit", "still_in_sync"), _edits())
def test_edited_real_pair(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, edit, still_in_sync: bool) -> None:
    shutil.copy(IN_SYNC_CASE / "Pipfile", tmp_path / "Pipfile")
    shutil.copy(IN_SYNC_CASE / "Pipfile.lock", tmp_path / "Pipfile.lock")
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "Pipfile") == (0, [])
    text = (tmp_path / "Pipfile").read_text()
    edited = edit(text)
    assert edited != text
    (tmp_path / "Pipfile").write_text(edited)
    code, out = run(capsys, "Pipfile")
    assert (code == 0) is still_in_sync, out
    assert pipenv_verdict(tmp_path) is still_in_sync


@needs_corpus
def test_edited_pair_case_is_in_sync_with_a_source_and_a_version() -> None:
    text = (IN_SYNC_CASE / "Pipfile").read_text()
    assert "[[source]]" in text and "verify_ssl = true" in text and "python_version" in text


# -- differential: pipenv's own code on generated Pipfiles ----------------------------------------


@pytest.fixture(scope="module", autouse=True)
def pipenv_without_pip_configuration() -> Iterator[None]:
    # pipenv folds the machine's pip configuration into the hash of a Pipfile without [[source]].
    saved = {key: os.environ.get(key) for key in ("PIP_CONFIG_FILE", "PIPENV_VERBOSITY", "PIPENV_IGNORE_VIRTUALENVS")}
    os.environ.update(PIP_CONFIG_FILE=os.devnull, PIPENV_VERBOSITY="-1", PIPENV_IGNORE_VIRTUALENVS="1")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def pipenv_hashes(directory: Path) -> tuple[str, str | None]:
    """(pipenv's Pipfile hash, the lock's hash as pipenv reads it), by pipenv's own Project."""
    from pipenv.project import Project

    previous = os.getcwd()
    os.chdir(directory)
    try:
        project = Project()
        return project.pipfile.calculate_hash(), project.lockfile.hash() if (directory / "Pipfile.lock").exists() else None
    finally:
        os.chdir(previous)


def pipenv_verdict(directory: Path) -> bool:
    """`pipenv verify`: in sync ⇔ the lock's hash equals the Pipfile's."""
    pipfile_hash, lock_hash = pipenv_hashes(directory)
    return lock_hash == pipfile_hash


_names = st.sampled_from(["requests", "Django", "zope.interface", "Typing_Extensions", "ruamel.yaml", "x", "PyYAML", "café", "名前", "a-b.c_d"])
_specs = st.sampled_from(["*", "==1.0", ">=2,<3", "~=1.4", "==1.*"])
_markers = st.sampled_from(["python_version >= '3.8'", "sys_platform == 'linux'"])
_package = st.one_of(
    _specs,
    st.fixed_dictionaries({"version": _specs}, optional={"extras": st.lists(st.sampled_from(["socks", "security", "bcrypt"]), max_size=2, unique=True), "markers": _markers}),
    st.fixed_dictionaries({"git": st.just("https://example.org/r.git")}, optional={"ref": st.just("main"), "editable": st.booleans()}),
    st.fixed_dictionaries({"path": st.just("./pkg")}, optional={"editable": st.booleans()}),
    st.fixed_dictionaries({"version": _specs, "index": st.just("private")}),
    st.fixed_dictionaries({"version": _specs, "platform_machine": st.just("== 'x86_64'")}),
)
_packages = st.dictionaries(_names, _package, max_size=4)
_source = st.fixed_dictionaries(
    {"name": st.sampled_from(["pypi", "private", "mirror"]), "url": st.sampled_from(["https://example.org/simple", "${PRIVATE_INDEX_URL}/simple", "https://user:${TOKEN}@example.net/simple"])},
    optional={"verify_ssl": st.booleans()},
)


@st.composite
def pipfiles(draw: st.DrawFn) -> dict:
    document: dict = {}
    if draw(st.booleans()):
        document["source"] = draw(st.lists(_source, min_size=1, max_size=3))
    document["packages"] = draw(_packages)
    if draw(st.booleans()):
        document["dev-packages"] = draw(_packages)
    for category in draw(st.lists(st.sampled_from(["docs", "lint", "Tests"]), max_size=2, unique=True)):
        document[category] = draw(_packages)
    if draw(st.booleans()):
        document["requires"] = draw(st.fixed_dictionaries({}, optional={"python_version": st.sampled_from(["3.11", "3.12"]), "python_full_version": st.just("3.12.1")}))
    if draw(st.booleans()):
        document["scripts"] = {"serve": "gunicorn app:app"}
    if draw(st.booleans()):
        document["pipenv"] = {"allow_prereleases": draw(st.booleans())}
    keys = list(document)
    draw(st.randoms(use_true_random=False)).shuffle(keys)
    return {key: document[key] for key in keys}


def toml_text(document: dict, rng: random.Random) -> str:
    import tomlkit

    out = tomlkit.document()
    for key, value in document.items():
        if key == "source":
            array = tomlkit.aot()
            for source in value:
                array.append(tomlkit.item(source))
            out[key] = array
            continue
        table = tomlkit.table()
        for name, spec in value.items():
            if isinstance(spec, dict):
                inline = tomlkit.inline_table()
                inline.update(spec)
                table[name] = inline
            else:
                table[name] = spec
        out[key] = table
    text = tomlkit.dumps(out)
    if rng.random() < 0.5:
        text = "# generated\n" + text.replace("\n[", "\n\n# section\n[")
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=pipfiles(), seed=st.integers(0, 2**16), lock_choice=st.sampled_from(["ours", "theirs", "other"]))
def test_hash_and_verdict_equal_pipenv_s(tmp_path_factory: pytest.TempPathFactory, pipenv_default_sources: list[dict], document: dict, seed: int, lock_choice: str) -> None:
    directory = tmp_path_factory.mktemp("pipenv")
    (directory / "Pipfile").write_text(toml_text(document, random.Random(seed)), encoding="utf-8")
    theirs, _ = pipenv_hashes(directory)
    ours = model.current_hash(model.read_pipfile(str(directory / "Pipfile")), pipenv_default_sources)
    assert ours == theirs
    digest = {"ours": ours, "theirs": theirs, "other": "".join(random.Random(seed).choices(string.hexdigits.lower()[:16], k=64))}[lock_choice]
    meta = {"hash": {"sha256": digest}, "pipfile-spec": 6, "requires": {}, "sources": pipenv_default_sources}
    (directory / "Pipfile.lock").write_text(json.dumps({"_meta": meta, "default": {}, "develop": {}}))
    previous = os.getcwd()
    os.chdir(directory)
    try:
        code = main(["Pipfile", "Pipfile.lock"])
    finally:
        os.chdir(previous)
    assert (code == 0) is pipenv_verdict(directory)
