"""POSIX shell syntax as dash reads it: the first syntax error of a script (with the line dash
reports), and for every simple command, why its failure cannot stop a `set -e` shell.

Platform.sh and Upsun run hooks under dash (`/bin/sh`), which reads a script one command at a
time: the commands before a syntax error run, then the hook fails there, on every build. This
is a recursive-descent reader of the POSIX grammar (XCU 2.10) as dash implements it: words with
their quotes, `$(…)`, `` `…` ``, `${…}`, `$((…))`, here-documents, the reserved words, the
compound commands and the operators. It never runs a shell. It is linear in the script (runs of
ordinary characters are taken by one regular expression), its nesting is bounded, and where dash
would accept something this reader does not understand it says nothing: a false syntax error is
worse than a missed one.

dash's behaviour (Debian's dash 0.5.12, checked with `dash -n` by tests/platform_shell_test.py):
- reserved words are recognised only unquoted and where a command starts (`echo fi` is a word);
- a list may not be empty (`if x; then fi`, `{ }`), a case item may (`a) ;;`);
- `$((` always starts arithmetic, closed by `))` at its own parenthesis depth;
- `${` needs its `}`, even across blanks and newlines (`${a:-x y}` is one word);
- a here-document without its terminator ends at the end of the script (no error); the body of
  one with an unquoted delimiter is read as in double quotes, so a `$(` there must be closed;
- bash's `a=(…)`, `<(…)`, `|&`, `<<<` and `function f { …; }` are syntax errors (`[[` is just
  a command name);
- a bad substitution (`${a b}`) is refused only when it runs, and how dash reads on after one is
  not judged here.

Why a failure is ignored under `set -e` (POSIX XCU 2.14 `set -e`, dash's `evaltree`): a command
in the condition of `if`, `elif`, `while` or `until`; after `!`; in an AND-OR list other than the
last (`x && y`: x; `x || true`: x); in a pipeline other than the last (dash 0.5.12 refuses
`set -o pipefail`: "Illegal option"); run in the background (`x &`);
inside a command substitution (`y=$(x)` takes x's status, `echo $(x)` does not).
"""

from __future__ import annotations

import functools
import re

KEYWORDS = frozenset({"!", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until", "while", "{", "}"})
# Reserved words that end a list: a list stops before them, and they may not start a command.
ENDS = frozenset({"do", "done", "elif", "else", "esac", "fi", "then", "}"})
OPERATORS = ("&&", "||", ";;", "<<-", "<<", ">>", "<&", ">&", "<>", ">|", ";", "&", "|", "(", ")", "<", ">")
REDIRECTIONS = frozenset({"<<-", "<<", ">>", "<&", ">&", "<>", ">|", "<", ">"})
# Far deeper than any script nests (`$(` in `$(` …); beyond it the script is not judged.
MAX_DEPTH = 50

# Why a command's failure does not stop a `set -e` shell.
CONDITION, NEGATED, AND_LIST, OR_LIST, PIPELINE, BACKGROUND, SUBSTITUTION = (
    "condition", "negated", "and-list", "or-list", "pipeline", "background", "substitution",
)  # fmt: skip

# Tokens, quotes and expansions read from one script (with those of its substitutions), far above
# any real hook (the corpora's largest takes 250): beyond them the script is not judged, so a megabyte of
# pathological text costs a fraction of a second.
MAX_STEPS = 20_000
_SPECIAL_PARAMETERS = frozenset("$#?!@*-0123456789")
_EXPANSION_OPERATORS = frozenset("}-=?+%#/")
_STOPS = frozenset({"exit", "return", "false"})

# What every script is read with, compiled with the module: plain characters, escaped ones and
# single-quoted strings (a word's parts with no expansion), the gaps between tokens, operators.
_WORD_RUN = re.compile(r"(?:[^\s;&|()<>'\"\\$`]+|\\[^\n]|'[^']*')+")
_GAP = re.compile(r"(?:[ \t]|\\\n)*(?:#[^\n]*)?")
_OPERATOR = re.compile("|".join(re.escape(operator) for operator in OPERATORS))
# What only some scripts need (double quotes, here-documents, backquotes, `${…}`, functions), as
# text: `re` compiles (and caches) each when a script first uses it, not on every start-up.
_BODY_RUN = r"[^\\$`]+"
_BODY_SPECIAL = r"[\\$`]"
_DQ_RUN = r'[^"\\$`\n]+'
_BACKQUOTE_BODY = r"(?:[^`\\]|\\[\s\S])*"
_IN_BACKQUOTES = r"\\([\\`$\n])"
_IN_DOUBLE_QUOTES = r'\\([\\`$"\n])'
_INNER_RUN = r"[^()}\n'\"\\$`]+"
_PARAMETER = r"#?([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])?:?"
_ASSIGNMENT = r"^[A-Za-z_][A-Za-z0-9_]*="
_GOOD_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


class ShellSyntaxError(Exception):
    """The first syntax error of a script: `line` is the one dash reports."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Unjudged(Exception):
    """Deeper than MAX_DEPTH: the script is neither accepted nor refused."""


class Token:
    __slots__ = ("kind", "text", "quoted", "start", "line")

    def __init__(self, kind: str, text: str, quoted: bool, start: int, line: int) -> None:
        self.kind = kind  # "word", "op", "newline" or "eof"
        self.text = text
        self.quoted = quoted
        self.start = start  # the line it starts on
        self.line = line  # the line dash is on once it has read it

    def describe(self) -> str:
        if self.kind == "eof":
            return "end of file"
        if self.kind == "newline":
            return "newline"
        if self.kind == "word" and not self.keyword:
            return "word"
        if self.text in REDIRECTIONS:
            return "redirection"
        return f'"{self.text}"'

    @property
    def keyword(self) -> str | None:
        return self.text if self.kind == "word" and not self.quoted and self.text in KEYWORDS else None


class Simple:
    """A simple command: its words (quotes removed, roughly), the line it starts on, and why its
    failure cannot stop a `set -e` shell (None when it can)."""

    __slots__ = ("words", "line", "ignored", "right", "handled", "last")

    def __init__(self, words: list[str], line: int) -> None:
        self.words = words
        self.line = line
        self.ignored: str | None = None
        # The commands that decide the status instead: after `||` or `&&`, or later in the pipeline.
        self.right: list[list[str]] = []
        self.handled = False  # in a condition whose branches `exit`, `return` or call `false`
        self.last = False  # in the script's last top-level list: its status is the script's


class _Parser:
    def __init__(self, text: str, line: int = 1, depth: int = 0, budget: list[int] | None = None) -> None:
        self.text = text
        self.pos = 0
        self.line = line
        self.depth = depth
        self.budget = [MAX_STEPS] if budget is None else budget  # shared with inner parsers
        self.heredocs: list[tuple[str, bool, bool]] = []  # (delimiter, strip tabs, quoted)
        self.commands: list[Simple] = []
        self.delimiter = False  # is the next word a here-document's delimiter?
        self.top = 0  # where the last top-level list's commands start
        self.tok = Token("newline", "\n", False, line, line)

    # -- errors ---------------------------------------------------------------------------------

    def fail(self, message: str, line: int | None = None) -> ShellSyntaxError:
        return ShellSyntaxError(self.line if line is None else line, message)

    def unexpected(self, expecting: str | None = None) -> ShellSyntaxError:
        tail = f' (expecting "{expecting}")' if expecting else ""
        return self.fail(f"{self.tok.describe()} unexpected{tail}", self.tok.line)

    # -- lexing -----------------------------------------------------------------------------------

    def advance(self) -> None:
        self.tok = self._token()

    def _token(self) -> Token:
        self._spend()
        text = self.text
        gap = _GAP.match(text, self.pos)  # blanks, joined lines and a comment
        if gap is not None and gap.end() > self.pos:
            self.line += gap[0].count("\\\n")
            self.pos = gap.end()
        start = self.line
        if self.pos >= len(text):
            return Token("eof", "", False, start, self.line)
        char = text[self.pos]
        if char == "\n":
            self.pos += 1
            self.line += 1
            self._read_heredocs()
            return Token("newline", "\n", False, start, self.line)
        operator = _OPERATOR.match(text, self.pos)
        if operator:
            self.pos = operator.end()
            return Token("op", operator[0], False, start, self.line)
        word, quoted = self._word()
        return Token("word", word, quoted, start, self.line)

    def _word(self) -> tuple[str, bool]:
        """A word from here, with its quoting: (text with quote characters dropped, quoted)."""
        text = self.text
        parts: list[str] = []
        quoted = False
        while self.pos < len(text):
            run = _WORD_RUN.match(text, self.pos)
            if run:
                chunk = run[0]
                if "\\" in chunk or "'" in chunk:
                    quoted = True
                    self.line += chunk.count("\n")
                    chunk = chunk.replace("'", "").replace("\\", "")  # roughly: words are only looked at
                parts.append(chunk)
                self.pos = run.end()
                continue
            char = text[self.pos]
            if char in " \t\n;&|()<>":
                break
            quoted = True if char in "'\"\\" else quoted
            if self.delimiter and char in "$`":
                parts.append(char)  # a here-document's delimiter is not expanded
                self.pos += 1
                continue
            parts.append(self._special(char, in_quotes=False))
        return "".join(parts), quoted

    def _special(self, char: str, in_quotes: bool) -> str:
        """Read the quote, escape or expansion starting at `char`; what it stands for, roughly."""
        self._nested()
        self._spend()
        value = self._read_special(char, in_quotes)
        self.depth -= 1
        return value

    def _read_special(self, char: str, in_quotes: bool) -> str:
        text = self.text
        if char == "\\":
            following = text[self.pos + 1 : self.pos + 2]
            self.pos += 2 if following else 1
            if following == "\n":
                self.line += 1
                return ""
            return following
        if char == "'":
            end = text.find("'", self.pos + 1)
            if end < 0:
                self.line += text.count("\n", self.pos)
                self.pos = len(text)
                raise self.fail("Unterminated quoted string")
            body = text[self.pos + 1 : end]
            self.line += body.count("\n")
            self.pos = end + 1
            return body
        if char == '"':
            self.pos += 1
            return self._double_quoted()
        if char == "`":
            return self._backquote(in_quotes)
        self.pos += 1  # "$"
        return "$" + self._dollar()

    def _double_quoted(self) -> str:
        text = self.text
        parts: list[str] = []
        while True:
            run = re.compile(_DQ_RUN).match(text, self.pos)
            if run:
                parts.append(run[0])
                self.pos = run.end()
            if self.pos >= len(text):
                raise self.fail("Unterminated quoted string")
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                return "".join(parts)
            if char == "\n":
                self.line += 1
                self.pos += 1
                parts.append("\n")
                continue
            parts.append(self._special(char, in_quotes=True))

    def _dollar(self) -> str:
        """After `$`: `$(…)`, `$((…))`, `${…}` or a plain parameter."""
        text = self.text
        if text.startswith("((", self.pos):
            self.pos += 2
            self._arithmetic()
            return "(())"
        if text.startswith("(", self.pos):
            self.pos += 1
            self._substitution()
            return "()"
        if text.startswith("{", self.pos):
            self.pos += 1
            self._braced()
            return "{}"
        if text[self.pos : self.pos + 1] in _SPECIAL_PARAMETERS:
            self.pos += 1  # `$$`: the next `$` or `{` is not another expansion
            return text[self.pos - 1]
        return ""

    def _nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Unjudged

    def _spend(self) -> None:
        self.budget[0] -= 1
        if self.budget[0] < 0:
            raise _Unjudged

    def _substitution(self) -> None:
        """`$(` … `)`: a whole list read from the same text, as dash does."""
        self._spend()
        saved = self.tok
        first = len(self.commands)
        self.advance()
        while self.tok.kind == "newline":
            self.advance()
        if not (self.tok.kind == "op" and self.tok.text == ")"):
            self.compound_list()
        if not (self.tok.kind == "op" and self.tok.text == ")"):
            raise self.unexpected(")")
        self._mark(first, SUBSTITUTION)
        self.tok = saved

    def _backquote(self, in_quotes: bool) -> str:
        """`` `…` ``: the text up to the closing backquote, unescaped, read as a script."""
        text = self.text
        self.pos += 1
        start_line = self.line
        found = re.compile(_BACKQUOTE_BODY).match(text, self.pos)
        raw = found[0] if found is not None else ""
        self.line += raw.count("\n")
        self.pos += len(raw)
        if not text.startswith("`", self.pos):
            self.pos = len(text)
            raise self.fail("EOF in backquote substitution")
        self.pos += 1
        self._spend()
        # Inside, a backslash quotes `\`, `` ` `` and `$` (and `"` within double quotes) and
        # joins lines; before any other character it stays.
        body = re.sub(_IN_DOUBLE_QUOTES if in_quotes else _IN_BACKQUOTES, lambda m: "" if m[1] == "\n" else m[1], raw)
        # dash reads the text as a script of its own: an error there is counted from its line 1.
        inner = _Parser(body, 1, self.depth, self.budget)
        inner.program(lenient=True)
        for command in inner.commands:
            command.ignored = command.ignored or SUBSTITUTION
            command.line += start_line - 1
        self.commands += inner.commands
        return "``"

    def _arithmetic(self) -> None:
        """`$((` … `))`: parentheses counted; quotes and expansions read as in a word."""
        level = 0
        while True:
            char = self._inner_stop("()", "Missing '))'")
            self.pos += 1
            if char == "(":
                level += 1
            elif level > 0:
                level -= 1
            elif self.text.startswith(")", self.pos):
                self.pos += 1
                return

    def _inner_stop(self, stops: str, missing: str) -> str:
        """Reads on inside `${…}` or `$((…))` (quotes, expansions and newlines as in a word) to
        the next of `stops`, which it returns without taking; the end of the text fails."""
        text = self.text
        while True:
            run = re.compile(_INNER_RUN).match(text, self.pos)
            if run:
                self.pos = run.end()
            if self.pos >= len(text):
                raise self.fail(missing)
            char = text[self.pos]
            if char in stops:
                return char
            if char == "\n":
                self.line += 1
                self.pos += 1
            elif char in "'\"\\$`":
                self._special(char, in_quotes=False)
            else:
                self.pos += 1

    def _braced(self) -> None:
        """`${` … `}`: blanks, newlines and operators inside are part of the word."""
        text = self.text
        # dash reads the parameter (and a `:`) itself; a newline just after it goes uncounted.
        name = re.compile(_PARAMETER).match(text, self.pos)
        self.pos = name.end() if name else self.pos
        if text.startswith("\n", self.pos):
            self.pos += 1
        if self.pos < len(text) and text[self.pos] not in _EXPANSION_OPERATORS:
            # A bad substitution (`${a b}`), refused only when run; how dash reads on from
            # there (quotes in it count or not) is not judged.
            raise _Unjudged
        self._inner_stop("}", "Missing '}'")
        self.pos += 1

    def _read_heredocs(self) -> None:
        """The bodies of the here-documents of the line just ended, one after the other."""
        pending, self.heredocs = self.heredocs, []
        text = self.text
        for delimiter, strip, quoted in pending:
            body_start = self.pos
            # The first line that is the delimiter (after its tabs, for `<<-`) ends the body.
            end = re.compile(("^\t*" if strip else "^") + re.escape(delimiter) + r"(?:\n|\Z)", re.MULTILINE).search(text, self.pos)
            self.pos = end.end() if end else len(text)
            self.line += text.count("\n", body_start, self.pos)
            if not quoted:
                self._expand_body(text[body_start : self.pos], body_start)

    def _expand_body(self, body: str, offset: int) -> None:
        """An unquoted here-document's body: its `$(`, `` ` `` and `${` must close, and the
        commands inside are read; the line count is restored after."""
        end = offset + len(body)
        first = re.compile(_BODY_SPECIAL).search(self.text, offset, end)
        if first is None:
            return
        after, line_after = self.pos, self.line
        self.line -= body.count("\n", first.start() - offset)
        self.pos = first.start()
        while self.pos < end:
            run = re.compile(_BODY_RUN).match(self.text, self.pos, end)
            if run:
                self.line += run[0].count("\n")
                self.pos = run.end()
            else:
                self._special(self.text[self.pos], in_quotes=True)
        self.pos, self.line = max(after, self.pos), max(line_after, self.line)

    # -- grammar ------------------------------------------------------------------------------------

    def is_op(self, *texts: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in texts

    def at_end(self) -> bool:
        """Does the current token end a list (a reserved word that closes, `)`, `;;`, EOF)?"""
        return self.tok.kind == "eof" or self.is_op(")", ";;") or self.tok.keyword in ENDS

    def skip_newlines(self) -> None:
        while self.tok.kind == "newline":
            self.advance()

    def program(self, lenient: bool = False) -> None:
        """The whole script; `lenient` for the text of backquotes, where dash stops quietly at a
        token that ends a list (`` `fi` `` and `` `)` `` are accepted)."""
        self.advance()
        while True:
            self.skip_newlines()
            if self.tok.kind == "eof" or (lenient and self.at_end()):
                return
            if self.at_end():
                raise self.unexpected()
            last = len(self.commands)
            self.and_or()
            self.top = last
            if self.is_op("&"):
                self._mark(last, BACKGROUND)
                self.advance()
            elif self.is_op(";"):
                self.advance()
            elif lenient and self.at_end():
                return
            elif self.tok.kind not in ("newline", "eof"):
                raise self.unexpected()

    def compound_list(self) -> None:
        """One or more AND-OR lists up to a token that ends the list."""
        self.skip_newlines()
        if self.at_end():
            raise self.unexpected()
        while True:
            first = len(self.commands)
            self.and_or()
            if self.is_op("&"):
                self._mark(first, BACKGROUND)
                self.advance()
            elif self.is_op(";"):
                self.advance()
            elif self.tok.kind != "newline":
                return
            self.skip_newlines()
            if self.at_end():
                return

    def _expect_keyword(self, word: str) -> None:
        if self.tok.keyword != word:
            raise self.unexpected(word)
        self.advance()

    def _mark(self, first: int, reason: str, end: int | None = None, right: list[list[str]] | None = None) -> None:
        """Commands `first` to `end` have their failure ignored for `reason`, unless already for
        a nearer one (a condition overrides the `!` inside it: `if ! x` is a test of x)."""
        for command in self.commands[first:end]:
            if command.ignored is None or (reason == CONDITION and command.ignored == NEGATED):
                command.ignored = reason
                command.right = right or []

    def and_or(self) -> None:
        starts: list[int] = []
        operators: list[str] = []
        while True:
            starts.append(len(self.commands))
            self.pipeline()
            if not self.is_op("&&", "||"):
                break
            operators.append(self.tok.text)
            self.advance()
            self.skip_newlines()
        starts.append(len(self.commands))
        for index, operator in enumerate(operators):
            right = [command.words for command in self.commands[starts[index + 1] : starts[index + 2]]]
            self._mark(starts[index], AND_LIST if operator == "&&" else OR_LIST, starts[index + 1], right)

    def pipeline(self) -> None:
        first = len(self.commands)
        negated = self.tok.keyword == "!"
        if negated:
            self.advance()
            if self.tok.keyword == "!":
                raise self.unexpected()
        starts = []
        while True:
            starts.append(len(self.commands))
            self.command()
            if not self.is_op("|"):
                break
            self.advance()
            self.skip_newlines()
        starts.append(len(self.commands))
        for index in range(len(starts) - 2):
            right = [command.words for command in self.commands[starts[index + 1] : starts[index + 2]]]
            self._mark(starts[index], PIPELINE, starts[index + 1], right)
        if negated:
            self._mark(first, NEGATED)

    def command(self) -> None:
        keyword = self.tok.keyword
        self._nested()
        if keyword in ("if", "while", "until", "for", "case", "{"):
            getattr(self, "_" + {"{": "group"}.get(keyword, keyword))()
            self._redirections()
        elif self.is_op("("):
            self.advance()
            self.compound_list()
            if not self.is_op(")"):
                raise self.unexpected(")")
            self.advance()
            self._redirections()
        elif keyword is not None:
            raise self.unexpected()
        else:
            self._simple()
        self.depth -= 1

    def _redirections(self) -> None:
        while self.tok.kind == "op" and self.tok.text in REDIRECTIONS:
            self._redirection()

    def _redirection(self) -> None:
        operator = self.tok.text
        self.delimiter = operator in ("<<", "<<-")
        self.advance()
        self.delimiter = False
        if self.tok.kind != "word":
            raise self.unexpected()
        if operator in ("<<", "<<-"):
            self.heredocs.append((self.tok.text, operator == "<<-", self.tok.quoted))
        self.advance()

    def _simple(self) -> None:
        line = self.tok.start
        words: list[str] = []
        redirected = quoted = False
        while True:
            if self.tok.kind == "word":
                quoted = quoted or self.tok.quoted
                words.append(self.tok.text)
                self.advance()
            elif self.tok.kind == "op" and self.tok.text in REDIRECTIONS:
                redirected = True
                self._redirection()
            elif self.is_op("(") and len(words) == 1 and not redirected and not re.match(_ASSIGNMENT, words[0]):
                self.advance()
                if not self.is_op(")"):
                    raise self.unexpected(")")
                if quoted or not re.match(_GOOD_NAME, words[0]):
                    raise self.fail("Bad function name", self.tok.line)
                self.advance()
                self.skip_newlines()
                self.command()
                return
            else:
                break
        if not words and not redirected:
            raise self.unexpected()
        if words:
            self.commands.append(Simple(words, line))

    def _condition(self, stop: str) -> list[Simple]:
        first = len(self.commands)
        self.compound_list()
        self._mark(first, CONDITION)
        self._expect_keyword(stop)
        return self.commands[first:]

    def _handled(self, conditions: list[Simple], first: int) -> None:
        """A condition's failure is handled when a branch stops the script (`exit`, `return`,
        `false`)."""
        tested = {id(command) for command in conditions}
        if any(command.words[0] in _STOPS for command in self.commands[first:] if id(command) not in tested):
            for command in conditions:
                command.handled = True

    def _if(self) -> None:
        self.advance()
        first = len(self.commands)
        conditions = self._condition("then")
        self.compound_list()
        while self.tok.keyword == "elif":
            self.advance()
            conditions += self._condition("then")
            self.compound_list()
        if self.tok.keyword == "else":
            self.advance()
            self.compound_list()
        self._expect_keyword("fi")
        self._handled(conditions, first)

    def _while(self) -> None:
        # `until x; do …; done` retries x until it succeeds: its failure is not ignored.
        until = self.tok.keyword == "until"
        self.advance()
        first = len(self.commands)
        conditions = self._condition("do")
        self.compound_list()
        self._expect_keyword("done")
        self._handled(conditions, first)
        for command in conditions if until else []:
            command.handled = True

    _until = _while

    def _for(self) -> None:
        self.advance()
        if self.tok.kind != "word" or not re.match(_GOOD_NAME, self.tok.text) or self.tok.quoted:
            raise self.fail("Bad for loop variable", self.tok.line)
        self.advance()
        self.skip_newlines()
        if self.tok.keyword == "in":
            self.advance()
            while self.tok.kind == "word":
                self.advance()
            if not (self.is_op(";") or self.tok.kind == "newline"):
                raise self.unexpected()
            self.advance()
        elif self.is_op(";"):
            self.advance()
        self.skip_newlines()
        self._expect_keyword("do")
        self.compound_list()
        self._expect_keyword("done")

    def _case(self) -> None:
        self.advance()
        if self.tok.kind != "word":
            raise self.unexpected()
        self.advance()
        self.skip_newlines()
        self._expect_keyword("in")
        self.skip_newlines()
        while self.tok.keyword != "esac":
            if self.is_op("("):
                self.advance()
            while True:
                if self.tok.kind != "word":
                    raise self.unexpected()
                self.advance()
                if not self.is_op("|"):
                    break
                self.advance()
            if not self.is_op(")"):
                raise self.unexpected(")")
            self.advance()
            self.skip_newlines()
            if not (self.is_op(";;") or self.tok.keyword == "esac"):
                self.compound_list()
            if self.is_op(";;"):
                self.advance()
                self.skip_newlines()
            elif self.tok.keyword != "esac":
                raise self.unexpected()
        self.advance()

    def _group(self) -> None:
        self.advance()
        self.compound_list()
        self._expect_keyword("}")


@functools.lru_cache(maxsize=32)
def _read(script: str) -> tuple[bool, ShellSyntaxError | None, tuple[Simple, ...]]:
    """(is there a verdict, the syntax error, the simple commands) of `script`, read once for
    the three questions below."""
    parser = _Parser(script)
    try:
        parser.program()
    except ShellSyntaxError as error:
        return True, error, ()
    except _Unjudged:
        return False, None, ()
    for command in parser.commands[parser.top :]:
        command.last = True
    return True, None, tuple(parser.commands)


def judged(script: str) -> bool:
    """Does this reader give a verdict on `script` (not too deep, long or unusual to judge)?"""
    return _read(script)[0]


def syntax_error(script: str) -> ShellSyntaxError | None:
    """The first syntax error dash finds in `script`, or None (also when there is no verdict)."""
    return _read(script)[1]


def simple_commands(script: str) -> list[Simple] | None:
    """The simple commands of `script` in order, each with why `set -e` ignores its failure;
    None when the script has a syntax error or no verdict."""
    judged, error, commands = _read(script)
    return list(commands) if judged and error is None else None
