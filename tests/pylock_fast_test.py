"""What `hooks.models.plain_pylock` accepts, `packaging.pylock` accepts: on tables, on generated
documents (valid ones and mutated ones) and on every pylock file of tests/ and examples/, where
the `pylock` hook says the same with the fast path and without it, and the fast path is taken."""

from __future__ import annotations

import copy
import datetime
import shlex
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.pylock import Pylock, PylockValidationError

from hooks import reading
from hooks.catalogue import BY_ID
from hooks.models import plain_pylock
from hooks.models import pylock as model
from tests.conftest import hook_main

ROOT = Path(__file__).resolve().parent.parent
main = hook_main(BY_ID["pylock"])
SHA = {"sha256": "ab" * 32}
UPLOADED = datetime.datetime(2024, 12, 4, 17, 35, 28, tzinfo=datetime.timezone.utc)


def packaging_accepts(data: dict[str, Any]) -> bool:
    try:
        Pylock.from_dict(data)
    except PylockValidationError:
        return False
    return True


def lock(*packages: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"lock-version": "1.0", "created-by": "test", **top, "packages": list(packages)}


def six(**fields: Any) -> dict[str, Any]:
    """six 1.17.0 from an index, with any field replaced (None removes it)."""
    package = {
        "name": "six",
        "version": "1.17.0",
        "index": "https://index.example.org/simple",
        "sdist": {"url": "https://files.example.org/94/six-1.17.0.tar.gz", "upload-time": UPLOADED, "size": 34031, "hashes": SHA},
        "wheels": [{"url": "https://files.example.org/b7/six-1.17.0-py2.py3-none-any.whl", "upload-time": UPLOADED, "size": 11050, "hashes": SHA}],
    }
    package.update(fields)
    return {key: value for key, value in package.items() if value is not None}


def direct(**fields: Any) -> dict[str, Any]:
    return six(index=None, sdist=None, wheels=None, **fields)


def wheel(name: str, **fields: Any) -> list[dict[str, Any]]:
    return [{"url": f"https://files.example.org/b7/{name}", "hashes": SHA, **fields}]


# (document, what packaging says): the fast path accepts each of these.
PLAIN = {
    "no-packages": lock(),
    "index-package": lock(six()),
    "lock-version-1": {**lock(six()), "lock-version": "1"},
    "every-top-level-key": lock(
        six(), environments=["sys_platform == 'linux'"], extras=["socks", "dev-tools"], **{"dependency-groups": ["dev"], "default-groups": ["default"], "requires-python": ">=3.9, <4"}, tool={"x": {}}
    ),
    "requires-python-empty": lock(six(), **{"requires-python": ""}),
    "no-version": lock(six(version=None)),
    "wheel-by-name": lock(six(wheels=[{"name": "six-1.17.0-py2.py3-none-any.whl", "url": "https://files.example.org/x", "hashes": SHA}])),
    "wheel-by-path": lock(six(sdist=None, wheels=[{"path": "dist\\six-1.17.0-py3-none-any.whl", "hashes": SHA}])),
    "wheel-file-url": lock(six(sdist=None, wheels=wheel("six-1.17.0-py3-none-any.whl", url="file:///wheels/six-1.17.0-py3-none-any.whl"))),
    "wheel-build-and-tag-set": lock(six(sdist=None, wheels=wheel("six-1.17.0-1abc-cp311.cp312-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"))),
    "wheel-name-spelt-otherwise": lock(six(name="zope-interface", version="6.0", sdist=None, wheels=wheel("Zope.Interface-6.0.0-py3-none-any.whl"))),
    "sdist-zip-only": lock(six(sdist={"url": "https://files.example.org/SIX-1.17.zip", "hashes": SHA}, wheels=None)),
    "pre-post-dev": lock(six(version="2.0rc1.post2.dev3", sdist=None, wheels=wheel("six-2.0rc1.post2.dev3-py3-none-any.whl"))),
    "wheels-empty-with-sdist": lock(six(wheels=[])),
    "directory": lock(direct(directory={"path": "libs/greeting", "editable": True})),
    "directory-empty-path": lock(direct(directory={"path": ""})),
    "vcs": lock(direct(vcs={"type": "git", "url": "https://example.org/six.git", "requested-revision": "main", "commit-id": "0" * 40, "subdirectory": "src"})),
    "archive": lock(direct(archive={"path": "six.zip", "size": 3, "hashes": {"sha256": "00", "md5": "11"}})),
    "markers": lock(six(marker="('dev' in dependency_groups) and (python_version >= '3.9' or sys_platform == \"win32\")")),
    "marker-not-in": lock(six(marker="'socks' not in extras and platform_machine != 'arm64'")),
    "marker-value-first": lock(six(marker="'3.9' <= python_version")),
    "marker-spaces-around": lock(six(marker=" \t( python_version>='3.9' )\t")),
    "package-extras": lock(six(**{"requires-python": ">=3.8", "dependencies": [{"name": "x"}], "attestation-identities": [{"kind": "GitHub", "repository": "a/b"}], "tool": {"uv": {}}})),
}

# (document, what packaging says): the fast path leaves each to packaging.
TO_PACKAGING = {
    "lock-version-1.1": ({**lock(six()), "lock-version": "1.1"}, True),
    "lock-version-2": ({**lock(six()), "lock-version": "2.0"}, False),
    "lock-version-a-float": ({**lock(six()), "lock-version": 1.0}, False),
    "no-created-by": ({"lock-version": "1.0", "packages": []}, False),
    "no-packages-key": ({"lock-version": "1.0", "created-by": "x"}, False),
    "packages-a-table": ({**lock(), "packages": {}}, False),
    "name-not-normalized": (lock(six(name="Six")), False),
    "local-version": (lock(six(version="1.17.0+local", sdist=None, wheels=wheel("six-1.17.0+local-py3-none-any.whl"))), True),
    "version-v-prefix": (lock(six(version="v1.17.0")), True),
    "version-invalid": (lock(six(version="x y")), False),
    "version-mismatch": (lock(six(version="1.16.0")), False),
    "name-mismatch": (lock(six(sdist=None, wheels=wheel("sux-1.17.0-py3-none-any.whl"))), False),
    "wheel-two-parts-of-tag": (lock(six(sdist=None, wheels=wheel("six-1.17.0-py3-none.whl"))), False),
    "wheel-not-a-whl": (lock(six(sdist=None, wheels=wheel("six-1.17.0.tar.gz"))), False),
    "wheel-double-underscore": (lock(six(name="a-b", sdist=None, wheels=wheel("a__b-1.17.0-py3-none-any.whl"))), False),
    "url-with-query": (lock(six(sdist=None, wheels=wheel("six-1.17.0-py3-none-any.whl?x=1"))), True),
    "url-percent-encoded": (lock(six(sdist=None, wheels=wheel("six-1.17.0-py3-none-any%2Ewhl"))), True),
    "url-without-path": (lock(six(sdist=None, wheels=[{"url": "https://six-1.17.0-py3-none-any.whl", "hashes": SHA}])), False),
    "marker-legacy-name": (lock(six(marker="os.name == 'posix'")), True),
    "marker-escape": (lock(six(marker="os_name == '\\t'")), True),
    "marker-bad-escape": (lock(six(marker="os_name == '\\N'")), False),
    "marker-unfinished": (lock(six(marker="python_version >= '3.9' and")), False),
    "marker-empty": (lock(six(marker="")), False),
    "marker-no-spaces": (lock(six(marker="python_version>='3'and os_name=='nt'")), True),
    "marker-nested-deep": (lock(six(marker="(" * 21 + "os_name == 'nt'" + ")" * 21)), True),
    "marker-unknown-variable": (lock(six(marker="python_versions == '3'")), False),
    "marker-unbalanced": (lock(six(marker="(os_name == 'nt'))")), False),
    "marker-newline": (lock(six(marker="os_name == 'nt'\n")), False),
    "environments-legacy": (lock(six(), environments=["os.name == 'posix'"]), True),
    "extras-not-normalized": (lock(six(), extras=["Dev_Tools"]), False),
    "requires-python-wildcard": (lock(six(), **{"requires-python": ">=3.9.*"}), False),
    "requires-python-pre-release": (lock(six(), **{"requires-python": ">=3.10rc1"}), True),
    "size-a-bool": (lock(six(sdist={"url": "https://files.example.org/six-1.17.0.tar.gz", "size": True, "hashes": SHA})), False),
    "upload-time-a-date": (lock(six(sdist={"url": "https://files.example.org/six-1.17.0.tar.gz", "upload-time": datetime.date(2024, 1, 1), "hashes": SHA})), False),
    "hashes-empty": (lock(six(sdist={"url": "https://files.example.org/six-1.17.0.tar.gz", "hashes": {}})), False),
    "hash-not-a-string": (lock(six(sdist={"url": "https://files.example.org/six-1.17.0.tar.gz", "hashes": {"sha256": 1}})), False),
    "no-url-or-path": (lock(six(sdist={"name": "six-1.17.0.tar.gz", "hashes": SHA})), False),
    "no-source": (lock(six(index=None, sdist=None, wheels=None)), False),
    "sdist-and-directory": (lock(six(directory={"path": "."})), False),
    "two-direct-sources": (lock(direct(directory={"path": "."}, archive={"path": "a.zip", "hashes": SHA})), False),
    "editable-a-string": (lock(direct(directory={"path": ".", "editable": "yes"})), False),
    "vcs-without-commit": (lock(direct(vcs={"type": "git", "url": "https://example.org/six.git"})), False),
    "attestation-without-kind": (lock(six(**{"attestation-identities": [{"repository": "a/b"}]})), False),
    "dependencies-not-tables": (lock(six(dependencies=["x"])), False),
}


@pytest.mark.parametrize("name", PLAIN)
def test_a_plain_document_is_accepted_as_packaging_accepts_it(name: str) -> None:
    assert (plain_pylock.accepts(PLAIN[name]), packaging_accepts(PLAIN[name])) == (True, True)


@pytest.mark.parametrize("name", TO_PACKAGING)
def test_anything_else_is_left_to_packaging(name: str) -> None:
    document, verdict = TO_PACKAGING[name]
    assert (plain_pylock.accepts(document), packaging_accepts(document)) == (False, verdict)


# -- generated documents ----------------------------------------------------------------------

NAMES = ["six", "zope-interface", "a", "x1-y2"]
RELEASES = ["1.17.0", "1.17", "2.0rc1", "3.0.post1", "0.1.dev2", "1.0a1.post2.dev3", "26"]
TAGS = ["py3-none-any", "py2.py3-none-any", "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64", "cp39-abi3-win_amd64"]
MARKER_PARTS = [
    "python_version >= '3.9'",
    "'dev' in dependency_groups",
    'sys_platform == "win32"',
    "'socks' not in extras",
    "extra == 'Dev_Tools'",
    "os.name == 'nt'",
    "os_name == '\\t'",
    "(",
    ")",
    " and ",
    " or ",
    "and",
    " ",
    "not",
    "'",
]
SPECIFIER_PARTS = [">=3.9", "<4", " ", ",", "==3.*", "~=3", "~=3.9", ">=3.10rc1", "!=3.9.1", "== 01.2", "\n"]
# Half plain ones, half joined from parts (mostly not plain, often invalid).
MARKERS = st.one_of(
    st.sampled_from(["python_version >= '3.9'", "('dev' in dependency_groups) and (sys_platform == \"win32\" or os_name != 'nt')"]),
    st.lists(st.sampled_from(MARKER_PARTS), min_size=1, max_size=5).map("".join),
)
SPECIFIERS = st.one_of(st.sampled_from([">=3.9", ">= 3.8, <4", ""]), st.lists(st.sampled_from(SPECIFIER_PARTS), max_size=3).map("".join))
SOMETIMES = st.sampled_from([True, False, False])
# Values a mutation puts in place of another: every TOML type, and strings that look right.
VALUES = ["", "x", "1.0", "six", "Six", "py3-none-any", 0, -1, True, 1.5, [], {}, ["x"], [{}], {"a": "b"}, {"sha256": 1}, UPLOADED, datetime.date(2024, 1, 1), datetime.time(1, 2)]


def spelt(release: str) -> st.SearchStrategy[str]:
    """Mostly the version, else another spelling of it, another version or no version at all."""
    return st.sampled_from([release] * 6 + [release + ".0", release.upper(), f" {release}", "1.0", f"{release}+local", "x"])


@st.composite
def files(draw: st.DrawFn, name: str, release: str, wheel: bool) -> dict[str, Any]:
    stem = draw(st.sampled_from([name.replace("-", "_")] * 3 + [name, name.upper().replace("-", "."), name + "_", "x"]))
    version = draw(spelt(release))
    if wheel:
        build = draw(st.sampled_from([""] * 4 + ["-1", "-1abc", "-x1"]))
        filename = f"{stem}-{version}{build}-{draw(st.sampled_from([*TAGS, *TAGS, 'py3-none', 'py3.-none-any', '3py-none-any']))}.whl"
    else:
        filename = f"{stem}-{version}{draw(st.sampled_from(['.tar.gz'] * 3 + ['.zip', '.tgz']))}"
    where = draw(st.sampled_from(["url"] * 4 + ["path", "name", "query"]))
    entry: dict[str, Any] = {
        "url": {"url": f"https://files.example.org/ab/{filename}"},
        "path": {"path": f"dist/{filename}"},
        "name": {"name": filename, "url": "https://files.example.org/x"},
        "query": {"url": f"https://files.example.org/{filename}?x=1#y"},
    }[where]
    entry["hashes"] = draw(st.sampled_from([SHA] * 6 + [{}, {"sha256": 1}, {"md5": "x", "sha256": "y"}]))
    if draw(SOMETIMES):
        entry["size"] = draw(st.sampled_from([1] * 4 + [0, True, "1"]))
    if draw(SOMETIMES):
        entry["upload-time"] = draw(st.sampled_from([UPLOADED] * 4 + [datetime.date(2024, 1, 1), "2024-01-01"]))
    return entry


@st.composite
def packages(draw: st.DrawFn) -> dict[str, Any]:
    name = draw(st.sampled_from(NAMES))
    release = draw(st.sampled_from(RELEASES))
    package: dict[str, Any] = {"name": draw(st.sampled_from([name] * 6 + [name.upper(), name + "."]))}
    if draw(st.booleans()):
        package["version"] = draw(spelt(release))
    if draw(SOMETIMES):
        package["marker"] = draw(MARKERS)
    if draw(SOMETIMES):
        package["requires-python"] = draw(SPECIFIERS)
    source = draw(st.sampled_from(["files"] * 6 + ["directory", "vcs", "archive", "mixed", "none"]))
    if source in ("files", "mixed"):
        package["index"] = "https://index.example.org/simple"
        if draw(st.booleans()):
            package["sdist"] = draw(files(name, release, wheel=False))
        package["wheels"] = draw(st.lists(files(name, release, wheel=True), max_size=2))
    if source in ("directory", "mixed"):
        package["directory"] = draw(st.sampled_from([{"path": "."}, {"path": "libs/a", "editable": True}, {"path": "."}, {"editable": False}]))
    if source == "vcs":
        package["vcs"] = draw(st.sampled_from([{"type": "git", "url": "https://example.org/a.git", "commit-id": "0" * 40}, {"type": "git", "commit-id": "0" * 40}]))
    if source == "archive":
        package["archive"] = draw(st.sampled_from([{"url": "https://example.org/a.zip", "hashes": SHA}, {"path": "a.zip", "hashes": {}}, {"path": "", "hashes": SHA}]))
    return package


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    document = lock(*draw(st.lists(packages(), max_size=3)))
    if draw(SOMETIMES):
        document["requires-python"] = draw(SPECIFIERS)
    if draw(SOMETIMES):
        document["environments"] = draw(st.lists(MARKERS, max_size=2))
    if draw(SOMETIMES):
        document["extras"] = draw(st.lists(st.sampled_from(["socks", "dev-tools", "Dev_Tools"]), max_size=2))
    return document


def _places(value: Any) -> list[tuple[Any, Any]]:
    """Every (table or array, key or index) in the document."""
    found: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        item = stack.pop()
        keys = list(item) if isinstance(item, dict) else range(len(item)) if isinstance(item, list) else []
        for key in keys:
            found.append((item, key))
            stack.append(item[key])
    return found


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A generated document with one to three of its values replaced, edited or removed."""
    document = copy.deepcopy(draw(documents()))
    for _ in range(draw(st.integers(1, 3))):
        places = _places(document)
        if not places:
            break
        parent, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "edit", "remove"]))
        if action == "remove" and isinstance(parent, dict):
            del parent[key]
        elif action == "edit" and isinstance(parent[key], str):
            text = parent[key]
            at = draw(st.integers(0, len(text)))
            parent[key] = text[:at] + draw(st.sampled_from(["-", ".", "_", " ", "\\", "'", "(", "A", "é", "\n", "0", "--"])) + text[at + 1 :]
        else:
            parent[key] = copy.deepcopy(draw(st.sampled_from(VALUES)))  # VALUES stays as it is
    return document


def _compare(strategy: st.SearchStrategy[dict[str, Any]], examples: int) -> Counter[tuple[bool, bool]]:
    seen: Counter[tuple[bool, bool]] = Counter()

    @settings(max_examples=examples, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(strategy)
    def compare(document: dict[str, Any]) -> None:
        fast, verdict = plain_pylock.accepts(document), packaging_accepts(document)
        seen[fast, verdict] += 1
        assert verdict or not fast, "the fast path accepted what packaging refuses"

    compare()
    return seen


def test_generated_documents_are_accepted_only_when_packaging_accepts_them() -> None:
    seen = _compare(documents(), 600)
    # Enough of each kind compared for the property to say something (derandomized: 77, 516, 7).
    assert seen[True, True] >= 50 and seen[False, False] >= 100 and seen[False, True] >= 5, seen


def test_mutated_documents_are_accepted_only_when_packaging_accepts_them() -> None:
    seen = _compare(mutated(), 600)
    assert seen[True, True] >= 15 and seen[False, False] >= 100, seen  # 23 and 573


# -- the files of tests/ and examples/ ------------------------------------------------------------

FIXTURES = sorted(str(path.relative_to(ROOT)) for folder in ("tests", "examples") for path in (ROOT / folder).rglob("pylock*.toml"))
# pipenv writes a file index as a package without a source: packaging refuses it.
INVALID = {"tests/data/pylock/pipenv-file-index/pylock.toml"}


def test_every_fixture_is_compared() -> None:
    assert len(FIXTURES) >= 12 and INVALID <= set(FIXTURES)


@pytest.mark.parametrize("fixture", FIXTURES)
def test_the_hook_says_the_same_without_the_fast_path(fixture: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # The fixture's folder as a repository of its own, as pre-commit runs the hook in it.
    repo = tmp_path / "repo"
    shutil.copytree((ROOT / fixture).parent, repo)
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo)
    name = Path(fixture).name
    data = reading.read_toml(name)
    fast = plain_pylock.accepts(data)
    assert (fast, packaging_accepts(data)) == ((False, False) if fixture in INVALID else (True, True))
    with_fast = main([name]), capsys.readouterr().out
    read_fast = _read(name)
    monkeypatch.setattr(plain_pylock, "accepts", lambda data: False)
    assert (main([name]), capsys.readouterr().out) == with_fast
    assert _read(name) == read_fast


def _read(path: str) -> Any:
    try:
        return model.read(path)
    except Exception as error:  # the same error either way
        return type(error), str(error)


# -- the header's command, read without shlex ----------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        "uv export --frozen --format pylock.toml -o pylock.toml",
        "uv  pip\tcompile requirements.in -o pylock.toml\r",
        "uv export --format pylock.toml --group=dev -o pylock.dev.toml  ",
        "uv pip compile 'my file.in' -o pylock.toml",
        'uv pip compile "a b.in" --extra=x\\ y',
    ],
)
def test_the_header_command_is_read_as_shlex_reads_it(command: str) -> None:
    text = f"# This file was autogenerated by uv via the following command:\n#    {command}\nlock-version = '1.0'\n"
    assert model._header_command(text) == tuple(shlex.split(command))
