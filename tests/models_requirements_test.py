from __future__ import annotations

import shlex

from hypothesis import given
from hypothesis import strategies as st

from hooks.models.requirements import split_options


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
