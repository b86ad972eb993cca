"""Hook scripts read as dash reads them (hooks/models/shell_syntax.py): the verdict and the line of
a syntax error held against `dash -n` itself on hand-written scripts, on every hook script of the
platform corpora and on mutated scripts; its speed on pathological input; and the installs whose
failure `set -e` does not see, as a user sees them from `platform-build-hook`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hooks.catalogue import BY_ID
from hooks.models import app_config
from hooks.models.shell_syntax import judged, simple_commands, syntax_error
from hooks.platform_build_hook import _scripts
from tests.conftest import CORPUS, corpus_params, hook_main, needs_corpus

DASH = shutil.which("dash")
needs_dash = pytest.mark.skipif(DASH is None, reason="dash is not installed (apt-get install dash): the differential tests compare with `dash -n`")


def dash_says(script: str) -> int | None:
    """The line of dash's syntax error in `script`, or None when `dash -n` accepts it. Never a
    silent pass: without dash, a test that compares fails."""
    if DASH is None:
        pytest.fail("dash is missing, and this test compares with it")
    result = subprocess.run([DASH, "-n"], input=script, capture_output=True, text=True, timeout=10)
    if result.returncode == 0:
        return None
    found = re.search(r": (\d+): Syntax error: ", result.stderr)
    assert found, result.stderr
    return int(found[1])


def lockguard_says(script: str) -> int | None:
    error = syntax_error(script)
    return None if error is None else error.line


# -- (a) hand-written scripts: lockguard's line is dash's ---------------------------------------

SCRIPTS = [
    pytest.param('echo a\necho "b\nc\nd\n', 5, id="unclosed-double-quote"),
    pytest.param("set -eu\necho 'it\nls\n", 4, id="unclosed-single-quote"),
    pytest.param("echo a\necho $(foo\nbar\n", 4, id="unclosed-command-substitution"),
    pytest.param("echo `foo\n\n", 3, id="unclosed-backquote"),
    pytest.param("echo ${a:-x\n\n", 3, id="unclosed-brace-expansion"),
    pytest.param("echo $((1+\n", 2, id="unclosed-arithmetic"),
    pytest.param("if true\nthen x\n", 3, id="if-without-fi"),
    pytest.param("echo a\nfi\n", 2, id="stray-fi"),
    pytest.param("if :; then fi", 1, id="if-empty-then"),
    pytest.param("while :; do done", 1, id="while-empty-body"),
    pytest.param("for i in 1 2\ndo\n  echo $i\n", 4, id="for-without-done"),
    pytest.param("for x in a b; do echo; done\nfor; do\n", 2, id="for-bad-variable"),
    pytest.param("for x in a b\nc; do :; done", 2, id="for-words-then-word"),
    pytest.param("case a in\n\nb) x;;\n", 4, id="case-without-esac"),
    pytest.param("echo a\n\n\ncase a in a) x; esac b\n", 4, id="word-after-esac"),
    pytest.param("{ }", 1, id="empty-group"),
    pytest.param("{ x; }\n}", 2, id="stray-close-brace"),
    pytest.param("(\n)\n", 2, id="empty-subshell"),
    pytest.param("x |\n\n\n", 4, id="pipe-at-end"),
    pytest.param("&& x\n", 1, id="and-at-start"),
    pytest.param("a;;\n", 1, id="double-semicolon-outside-case"),
    pytest.param("x &;", 1, id="semicolon-after-ampersand"),
    pytest.param("! ! x", 1, id="double-bang"),
    pytest.param("x >", 1, id="redirection-without-file"),
    pytest.param("a=(1 2)", 1, id="bash-array"),
    pytest.param("echo <(x)", 1, id="bash-process-substitution"),
    pytest.param("x 2>&1 | y |& z", 1, id="bash-pipe-ampersand"),
    pytest.param("x <<< y", 1, id="bash-here-string"),
    pytest.param("function f { :; }", 1, id="bash-function-keyword"),
    pytest.param("f-x() { :; }", 1, id="bad-function-name"),
    pytest.param("cat <<EOF\n$(\nEOF\n", 4, id="heredoc-with-open-substitution"),
    pytest.param("echo ${foo\n}\nfi", 2, id="brace-after-name-newline"),
    pytest.param("set -eu\npip install -r requirements.txt\npython manage.py collectstatic --noinput\n", None, id="good-hook"),
    pytest.param("if a; then b; elif c; then d; else e; fi", None, id="good-if-elif-else"),
    pytest.param('case "$X" in\n  a|b) echo ab ;;\n  (c) ;;\n  *) echo other\nesac\n', None, id="good-case"),
    pytest.param("for i in 1 2 3\ndo\n echo $i\ndone\nwhile read a; do :; done < f\nuntil x; do y; done\n", None, id="good-loops"),
    pytest.param("f() { :; }\ng()\n{\n  x\n}\nf; g", None, id="good-functions"),
    pytest.param('cat <<EOF <<-A\nx $(echo)\nEOF\n\ty\n\tA\ncat <<"B"\n$(\nB\n', None, id="good-heredocs"),
    pytest.param("cat <<EOF\nx\n", None, id="good-heredoc-at-eof"),
    pytest.param('echo ${a:-foo bar} ${#a} $$ $? ${a:-"}"} $(( (1) + $((2)) )) "$(echo ")")" `echo \\`x\\``', None, id="good-expansions"),
    pytest.param('echo ${} ${#} ${a:-} ${a%%b*} ${a:=b} ${a:+"b"}', None, id="good-odd-substitutions"),
    pytest.param("echo `fi` `)`", None, id="good-backquote-stops-quietly"),
    pytest.param("echo a#b # ) ( `\n# only a comment\necho $(echo # )\n)", None, id="good-comments"),
    pytest.param("echo a \\\n b \\\n c\n", None, id="good-continuations"),
    pytest.param("echo fi then done case in esac { }\n[[ a ]]\n", None, id="good-keywords-as-words"),
    pytest.param("x >&2 2>&1 <&- >| f <> g\n>f\necho &> x\n", None, id="good-redirections"),
    pytest.param("", None, id="good-empty"),
    pytest.param("x || { echo failed; exit 1; }\ncd a && pip install -r r.txt\nx & y\n! x\n", None, id="good-lists"),
]


@pytest.mark.parametrize(("script", "line"), SCRIPTS)
def test_the_line_of_the_syntax_error(script: str, line: int | None) -> None:
    assert judged(script)
    assert lockguard_says(script) == line


@pytest.mark.parametrize("script", ["echo ${a b}", "echo ${1x}", 'echo "${KC_VERSION..."\nfi\necho "${KC_VERSION}"\n'])
def test_a_bad_substitution_is_not_judged(script: str) -> None:
    # dash refuses `${a b}` only when it runs; how it reads on from there is not judged.
    assert not judged(script)
    assert syntax_error(script) is None and simple_commands(script) is None


@needs_dash
@pytest.mark.parametrize(("script", "line"), SCRIPTS)
def test_dash_agrees(script: str, line: int | None) -> None:
    assert dash_says(script) == line


# -- (b) every hook script of the platform corpora -------------------------------------------------


def corpus_scripts() -> list[tuple[str, str, str]]:
    """(corpus folder, where, text) of every hook script, and every repository script a hook
    runs under dash, of the apps of ../shared/corpus/platform and platform-2."""
    found = []
    here = os.getcwd()
    try:
        for corpus in ("platform", "platform-2"):
            for folder in sorted(p for p in (CORPUS / corpus).iterdir() if p.is_dir()):
                os.chdir(folder)
                for app in app_config.load(".").apps:
                    found += [(f"{corpus}/{folder.name}", f"{source}:{place}", text) for place, source, _, text, _ in _scripts(app)]
    finally:
        os.chdir(here)
    return found


CORPUS_SCRIPTS = corpus_params(corpus_scripts)


@needs_corpus
@needs_dash
def test_every_hook_script_of_the_corpora_gets_dash_s_verdict() -> None:
    compared = 0
    for folder, where, text in CORPUS_SCRIPTS:
        assert lockguard_says(text) == dash_says(text), f"{folder} {where}"
        compared += 1
    # 70 hook scripts in platform/, 67 in platform-2/ and the 4 scripts its hooks run under dash.
    assert compared == 141


# -- (c) mutated scripts ---------------------------------------------------------------------------

# Pieces whose loss or gain breaks a script, or does not: dash decides.
PIECES = [
    "fi",
    "done",
    "then",
    "do",
    "esac",
    "if ",
    "case x in ",
    "for i in a; ",
    '"',
    "'",
    "`",
    "$(",
    "${",
    "$((",
    ")",
    "(",
    "}",
    "{ ",
    ";;",
    "|",
    "&&",
    "||",
    ";",
    "&",
    "\n",
    "\\",
    "<<EOF\n",
    "#",
    "!",
]
SEEDS = [text for _, _, text in CORPUS_SCRIPTS] or [values[0] for values in (param.values for param in SCRIPTS)]


@needs_dash
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_scripts_get_dash_s_verdict_and_line(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(SEEDS))
    for _ in range(data.draw(st.integers(1, 3))):
        piece = data.draw(st.sampled_from(PIECES))
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()) and piece in text:
            first = text.find(piece, at) if text.find(piece, at) >= 0 else text.find(piece)
            text = text[:first] + text[first + len(piece) :]
        else:
            text = text[:at] + piece + text[at:]
    assume(judged(text))  # a bad substitution (`${a b}`) or too deep: no verdict, so no finding
    assert lockguard_says(text) == dash_says(text)


# -- pathological input ----------------------------------------------------------------------------

MEGABYTE = 1 << 20


@pytest.mark.parametrize(
    "script",
    [
        pytest.param("'" * 100_000 + "x" * (MEGABYTE - 100_000), id="100k-single-quotes"),
        pytest.param('"' * 100_001 + " " * (MEGABYTE - 100_001), id="100k-double-quotes-unclosed"),
        pytest.param("$(" * (MEGABYTE // 2), id="nested-substitutions"),
        pytest.param("if x; then " * (MEGABYTE // 11), id="nested-ifs"),
        pytest.param("{ " * (MEGABYTE // 2), id="nested-groups"),
        pytest.param("`" * MEGABYTE, id="backquotes"),
        pytest.param("\\`" * (MEGABYTE // 2), id="escaped-backquotes"),
        pytest.param("echo `" + "\\a" * (MEGABYTE // 2), id="backquote-of-escapes"),
        pytest.param("${" * (MEGABYTE // 2), id="nested-braces"),
        pytest.param("$((" * (MEGABYTE // 3), id="nested-arithmetic"),
        pytest.param("cat <<EOF\n" * (MEGABYTE // 8), id="heredocs"),
        pytest.param("x |\n" * (MEGABYTE // 4) + "y", id="long-pipeline"),
        pytest.param("echo a && " * (MEGABYTE // 10) + "b", id="long-and-list"),
        pytest.param("a" * MEGABYTE, id="one-long-word"),
        pytest.param("\n" * MEGABYTE, id="newlines"),
    ],
)
def test_a_megabyte_of_pathological_script_is_read_in_well_under_a_second(script: str) -> None:
    started = time.perf_counter()
    syntax_error(script)
    simple_commands(script)
    assert time.perf_counter() - started < 0.5


# -- installs whose failure `set -e` does not see ---------------------------------------------------

APP = "name: app\ntype: 'python:3.12'\ndependencies:\n  python3:\n    pipenv: '2024.4.1'\nhooks:\n  build: |\n"


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        pytest.param("set -eu\npipenv install --deploy || true", [(9, "is followed by `|| true`")], id="or-true"),
        pytest.param("set -eu\npipenv install --deploy || :", [(9, "is followed by `|| :`")], id="or-colon"),
        pytest.param("set -eu\npipenv install --deploy || echo failed >&2", [(9, "is followed by `|| echo failed`")], id="or-echo"),
        pytest.param("set -eu\npipenv install --deploy || exit 1", [], id="or-exit"),
        pytest.param("set -eu\npipenv install --deploy || { echo failed; exit 1; }", [], id="or-group-that-exits"),
        pytest.param("set -eu\npipenv install --deploy | tee install.log", [(9, "is piped into `tee install.log`")], id="pipeline"),
        pytest.param("set -eu\npipenv install --deploy 2>&1 | tee install.log", [(9, "dash has no `set -o pipefail`")], id="pipeline-of-stderr"),
        pytest.param("set -eu\npipenv install --deploy > install.log 2>&1", [], id="redirected-to-a-file"),
        pytest.param("set -eu\nif pipenv install --deploy; then\n  echo ok\nfi", [(9, "is the condition of an `if`")], id="if-condition"),
        pytest.param("set -eu\nif ! pipenv install --deploy; then\n  exit 1\nfi", [], id="if-that-exits"),
        pytest.param("set -eu\nuntil pipenv install --deploy; do sleep 5; done", [], id="until-retries"),
        pytest.param("set -eu\n! pipenv install --deploy", [(9, "follows `!`")], id="negated"),
        pytest.param("set -eu\npipenv install --deploy && echo installed\necho next", [(9, "is followed by `&& echo installed`")], id="and-list-not-last"),
        pytest.param("set -eu\necho start\npipenv install --deploy && echo installed", [], id="and-list-ends-the-hook"),
        pytest.param("set -eu\ncd . && pipenv install --deploy\necho next", [], id="install-last-in-and-list"),
        pytest.param("set -eu\npipenv install --deploy &\necho next", [(9, "runs in the background")], id="background"),
        pytest.param("set -eu\npipenv install --deploy &\nwait $!", [], id="background-waited-for"),
        pytest.param("set -eu\n(pipenv install --deploy) || true", [(9, "is followed by `|| true`")], id="subshell-ignored"),
        pytest.param("set -eu\n(cd . && pipenv install --deploy)", [], id="subshell-status-kept"),
        pytest.param("set -eu\necho $(pipenv install --deploy)", [], id="command-substitution-not-judged"),
        pytest.param("pipenv install --deploy || true", [(8, "no-errexit")], id="no-set-e-is-another-finding"),
        pytest.param("set -eu\npython manage.py check || true", [], id="not-an-install"),
    ],
)
def test_installs_whose_failure_set_e_does_not_see(in_tmp: Path, capsys: pytest.CaptureFixture[str], script: str, expected: list[tuple[int, str]]) -> None:
    (in_tmp / ".platform.app.yaml").write_text(APP + "".join(f"    {line}\n" for line in script.split("\n")))
    (in_tmp / "Pipfile.lock").write_text("{}")
    code = hook_main(BY_ID["platform-build-hook"])([".platform.app.yaml"])
    out = capsys.readouterr().out.splitlines()
    assert code == int(bool(expected))
    assert len(out) == len(expected), out
    for line, (number, words) in zip(out, expected):
        assert line.startswith(f".platform.app.yaml:{number}:1: platform-build-hook app `app`: ")
        if words == "no-errexit":
            assert "installs before any `set -e`" in line
        else:
            assert words in line and line.endswith(line.rsplit(": ", 1)[1])


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({"build.sh": "set -e\npip install -r requirements.txt | tee log\n"}, [("build.sh", 2, "errexit-defeated")], id="sh-script-pipeline"),
        pytest.param({"build.sh": "set -e\npip install -r requirements.txt\nif [ -f x ]; then\n"}, [("build.sh", 3, "shell-syntax")], id="sh-script-syntax"),
        pytest.param({"build.sh": "#!/bin/bash\nset -e\npip install -r requirements.txt\n[[ -f x ]] && a=(1 2)\n"}, [], id="bash-script-not-judged-as-dash"),
    ],
)
def test_a_script_the_build_hook_runs_is_read_too(in_tmp: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], expected: list[tuple[str, int, str]]) -> None:
    (in_tmp / ".platform.app.yaml").write_text("name: app\ntype: 'python:3.12'\nhooks:\n  build: |\n    set -eu\n    ./build.sh\n")
    (in_tmp / "requirements.txt").write_text("a==1\n")
    for name, text in files.items():
        (in_tmp / name).write_text(text)
    hook_main(BY_ID["platform-build-hook"])([".platform.app.yaml"])
    out = capsys.readouterr().out.splitlines()
    kinds = {"errexit-defeated": "so a failed install does not fail the build", "shell-syntax": "is not valid POSIX shell"}
    assert [(line.split(":")[0], int(line.split(":")[1])) for line in out] == [(path, number) for path, number, _ in expected]
    assert all(kinds[kind] in line for line, (_, _, kind) in zip(out, expected))
