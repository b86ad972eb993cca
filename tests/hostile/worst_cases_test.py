"""The worst inputs of issue 12, each through its hook in a fresh interpreter: it ends quickly,
within bounded memory, with one `error:` line naming the file or a plain judgement, and no
traceback. `benchmarks/hostile.py` prints the measured figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.cases import CASES, Case, errors, run, write

# Loose bounds for a loaded two-core CI machine; the measured figures are in the benchmark.
SECONDS = 2.0
PEAK_MB = 400


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_worst_case_ends_quickly_in_one_line(tmp_path: Path, case: Case) -> None:
    write(case, str(tmp_path))
    result = run(case, str(tmp_path), timeout=30, memory_mb=2048)
    assert result.failure == "", result.failure
    assert result.code in (0, 1)
    assert result.seconds is not None and result.seconds < SECONDS
    assert result.peak_mb is not None and result.peak_mb < PEAK_MB
    found = errors(result.lines)
    if case.refused:
        assert len(found) == 1 and found[0][0] in case.files, result.lines
        if case.item.startswith("1 "):
            assert "alias to itself" in found[0][1]
        elif case.item.startswith("2 "):
            assert "alias" not in found[0][1]
    else:
        assert found == [], result.lines
