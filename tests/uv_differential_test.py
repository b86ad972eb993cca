"""uv-lock against the real uv, cause by cause: each case writes a minimal project, locks it with
uv, edits it (or not), and asks both uv (`uv lock --check --offline`) and lockguard whether the
lock is still fresh. The verdicts must be equal, and uv's must be the one the table records (the
table documents uv 0.13.9's behaviour; a new uv that changes its mind fails here first).

Projects depend only on local paths, workspace members and a local git repository, so uv
resolves them without a package index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.catalogue import BY_ID
from tests.conftest import hook_main

UV = shutil.which("uv", path=os.path.dirname(sys.executable)) or shutil.which("uv")
pytestmark = pytest.mark.skipif(UV is None, reason="the uv binary is absent: it is a test dependency (pip install '.[test]')")

# (case id, files written before `uv lock`, edits after it as (path, old, new), uv's verdict)
Case = tuple[str, dict[str, str], list[tuple[str, str, str]], bool]
FRESH, STALE = False, True


def project(name: str = "app", dependencies: str = "[]", more: str = "", requires_python: str = ">=3.9") -> str:
    return f'[project]\nname = "{name}"\nversion = "0.1.0"\nrequires-python = "{requires_python}"\ndependencies = {dependencies}\n{more}'


def package(name: str) -> str:
    """A local project uv can read without building (static metadata)."""
    return project(name, more='\n[build-system]\nrequires = ["uv_build"]\nbuild-backend = "uv_build"\n')


def uv(directory: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert UV is not None
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(directory),
        # Not UV_NO_CONFIG: it would also ignore pyproject's [tool.uv] settings.
        "XDG_CONFIG_HOME": str(directory / ".uv-config"),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_CACHE_DIR": str(cache),
    }
    return subprocess.run([UV, *args], check=False, cwd=directory, env=environment, capture_output=True, text=True)


def uv_says_stale(directory: Path, cache: Path) -> bool:
    result = uv(directory, cache, "lock", "--check", "--offline")
    if result.returncode == 0:
        return False
    if "needs to be updated" in result.stderr:
        return True
    pytest.fail(f"uv gave no verdict (an error): {result.stderr}")


def lockguard_says_stale(directory: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> bool:
    monkeypatch.chdir(directory)
    files = sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.name in ("pyproject.toml", "uv.lock") and not {".uv-config", ".git"} & set(p.parts))
    code = hook_main(BY_ID["uv-lock"])(files)
    output = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in output.err, output
    return code == 1


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("uv-cache")


@pytest.fixture
def compare(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[[list[Case]], int]:
    """Runs a table of cases; returns how many were compared, failing on any disagreement."""

    def run(cases: list[Case]) -> int:
        compared, disagreements = 0, []
        for name, files, edits, uv_verdict in cases:
            directory = tmp_path / name
            for path, text in files.items():
                (directory / path).parent.mkdir(parents=True, exist_ok=True)
                (directory / path).write_text(text)
            locked = uv(directory, cache, "lock", "--offline")
            if locked.returncode != 0:
                pytest.fail(f"{name}: uv lock failed: {locked.stderr}")
            for path, old, new in edits:
                text = (directory / path).read_text()
                assert old in text, (name, old)
                (directory / path).write_text(text.replace(old, new, 1))
            theirs = uv_says_stale(directory, cache)
            assert theirs is uv_verdict, f"{name}: uv says {'stale' if theirs else 'fresh'}, the table says otherwise"
            ours = lockguard_says_stale(directory, monkeypatch, capsys)
            if ours is not theirs:
                disagreements.append(f"{name}: uv says {'stale' if theirs else 'fresh'}, lockguard {'stale' if ours else 'fresh'}")
            compared += 1
        assert not disagreements
        return compared

    return run


# -- 1. relative exclude-newer: uv records the span, and compares it, not the time it resolved at

EXCLUDE_NEWER: list[Case] = [
    ("span-unchanged", {"pyproject.toml": project(more='\n[tool.uv]\nexclude-newer = "7 days"\n')}, [], FRESH),
    ("span-respelled-iso", {"pyproject.toml": project(more='\n[tool.uv]\nexclude-newer = "7 days"\n')}, [("pyproject.toml", '"7 days"', '"P7D"')], FRESH),
    ("span-in-weeks", {"pyproject.toml": project(more='\n[tool.uv]\nexclude-newer = "1 week"\n')}, [], FRESH),
    ("span-weeks-to-days", {"pyproject.toml": project(more='\n[tool.uv]\nexclude-newer = "1 week"\n')}, [("pyproject.toml", '"1 week"', '"7 days"')], STALE),
    ("span-changed", {"pyproject.toml": project(more='\n[tool.uv]\nexclude-newer = "7 days"\n')}, [("pyproject.toml", '"7 days"', '"8 days"')], STALE),
    ("span-to-timestamp", {"pyproject.toml": project(more='\n[tool.uv]\nexclude-newer = "7 days"\n')}, [("pyproject.toml", '"7 days"', '"2024-01-01T00:00:00Z"')], STALE),
    ("date-unchanged", {"pyproject.toml": project(more='\n[tool.uv]\nexclude-newer = "2024-01-01"\n')}, [], FRESH),
    ("date-later", {"pyproject.toml": project(more='\n[tool.uv]\nexclude-newer = "2024-01-01"\n')}, [("pyproject.toml", '"2024-01-01"', '"2024-01-03"')], FRESH),
    ("date-earlier", {"pyproject.toml": project(more='\n[tool.uv]\nexclude-newer = "2024-01-01"\n')}, [("pyproject.toml", '"2024-01-01"', '"2023-12-31"')], STALE),
    ("date-to-span", {"pyproject.toml": project(more='\n[tool.uv]\nexclude-newer = "2024-01-01"\n')}, [("pyproject.toml", '"2024-01-01"', '"7 days"')], STALE),
    ("span-removed", {"pyproject.toml": project(more='\n[tool.uv]\nexclude-newer = "7 days"\n')}, [("pyproject.toml", 'exclude-newer = "7 days"', "")], STALE),
]


def test_relative_exclude_newer(compare: Callable[[list[Case]], int]) -> None:
    assert compare(EXCLUDE_NEWER) == len(EXCLUDE_NEWER) == 11


# -- 2. markers by meaning, normalised as uv normalises them


def with_dep(marker: str, requires_python: str = ">=3.9", extras: int = 0) -> dict[str, str]:
    """A project requiring the local `dep` under `marker` (and, with `extras`, in that many extras)."""
    optional = "".join(f'e{i} = ["dep ; {marker}"]\n' for i in range(extras))
    more = f"\n[project.optional-dependencies]\n{optional}" if extras else ""
    more += '\n[tool.uv.sources]\ndep = { path = "dep" }\n'
    return {"pyproject.toml": project(dependencies=f'["dep ; {marker}"]', more=more, requires_python=requires_python), "dep/pyproject.toml": package("dep")}


MARKERS: list[Case] = [
    ("platform-system-windows", with_dep("platform_system == 'Windows'"), [], FRESH),
    ("windows-spelled-sys-platform", with_dep("platform_system == 'Windows'"), [("pyproject.toml", "dep ; platform_system == 'Windows'", "dep ; sys_platform == 'win32'")], FRESH),
    (
        "linux-and-darwin-aliases",
        with_dep("platform_system == 'Linux' or platform_system == 'Darwin'"),
        [("pyproject.toml", "dep ; platform_system == 'Linux' or platform_system == 'Darwin'", "dep ; sys_platform == 'darwin' or sys_platform == 'linux'")],
        FRESH,
    ),
    ("windows-to-linux", with_dep("platform_system == 'Windows'"), [("pyproject.toml", "dep ; platform_system == 'Windows'", "dep ; platform_system == 'Linux'")], STALE),
    ("os-name-is-no-alias", with_dep("sys_platform == 'win32'"), [("pyproject.toml", "dep ; sys_platform == 'win32'", "dep ; os_name == 'nt'")], STALE),
    ("freebsd-is-no-alias", with_dep("platform_system == 'FreeBSD'"), [("pyproject.toml", "dep ; platform_system == 'FreeBSD'", "dep ; sys_platform == 'freebsd'")], STALE),
    ("python-version-greater", with_dep("python_version > '3.10'"), [("pyproject.toml", "python_version > '3.10'", "python_full_version >= '3.11'")], FRESH),
    (
        "python-version-equal",
        with_dep("python_version == '3.13' and platform_system == 'Linux'"),
        [("pyproject.toml", "python_version == '3.13' and platform_system == 'Linux'", "sys_platform == 'linux' and python_full_version == '3.13.*'")],
        FRESH,
    ),
    ("python-version-patch-never-holds", with_dep("python_version == '3.13.1' or os_name == 'nt'"), [("pyproject.toml", "python_version == '3.13.1' or os_name == 'nt'", "os_name == 'nt'")], FRESH),
    ("implied-by-requires-python", with_dep("python_version >= '3.9' and os_name == 'nt'"), [("pyproject.toml", "python_version >= '3.9' and os_name == 'nt'", "os_name == 'nt'")], FRESH),
    ("not-implied-by-requires-python", with_dep("python_version >= '3.10' and os_name == 'nt'"), [("pyproject.toml", "python_version >= '3.10' and os_name == 'nt'", "os_name == 'nt'")], STALE),
    ("python-bound-moved-by-a-patch", with_dep("python_full_version >= '3.10.1'"), [("pyproject.toml", "python_full_version >= '3.10.1'", "python_full_version >= '3.10.2'")], STALE),
    (
        "boolean-rewritten",
        with_dep("(os_name == 'nt' or sys_platform == 'darwin') and platform_machine == 'x86_64'"),
        [
            (
                "pyproject.toml",
                "(os_name == 'nt' or sys_platform == 'darwin') and platform_machine == 'x86_64'",
                "platform_machine == 'x86_64' and os_name == 'nt' or sys_platform == 'darwin' and platform_machine == 'x86_64'",
            )
        ],
        FRESH,
    ),
    ("many-extras", with_dep("python_version >= '3.11' and platform_system == 'Linux'", extras=24), [], FRESH),
    (
        "many-extras-one-changed",
        with_dep("python_version >= '3.11' and platform_system == 'Linux'", extras=24),
        [("pyproject.toml", "e7 = [\"dep ; python_version >= '3.11' and platform_system == 'Linux'\"]", "e7 = [\"dep ; python_version >= '3.12' and platform_system == 'Linux'\"]")],
        STALE,
    ),
]


def test_markers_by_meaning(compare: Callable[[list[Case]], int]) -> None:
    assert compare(MARKERS) == len(MARKERS) == 15


def test_a_marker_with_many_extras_is_fast() -> None:
    # A truth table over 60 extras would have 2**60 rows; the decision diagram has one node each.
    import time

    from hooks.models import uv_markers

    started = time.perf_counter()
    extras = " or ".join(f"extra == 'e{i}'" for i in range(60))
    node = uv_markers.meaning(f"(python_version == '3.13' and platform_system == 'Linux') and ({extras})")
    same = uv_markers.meaning(f"({extras}) and sys_platform == 'linux' and python_full_version == '3.13.*'")
    assert node == same and time.perf_counter() - started < 0.5


# -- 3. PEP 508 direct references, as the lock records them


@pytest.fixture
def git_repository(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A local git repository holding the project `gitdep`, tagged v1, as a file:// URL."""
    if shutil.which("git") is None:
        pytest.skip("git is absent")
    repository = tmp_path_factory.mktemp("gitdep")
    (repository / "pyproject.toml").write_text(package("gitdep"))
    environment = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    for command in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-qm", "gitdep"], ["tag", "v1"]):
        subprocess.run(["git", *command], cwd=repository, env=environment, check=True)
    return f"file://{repository}"


def direct_references(git: str) -> list[Case]:
    def reference(requirement: str) -> dict[str, str]:
        return {"pyproject.toml": project(dependencies=f'["{requirement}"]')}

    # ${PROJECT_ROOT} is the workspace root, for a member too.
    member = {"app/pyproject.toml": project(dependencies='["dep @ file:///${PROJECT_ROOT}/dep"]'), "dep/pyproject.toml": package("dep"), "dep2/pyproject.toml": package("dep")}
    workspace = {**member, "pyproject.toml": project("root", more='\n[tool.uv.workspace]\nmembers = ["app"]\n')}
    alone = {"pyproject.toml": project(dependencies='["dep @ file:///${PROJECT_ROOT}/libs/../dep"]'), "dep/pyproject.toml": package("dep")}
    return [
        ("git-at-tag", reference(f"gitdep @ git+{git}@v1"), [], FRESH),
        ("git-at-tag-respelled", reference(f"gitdep @ git+{git}@v1"), [("pyproject.toml", "gitdep @ git", "GitDep@ git")], FRESH),
        ("git-without-reference", reference(f"gitdep @ git+{git}"), [], FRESH),
        ("git-reference-changed", reference(f"gitdep @ git+{git}@v1"), [("pyproject.toml", "@v1", "@main")], STALE),
        ("git-reference-added", reference(f"gitdep @ git+{git}"), [("pyproject.toml", f'git+{git}"', f'git+{git}@main"')], STALE),
        ("project-root-file-url", alone, [], FRESH),
        ("project-root-file-url-respelled", alone, [("pyproject.toml", "libs/../dep", "dep")], FRESH),
        ("project-root-file-url-in-a-member", workspace, [], FRESH),
        ("project-root-file-url-moved", workspace, [("app/pyproject.toml", "/dep", "/dep2")], STALE),
    ]


def test_direct_references(compare: Callable[[list[Case]], int], git_repository: str) -> None:
    cases = direct_references(git_repository)
    assert compare(cases) == len(cases) == 9


# -- 4. workspaces: nested members, a member's leftover lock, marker-split sources

NESTED = {
    "pyproject.toml": project("root", '["dep"]', '\n[tool.uv.workspace]\nmembers = ["a", "a/b"]\n\n[tool.uv.sources]\ndep = { path = "dep" }\n'),
    "a/pyproject.toml": project("a", '["dep"]'),
    "a/b/pyproject.toml": project("b", '["dep"]'),
    "dep/pyproject.toml": package("dep"),
}
SPLIT = {
    "pyproject.toml": project(
        dependencies='["dep"]',
        more="""
[tool.uv.sources]
dep = [
    { path = "dep-windows", marker = "sys_platform == 'win32'" },
    { path = "dep-other", marker = "sys_platform != 'win32'" },
]
""",
    ),
    "dep-windows/pyproject.toml": package("dep"),
    "dep-other/pyproject.toml": package("dep"),
}
VIRTUAL_ROOT = {
    "pyproject.toml": '[tool.uv.workspace]\nmembers = ["a"]\n\n[dependency-groups]\ndev = ["a"]\n\n[tool.uv.sources]\na = { workspace = true }\n',
    "a/pyproject.toml": package("a"),
}

WORKSPACES: list[Case] = [
    ("nested-member", NESTED, [], FRESH),
    ("nested-member-edited", NESTED, [("a/b/pyproject.toml", '["dep"]', '["dep>=0.1"]')], STALE),
    ("nested-member-gets-its-own-source", NESTED, [("a/b/pyproject.toml", '["dep"]', '["dep"]\n\n[tool.uv.sources]\ndep = { path = "../../dep" }\n')], STALE),
    ("marker-split-sources", SPLIT, [], FRESH),
    ("marker-split-sources-respelled", SPLIT, [("pyproject.toml", "sys_platform == 'win32'", "platform_system == 'Windows'")], FRESH),
    ("marker-split-sources-changed", SPLIT, [("pyproject.toml", "sys_platform == 'win32'", "os_name == 'nt'"), ("pyproject.toml", "sys_platform != 'win32'", "os_name != 'nt'")], STALE),
    ("virtual-root-groups", VIRTUAL_ROOT, [], FRESH),
    ("virtual-root-empty-group-added", VIRTUAL_ROOT, [("pyproject.toml", 'dev = ["a"]', 'dev = ["a"]\nlint = []')], FRESH),
    ("virtual-root-group-added", VIRTUAL_ROOT, [("pyproject.toml", 'dev = ["a"]', 'dev = ["a"]\nlint = ["a"]')], STALE),
    # uv drops the specifier of a requirement it takes from a workspace member or a path.
    ("virtual-root-group-specifier-of-a-member", VIRTUAL_ROOT, [("pyproject.toml", 'dev = ["a"]', 'dev = ["a>=0.1"]')], FRESH),
    ("virtual-root-group-marker-added", VIRTUAL_ROOT, [("pyproject.toml", 'dev = ["a"]', "dev = [\"a ; os_name == 'nt'\"]")], STALE),
]


def test_workspaces(compare: Callable[[list[Case]], int]) -> None:
    assert compare(WORKSPACES) == len(WORKSPACES) == 11


def test_a_member_s_leftover_lock_is_not_the_one_judged(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # The member was once a project of its own, with its own lock; uv now locks it at the root.
    member = tmp_path / "ws" / "a"
    member.mkdir(parents=True)
    (member / "pyproject.toml").write_text(project("a"))
    assert uv(member, cache, "lock", "--offline").returncode == 0
    (member / "pyproject.toml").write_text(project("a", '["dep"]', '\n[tool.uv.sources]\ndep = { path = "../dep" }\n'))
    (tmp_path / "ws" / "dep").mkdir()
    (tmp_path / "ws" / "dep" / "pyproject.toml").write_text(package("dep"))
    (tmp_path / "ws" / "pyproject.toml").write_text(project("root", more='\n[tool.uv.workspace]\nmembers = ["a"]\n'))
    assert uv(tmp_path / "ws", cache, "lock", "--offline").returncode == 0
    for directory in (tmp_path / "ws", member):
        assert uv_says_stale(directory, cache) is False
    assert lockguard_says_stale(tmp_path / "ws", monkeypatch, capsys) is False
    monkeypatch.chdir(tmp_path / "ws")
    assert hook_main(BY_ID["uv-lock"])(["a/pyproject.toml", "a/uv.lock"]) == 0
    assert capsys.readouterr().out.splitlines() == ["a/uv.lock:1:1: uv-lock is ignored: uv uses the workspace's lock, uv.lock: delete this uv.lock"]


# -- 5. resolution options, which uv leaves out of the lock at their defaults


def with_setting(setting: str) -> dict[str, str]:
    return {"pyproject.toml": project(more=f"\n[tool.uv]\n{setting}\n")}


OPTIONS: list[Case] = [
    ("prerelease-if-necessary", with_setting('prerelease = "if-necessary"'), [], FRESH),
    ("prerelease-if-necessary-removed", with_setting('prerelease = "if-necessary"'), [("pyproject.toml", 'prerelease = "if-necessary"', "")], FRESH),
    ("prerelease-allow", with_setting('prerelease = "allow"'), [], FRESH),
    ("prerelease-allow-to-explicit", with_setting('prerelease = "allow"'), [("pyproject.toml", '"allow"', '"explicit"')], STALE),
    ("prerelease-if-necessary-to-allow", with_setting('prerelease = "if-necessary"'), [("pyproject.toml", '"if-necessary"', '"allow"')], STALE),
    ("resolution-highest-spelled-out", with_setting('resolution = "highest"'), [], FRESH),
    ("resolution-lowest-removed", with_setting('resolution = "lowest"'), [("pyproject.toml", 'resolution = "lowest"', "")], STALE),
    ("fork-strategy-default", with_setting('fork-strategy = "requires-python"'), [], FRESH),
    ("fork-strategy-fewest", with_setting('fork-strategy = "fewest"'), [("pyproject.toml", '"fewest"', '"requires-python"')], STALE),
]


def test_resolution_options(compare: Callable[[list[Case]], int]) -> None:
    assert compare(OPTIONS) == len(OPTIONS) == 9


# -- 6. edits uv refuses that a static check can miss

WITH_DEP = {"pyproject.toml": project(more='\n[tool.uv.sources]\ndep = { path = "dep" }\n'), "dep/pyproject.toml": package("dep")}
MISSES: list[Case] = [
    ("build-constraint-added", WITH_DEP, [("pyproject.toml", "[tool.uv.sources]", '[tool.uv]\nbuild-constraint-dependencies = ["setuptools<80"]\n\n[tool.uv.sources]')], STALE),
    ("first-dependency-added", WITH_DEP, [("pyproject.toml", "dependencies = []", 'dependencies = ["dep"]')], STALE),
    ("first-extra-added", WITH_DEP, [("pyproject.toml", "[tool.uv.sources]", '[project.optional-dependencies]\nx = ["dep"]\n\n[tool.uv.sources]')], STALE),
    ("virtual-becomes-a-package", WITH_DEP, [("pyproject.toml", "[tool.uv.sources]", '[build-system]\nrequires = ["uv_build"]\nbuild-backend = "uv_build"\n\n[tool.uv.sources]')], STALE),
    ("virtual-by-setting-package-false", {"pyproject.toml": package("app")}, [("pyproject.toml", "[build-system]", "[tool.uv]\npackage = false\n\n[build-system]")], STALE),
    ("requires-python-patch-raised", {"pyproject.toml": project(requires_python=">=3.9.2")}, [("pyproject.toml", ">=3.9.2", ">=3.9.3")], STALE),
    ("requires-python-respelled", {"pyproject.toml": project(requires_python=">=3.9")}, [("pyproject.toml", ">=3.9", ">=3.9.0")], FRESH),
]


def test_edits_a_static_check_could_miss(compare: Callable[[list[Case]], int]) -> None:
    assert compare(MISSES) == len(MISSES) == 7
