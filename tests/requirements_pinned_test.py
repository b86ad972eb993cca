from __future__ import annotations

import json
from pathlib import Path

import pytest

from hooks.entry_points import requirements_pinned as main
from tests.conftest import tree_digest

SHA = "8a737e727ac5ab2f1d4cf5876720ed276dc8dc4b"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(
    "line",
    [
        "django==5.1.4",
        "django===5.1.4",
        "Django==5.1.4",
        "requests[socks,security]==2.32.3",
        'requests==2.32.3 ; python_version >= "3.9"',
        "coverage==3.6b1",
        f"git+https://github.com/psf/black.git@{SHA}#egg=black",
        f"-e git+https://github.com/psf/black.git@{SHA}#egg=black",
        f"black @ git+https://github.com/psf/black.git@{SHA}",
        f"git+ssh://git@github.com/psf/black.git@{SHA}#egg=black",
        "https://example.org/pkg-1.0.tar.gz#sha256=" + "a" * 64,
        "pkg @ https://example.org/pkg-1.0.tar.gz --hash=sha256:" + "a" * 64,
        "-e .",
        "./vendor/pkg",
        "-e .[pg]",
        "django>=4  # lockguard: allow-unpinned",
        "",
        "# only a comment",
        "--index-url https://example.org/simple",
    ],
)
def test_pinned_lines_pass(in_tmp: Path, capsys: pytest.CaptureFixture[str], line: str) -> None:
    Path("requirements.txt").write_text(line + "\n")
    assert run(capsys, "requirements.txt") == (0, [])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param("django>=4", "`django>=4` is not pinned: `>=4` allows many releases", id="range"),
        pytest.param("django", "`django` is not pinned: it has no version", id="bare-name"),
        pytest.param("django==5.*", "`django==5.*` is not pinned: `==5.*` is a wildcard", id="wildcard-is-not-a-pin"),
        pytest.param("django~=5.1", "`django~=5.1` is not pinned", id="compatible-release"),
        pytest.param("django!=5.0", "`django!=5.0` is not pinned", id="exclusion"),
        pytest.param("django>=4,<6", "`django>=4,<6` is not pinned", id="two-sided-range"),
        pytest.param("git+https://github.com/psf/black.git@main#egg=black", "is a VCS URL at `main`, a branch, tag or short id", id="vcs-branch"),
        pytest.param("git+https://github.com/psf/black.git@8a737e7#egg=black", "is a VCS URL at `8a737e7`", id="vcs-short-id"),
        pytest.param("-e git+https://github.com/psf/black.git#egg=black", "is a VCS URL with no revision", id="editable-vcs-no-rev"),
        pytest.param("https://example.org/main.tar.gz", "is an archive URL without a hash", id="archive-no-hash"),
        pytest.param("django>=4  # allow-unpinned", "is not pinned", id="opt-out-needs-the-lockguard-prefix"),
    ],
)
def test_unpinned_lines_fail(in_tmp: Path, capsys: pytest.CaptureFixture[str], line: str, message: str) -> None:
    Path("requirements.txt").write_text("# header\n" + line + "\n")
    code, out = run(capsys, "requirements.txt")
    assert code == 1
    assert len(out) == 1
    assert out[0].startswith("requirements.txt:2:1: requirements-pinned ")
    assert message in out[0]


def test_acceptance_sub_directory(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("sub").mkdir()
    Path("sub/requirements.txt").write_text("django>=4\n")
    code, out = run(capsys, "sub/requirements.txt")
    assert code == 1
    assert out == [
        "sub/requirements.txt:1:1: requirements-pinned `django>=4` is not pinned: `>=4` allows many releases; pin it to the release you tested: `pip freeze` in the app's environment prints the line"
    ]
    Path("sub/requirements.txt").write_text("django==5.1.4\n")
    assert run(capsys, "sub/requirements.txt") == (0, [])


@pytest.mark.parametrize(
    ("name", "content", "source"),
    [
        ("poetry.lock", '[[package]]\nname = "Django"\nversion = "5.1.4"\n', "poetry.lock"),
        ("uv.lock", 'version = 1\n[[package]]\nname = "django"\nversion = "5.1.4"\n', "uv.lock"),
        ("Pipfile.lock", json.dumps({"_meta": {}, "default": {"django": {"version": "==5.1.4"}}}), "Pipfile.lock"),
        ("constraints.txt", "django==5.1.4\nflask==3.0.0\n", "constraints.txt"),
        ("requirements/prod.txt", "django==5.1.4\n", "requirements/prod.txt"),
    ],
)
def test_fix_proposes_the_version_the_project_pins(in_tmp: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, source: str) -> None:
    Path(name).parent.mkdir(exist_ok=True)
    Path(name).write_text(content)
    Path("requirements.txt").write_text("django>=4\n")
    code, out = run(capsys, "requirements.txt")
    assert code == 1
    assert out[0].endswith(f"pin it: `django==5.1.4` (the version in {source})")


def test_no_proposal_from_a_file_that_is_not_fully_pinned(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("constraints.txt").write_text("django==5.1.4\nflask\n")
    Path("requirements.txt").write_text("django>=4\n")
    _, out = run(capsys, "requirements.txt")
    assert "pip freeze" in out[0]


def test_includes_are_followed_and_reported_where_the_requirement_is(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("requirements").mkdir()
    Path("requirements/base.txt").write_text("flask==3.0.0\nrequests\n")
    Path("requirements/dev.txt").write_text("-r base.txt\n-c ../constraints.txt\npytest==8.0.0\n")
    Path("constraints.txt").write_text("urllib3<3\n")
    code, out = run(capsys, "requirements/dev.txt")
    assert code == 1
    assert [line.split(": requirements-pinned ")[0] for line in out] == ["constraints.txt:1:1", "requirements/base.txt:2:1"]


def test_a_file_included_twice_is_reported_once(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("base.txt").write_text("requests\n")
    Path("requirements.txt").write_text("-r base.txt\n")
    Path("requirements-dev.txt").write_text("-r base.txt\n-r requirements.txt\n")
    code, out = run(capsys, "requirements.txt", "requirements-dev.txt")
    assert code == 1
    assert len(out) == 1 and out[0].startswith("base.txt:1:1:")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param({"requirements.txt": "-r missing.txt\n"}, "requirements.txt:1:1: requirements-pinned `-r missing.txt`: the included file does not exist", id="missing"),
        pytest.param({"requirements.txt": "-r requirements.txt\n"}, "requirements.txt:1:1: requirements-pinned `-r requirements.txt` makes an include cycle", id="self-cycle"),
        pytest.param({"requirements.txt": "-r b.txt\n", "b.txt": "flask==3.0.0\n-r requirements.txt\n"}, "b.txt:2:1: requirements-pinned `-r requirements.txt` makes an include cycle", id="cycle"),
        pytest.param({"requirements.txt": "-r https://example.org/r.txt\n"}, "includes a remote file", id="remote"),
        pytest.param({"requirements.txt": "-r sub\n", "sub/x": ""}, "`-r sub`: the included file is a directory", id="directory"),
    ],
)
def test_include_problems(in_tmp: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], message: str) -> None:
    for name, content in files.items():
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(content)
    code, out = run(capsys, "requirements.txt")
    assert code == 1
    assert len(out) == 1 and message in out[0]


def test_hashes_are_all_or_nothing(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("requirements.txt").write_text(f"flask==3.0.0 \\\n    --hash=sha256:{'a' * 64}\nclick==8.1.7\n")
    code, out = run(capsys, "requirements.txt")
    assert code == 1
    assert len(out) == 1 and out[0].startswith("requirements.txt:3:1:") and "has no `--hash`" in out[0]


@pytest.mark.parametrize(
    ("argv", "pyproject", "expected"),
    [
        pytest.param([], "", 0, id="default-allows-local"),
        pytest.param(["--no-local-paths"], "", 1, id="arg"),
        pytest.param([], "[tool.lockguard.requirements-pinned]\nno-local-paths = true\n", 1, id="config"),
    ],
)
def test_local_paths(in_tmp: Path, capsys: pytest.CaptureFixture[str], argv: list[str], pyproject: str, expected: int) -> None:
    Path("pyproject.toml").write_text(pyproject)
    Path("requirements.txt").write_text("-e .\n")
    code, out = run(capsys, "requirements.txt", *argv)
    assert code == expected
    assert len(out) == expected


def test_require_hashes_option(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("requirements.txt").write_text("flask==3.0.0\n")
    assert run(capsys, "requirements.txt")[0] == 0
    code, out = run(capsys, "requirements.txt", "--require-hashes")
    assert code == 1 and "has no `--hash`" in out[0]


def test_require_hashes_in_the_file(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("requirements.txt").write_text("--require-hashes\nflask==3.0.0\n")
    code, out = run(capsys, "requirements.txt")
    assert code == 1 and out[0].startswith("requirements.txt:2:1:")


def test_unparseable_line_gives_pips_reason(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("requirements.txt").write_text("flask==3.0.0\n{%- if cookiecutter.use_docker %}\n")
    code, out = run(capsys, "requirements.txt")
    assert code == 1
    assert len(out) == 1
    assert out[0].startswith("requirements.txt:2:1: requirements-pinned pip cannot parse this line: Invalid requirement")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"\xef\xbb\xbfdjango==5.1.4\r\nflask>=3\r\n", "requirements.txt:2:1: requirements-pinned `flask>=3` is not pinned", id="utf8-bom-crlf"),
        pytest.param("django==5.1.4\nflask>=3\n".encode("utf-16"), "requirements.txt:2:1: requirements-pinned `flask>=3` is not pinned", id="utf16-bom-decoded"),
        pytest.param("django==5.1.4\n".encode("utf-16-le"), "requirements.txt:1:1: requirements-pinned error: looks like UTF-16 without a byte-order mark", id="utf16-no-bom"),
        pytest.param(b"django==5.1.4\nfl\x00ask\n", "requirements.txt:2:1: requirements-pinned error: contains a NUL character", id="nul"),
        pytest.param(b"django==5.1.4\n\xff\xfe\xfa\n", "requirements.txt:2:1: requirements-pinned error: is not valid UTF-8", id="latin1"),
    ],
)
def test_encodings(in_tmp: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str) -> None:
    Path("requirements.txt").write_bytes(content)
    before = tree_digest(in_tmp)
    code, out = run(capsys, "requirements.txt")
    assert code == 1
    assert len(out) == 1 and out[0].startswith(expected)
    assert tree_digest(in_tmp) == before


def test_empty_file_passes(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("requirements.txt").write_text("")
    assert run(capsys, "requirements.txt") == (0, [])
