"""The versions a lock pins, read line by line in the writers' layout: the same pairs as the
whole file parsed, on every real TOML lock; anything else is parsed whole."""

from __future__ import annotations

import pytest

from hooks.models import lock_versions
from hooks.reading import tomllib  # tomli before Python 3.11
from tests.conftest import CORPUS, corpus_params, needs_corpus


def _locks() -> list:
    paths = sorted(p for pattern in ("**/poetry.lock", "**/uv.lock", "**/pdm.lock") for p in CORPUS.glob(pattern))
    return [pytest.param(path, id=str(path.relative_to(CORPUS))) for path in paths]


@needs_corpus
@pytest.mark.parametrize("path", corpus_params(_locks))
def test_the_scan_reads_what_the_parse_reads(path) -> None:
    text = path.read_text(encoding="utf-8")
    scanned = lock_versions._scanned_packages(text)
    if scanned is not None:
        assert scanned == list(lock_versions._toml_packages(tomllib.loads(text)))


@needs_corpus
def test_real_locks_are_scanned() -> None:
    """All but the locks holding multi-line strings (one in the corpus) take the scan."""
    locks = [param.values[0] for param in _locks()]
    parsed_whole = [path for path in locks if lock_versions._scanned_packages(path.read_text(encoding="utf-8")) is None]
    assert len(locks) > 200 and len(parsed_whole) <= 2, parsed_whole


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[package]]\nname = "six"\nversion = "1.17.0"\n', [("six", "1.17.0")]),
        ('[[package]]\r\nname = "six"\r\nversion = "1.17.0"\r\n', [("six", "1.17.0")]),
        ('[[package]]\nname = "app"\nsource = { editable = "." }\n\n[[package]]\nname = "six"\nversion = "1.0"\n', [("six", "1.0")]),
        ('[[package]]\nname = "a"\nversion = "1"\n[package.metadata]\nname = "not-a"\nversion = "2"\n', [("a", "1")]),
        ('[[package]]\nname = "a"\nversion = "1"\n[[package.wheels]]\nname = "x"\n', [("a", "1")]),
        ("", []),
        ('[metadata]\nlock-version = "2.1"\n', []),
        # Not the writers' layout: parsed whole.
        ("[[package]]\nname = 'six'\nversion = '1.17.0'\n", None),
        ('[[package]]\nname = "s\\u0069x"\nversion = "1.0"\n', None),
        ('[[package]]\nname = "a"\nname = "b"\nversion = "1"\n', None),
        ('package = [{ name = "six", version = "1.0" }]\n', None),
        ('[[package]]\nname = "a"\nversion = "1"\ndescription = """\nname = "b"\n"""\n', None),
    ],
)
def test_scan_table(text: str, expected: list | None) -> None:
    assert lock_versions._scanned_packages(text) == expected
    if expected is not None and text:
        assert expected == list(lock_versions._toml_packages(tomllib.loads(text)))


def test_a_lock_of_tiny_tables_is_scanned_not_parsed() -> None:
    # 4 MiB of `[[package]]` tables cost tomllib 3.5 s and 350 MB; the scan reads it in one pass.
    text = "".join(f'[[package]]\nname = "p{i}"\nversion = "1.{i}"\n' for i in range(100_000))
    assert len(lock_versions._scanned_packages(text) or []) == 100_000
