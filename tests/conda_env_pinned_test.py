"""`conda-env-pinned`: conda MatchSpecs, the `pip:` list (the requirements-pinned judgement),
explicit and conda-lock files, and bad input. The corpus holds no conda environment, so the
files are written here, in the shapes conda's documentation and `conda env export` give."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooks.entry_points import conda_env_pinned as main
from hooks.models.conda import parse_spec
from tests.conftest import tree_digest


@pytest.mark.parametrize(
    ("spec", "exact"),
    [
        ("numpy=1.26.4", True),
        ("numpy==1.26.4", True),
        ("numpy=1.26.4=py311h64a7726_0", True),
        ("numpy==1.26.4=py311h64a7726_0", True),
        ("conda-forge::numpy=1.26.4", True),
        ("numpy 1.26.4 py311_0", True),
        ("numpy[version='1.26.4']", True),
        ("python=3.12", True),  # conda's `=` names the 3.12 line; the issue counts it as one version
        ("numpy", False),
        ("conda-forge::numpy", False),
        ("numpy>=1.26", False),
        ("numpy=1.26.*", False),
        ("numpy>=1.26,<2", False),
        ("numpy[version='>=1.26']", False),
        ("numpy 1.26|1.27", False),
    ],
)
def test_matchspecs(spec: str, exact: bool) -> None:
    assert parse_spec(spec, 1).exact is exact


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().out.splitlines()


def test_findings_name_the_line_and_the_fix(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "environment.yml").write_text(
        "name: app\nchannels: [conda-forge]\ndependencies:\n  - python=3.12.7\n  - numpy>=1.26\n  - pip:\n      - requests\n      - flask==3.0.3\n      - git+https://example.org/x.git@main#egg=x\n"
    )
    before = tree_digest(in_tmp)
    assert run(capsys, "environment.yml") == (
        1,
        [
            "environment.yml:5:1: conda-env-pinned `numpy>=1.26` allows many releases: pin it, `numpy=X.Y.Z` (`conda env export --no-builds` prints the versions installed)",
            "environment.yml:7:1: conda-env-pinned in `pip:`, `requests` is not pinned: it has no version, so pip installs whatever release is newest; `pip freeze` in the environment prints the pinned line",
            "environment.yml:9:1: conda-env-pinned in `pip:`, `git+https://example.org/x.git@main#egg=x` is a VCS URL at `main`, a branch, tag or short id that can move: use the full 40-character commit id; `pip freeze` in the environment prints the pinned line",
        ],
    )
    assert tree_digest(in_tmp) == before


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("name: app\ndependencies:\n  - numpy=1.26.4=py311h64a7726_0\n  - pip:\n      - requests==2.32.3\n      - -e .\n", id="export"),
        pytest.param(
            "# This file may be used to create an environment using:\n# $ conda create --name <env> --file <this file>\n@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py311h64a7726_0.conda\n",
            id="explicit",
        ),
        pytest.param("version: 1\nmetadata:\n  platforms: [linux-64]\npackage:\n  - name: numpy\n    version: 1.26.4\n", id="conda-lock"),
        pytest.param("", id="empty"),
        pytest.param("name: app\n", id="no-dependencies"),
    ],
)
def test_pinned_files_pass(in_tmp: Path, capsys: pytest.CaptureFixture[str], content: str) -> None:
    (in_tmp / "environment.yml").write_text(content)
    assert run(capsys, "environment.yml") == (0, [])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param("dependencies: [numpy\n", "environment.yml:2:1: conda-env-pinned error: is not valid YAML", id="bad-yaml"),
        pytest.param("- numpy\n", "environment.yml:1:1: conda-env-pinned error: is not a mapping", id="list"),
        pytest.param("dependencies: numpy\n", "environment.yml:1:1: conda-env-pinned error: `dependencies` is not a list", id="not-a-list"),
        pytest.param("dependencies:\n  - {foo: bar}\n", "environment.yml:2:5: conda-env-pinned error: a dependency is neither", id="odd-item"),
        pytest.param("dependencies:\n  - pip: requests\n", "environment.yml:2:5: conda-env-pinned error: the `pip:` entry is not a list", id="pip-not-a-list"),
        pytest.param(
            "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)),
            "environment.yml:1:1: conda-env-pinned error: expands to more than",
            id="alias-bomb",
        ),
    ],
)
def test_bad_input(in_tmp: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str) -> None:
    (in_tmp / "environment.yml").write_text(content)
    code, out = run(capsys, "environment.yml")
    assert code == 1 and len(out) == 1 and out[0].startswith(expected.split(":", 2)[0] + ":") and expected.split(": ", 1)[1] in out[0], out
