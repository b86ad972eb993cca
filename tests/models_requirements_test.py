from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooks.models.requirements import split_options
from tests.conftest import CORPUS, DATA, corpus_params, needs_corpus


@given(st.text(alphabet=st.sampled_from(list("ab-=:_ \t\n\r\x0b\x0c\xa0\"'\\#$*")), max_size=60))
def test_split_options_is_shlex_split(text: str) -> None:
    try:
        expected = shlex.split(text)
    except ValueError:
        return  # unbalanced quotes: both raise, pip reports the line
    assert split_options(text) == expected


def test_options_do_not_leak_from_line_to_line(tmp_path) -> None:
    from hooks.models.requirements import parse

    path = tmp_path / "requirements.txt"
    path.write_text(f"a==1 --hash=sha256:{'1' * 64}\nb==2\n-r x.txt\n-r y.txt\nc==3 --hash=sha256:{'2' * 64}\n")
    parsed = parse(str(path))
    assert [r.hashes for r in parsed.requirements] == [(f"sha256:{'1' * 64}",), (), (f"sha256:{'2' * 64}",)]
    assert [i.target for i in parsed.includes] == ["x.txt", "y.txt"]


# The fast reading of simple lines must give exactly what pip's own parser gives, line for line,
# on the real requirements and constraints files of the shared corpus (read in place: its lock
# kinds and its platform repositories) and on any of this project's own fixtures in tests/data.
def _real_files(base: Path, folders: tuple[str, ...]) -> list[str]:
    return sorted(str(path) for folder in folders for path in (base / folder).glob("**/*.txt") if "requirements" in str(path.relative_to(base)) or "constraints" in str(path.relative_to(base)))


REAL_FILES = _real_files(DATA, (".",)) + corpus_params(lambda: _real_files(CORPUS, ("locks", "platform")))


def _real_file_id(path: str) -> str:
    return os.path.relpath(path, CORPUS) if Path(path).is_relative_to(CORPUS) else os.path.relpath(path, DATA.parent.parent)


@needs_corpus
@pytest.mark.parametrize("path", REAL_FILES, ids=_real_file_id)
def test_fast_reading_equals_pip_on_real_files(path: str) -> None:
    from hooks import reading
    from hooks.models.requirements import _parse

    text = reading.read_text(path)
    assert _parse(path, text, fast=True) == _parse(path, text, fast=False)


@needs_corpus
def test_there_are_real_files_with_hashes_and_simple_pins() -> None:
    texts = [Path(path).read_text(encoding="utf-8", errors="replace") for path in REAL_FILES]
    assert any("--hash=sha256:" in text for text in texts)
    assert sum(text.count("==") for text in texts) > 500


_names = st.sampled_from(["django", "Django", "zope.interface", "ruamel.yaml", "a", "a-b_c", "x1", "-bad", "bad-"])
_versions = st.sampled_from(["1", "1.2.3", "2.0.0rc1", "1.0+local.1", "1!2.0", "1.*", "1.0-foo", "0.0.post1", "v1.0", "1..0"])
_spaces = st.sampled_from(["", " ", "  ", "\t"])
_extras = st.sampled_from(["", "[socks]", "[a,b]", "[ a , b ]", "[]"])
_comments = st.sampled_from(["", " # pinned", "  # lockguard: allow-unpinned", "#nospace", " #", " \\"])
_markers = st.sampled_from(
    [
        "",
        ' ; python_version >= "3.9"',
        "; sys_platform == 'win32'",
        ' ; python_version >= "3.9" and python_version < "3.13"',
        ' ;extra == "Dev"',
        " ; platform_system == 'Windows' or sys_platform != \"linux\"",
        " ; (python_version >= '3.9')",
        " ; os_name == 'nt' # a comment",
        " ; python_version >= '3.9' ;",
        " ; unknown_variable == '1'",
        " ; python_version not in '3.8'",
        " ; ",
    ]
)
_hash = st.sampled_from([f"--hash=sha256:{'a' * 64}", f"--hash=sha256:{'B' * 64}", "--hash=md5:0f", "--hash sha256:00", "--hash=sha256:xyz"])


@st.composite
def requirement_lines(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["pin", "hashed", "comment", "blank", "other"]))
    if kind == "comment":
        return draw(_spaces) + "#" + draw(st.sampled_from([" a comment", " lockguard: allow-unpinned", " trailing \\"]))
    if kind == "blank":
        return draw(_spaces)
    if kind == "other":
        return draw(
            st.sampled_from(
                [
                    "-r other.txt",
                    "--index-url https://example.invalid/simple",
                    "flask>=2",
                    "-e .",
                    "-e ./libs/x  # the app",
                    "-e ../y",
                    "-e ./",
                    "-e .[dev]",
                    "--editable .",
                    "-e file:.",
                    "git+https://github.com/psf/black.git@8a737e727ac5ab2f1d4cf5876720ed276dc8dc4b#egg=Black",
                    "-e git+https://example.invalid/a/b.git@8a737e727ac5ab2f1d4cf5876720ed276dc8dc4b#egg=b_c  # pinned",
                    "git+https://example.invalid/a/b.git@main#egg=b",
                    "git+https://example.invalid/a/b.git@8a737e727ac5ab2f1d4cf5876720ed276dc8dc4b",
                    "git+https://example.invalid/a/b.git@8a737e727ac5ab2f1d4cf5876720ed276dc8dc4b#egg=b&subdirectory=x",
                    "requests ; python_version < '3.9'",
                    "pkg @ https://example.invalid/p.whl",
                    "${NAME}==1.0",
                    "x===1.0",
                ]
            )
        )
    pin = draw(_spaces) + draw(_names) + draw(_extras) + draw(_spaces) + "==" + draw(_spaces) + draw(_versions) + draw(_markers)
    if kind == "pin":
        return pin + draw(_comments)
    hashes = draw(st.lists(_hash, min_size=0, max_size=3))
    ends = draw(st.sampled_from(["", " \\"]))
    return "\n".join([pin + " \\"] + [f"    {h} \\" for h in hashes[:-1]] + [f"    {h}" for h in hashes[-1:]]) + ends


@settings(max_examples=300, deadline=None)
@given(st.lists(requirement_lines(), max_size=8), st.booleans())
def test_fast_reading_equals_pip_on_generated_files(lines: list[str], final_newline: bool) -> None:
    import tempfile

    from hooks.models.requirements import _parse

    text = "\n".join(lines) + ("\n" if final_newline else "")
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "requirements.txt")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        assert _parse(path, text, fast=True) == _parse(path, text, fast=False)


def test_parse_reads_a_changed_file_again(tmp_path: Path) -> None:
    from hooks.models.requirements import parse

    path = tmp_path / "requirements.txt"
    path.write_text("a==1\n")
    assert [r.specifier for r in parse(str(path)).requirements] == ["==1"]
    path.write_text("a==2.0\n")
    assert [r.specifier for r in parse(str(path)).requirements] == ["==2.0"]


@pytest.mark.parametrize(
    ("text", "read_fast"),
    [
        ("django==5.1.4\n", 1),
        ("Django[argon2] == 5.1.4  # pinned\n", 1),
        (f"x==1.0 \\\n    --hash=sha256:{'a' * 64} \\\n    --hash=sha256:{'b' * 64}\n", 1),
        ("flask>=2\n", 0),
        ("django==5.1.4 ; python_version < '3.9'\n", 1),  # a plain marker, as exports write it
        ("django==5.1.4 ; (python_version < '3.9')\n", 0),  # parentheses: pip reads it
        ("-e .\n", 1),  # the app's own code
        ("-e .[dev]\n", 0),
        ("git+https://example.invalid/a/b.git@8a737e727ac5ab2f1d4cf5876720ed276dc8dc4b#egg=b\n", 1),
        ("git+https://example.invalid/a/b.git@main#egg=b\n", 0),  # a branch: pip reads it, and the rule says it moves
        ("x==1.0 \\\n", 0),
    ],
)
def test_which_lines_are_read_without_pip(text: str, read_fast: int) -> None:
    from hooks.models.requirements import _read_simple_lines

    assert len(_read_simple_lines(text.split("\n"))[0]) == read_fast


@given(st.text(alphabet=st.sampled_from(list("aZ09-_.~ ")), max_size=12))
def test_canonical_names_are_packaging_s(name: str) -> None:
    from packaging.utils import canonicalize_name

    from hooks.models.names import canonical

    assert canonical(name) == canonicalize_name(name)


@pytest.mark.parametrize("specifier", ["==1.0", "==v1.0", "==1.0+local", "==1!2", "==1.0-foo", "==1..0", "==1.*", "===abc", "==1.0,!=2", ">=1", ""])
def test_exact_version_fast_path_agrees_with_specifier_set(specifier: str) -> None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from hooks.models.pinning import exact_version

    try:
        specs = list(SpecifierSet(specifier))
    except InvalidSpecifier:
        expected = None
    else:
        exact = [s.version for s in specs if s.operator == "===" or (s.operator == "==" and not s.version.endswith(".*"))]
        expected = exact[0] if exact else None
    assert exact_version(specifier) == expected
