"""Output formats of the `lockguard` command: how a list of findings is printed.

- `text`: one `path:line:col: rule message` line per finding (what every hook prints).
- `github`: GitHub Actions workflow commands, so findings show on the pull request's lines.
- `json`: a stable document, `{"version": 1, "findings": [...]}`, each finding with its `kind`,
  `fix` and `related` places (schema in docs/output.md).
- `sarif`: SARIF 2.1.0, for code-scanning tools: `fixes` and `relatedLocations` too, and each
  rule's documentation.

Every format escapes what it prints: a file name or a value from a file never forges a line, a
workflow command or a terminal escape, and JSON and SARIF stay valid for any file name.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Callable
from urllib.parse import quote

from hooks.catalogue import BY_ID, RULES
from hooks.face import escape, version
from hooks.findings import Finding

# Fields are only added within a version (`kind`, `fix` and `related` were): a rename or a
# removal would need version 2.
JSON_VERSION = 1
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _posix(path: str) -> str:
    """The path with forward slashes, undecodable bytes of a file name as escapes (valid JSON)."""
    return escape(os.path.normpath(path).replace(os.sep, "/"))


def text(findings: Sequence[Finding]) -> str:
    return "".join(f"{escape(str(finding))}\n" for finding in findings)


def _escape_data(value: str) -> str:
    return escape(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding]) -> str:
    """`::error file=…,line=…,col=…,title=…::message`, `::notice` for notes."""
    lines = []
    for finding in findings:
        command = "error" if finding.fails else "notice"
        properties = ",".join(f"{key}={_escape_property(str(value))}" for key, value in (("file", _posix(finding.path)), ("line", finding.line), ("col", finding.col), ("title", finding.rule)))
        lines.append(f"::{command} {properties}::{_escape_data(finding.message)}\n")
    return "".join(lines)


def finding_record(finding: Finding) -> dict[str, object]:
    fix = finding.fix
    return {
        "path": _posix(finding.path),
        "line": finding.line,
        "column": finding.col,
        "rule": finding.rule,
        "kind": finding.kind,
        "severity": "error" if finding.fails else "note",
        "message": escape(finding.message),
        "fix": {"text": escape(fix.text), "command": fix.command and escape(fix.command)} if fix else None,
        "related": [{"path": _posix(place.path), "line": place.line, "label": place.label} for place in finding.related],
    }


def json_document(findings: Sequence[Finding]) -> str:
    document = {
        "version": JSON_VERSION,
        "findings": [finding_record(finding) for finding in findings],
        "summary": {"findings": len(findings), "failed": any(finding.fails for finding in findings)},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _sarif_rule(rule_id: str) -> dict[str, object]:
    from hooks.docs import rule_markdown  # imports every rule module: only when SARIF is asked for

    rule = BY_ID[rule_id]
    documentation = rule_markdown(rule, level=1)
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.description},
        "fullDescription": {"text": rule.description},
        "help": {"text": documentation, "markdown": documentation},
        "defaultConfiguration": {"level": "error"},
    }


def _sarif_location(path: str, line: int, col: int = 1) -> dict[str, object]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": quote(_posix(path)), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": line, "startColumn": col},
        }
    }


def sarif(findings: Sequence[Finding]) -> str:
    rule_ids = [rule.id for rule in RULES]
    results = []
    for finding in findings:
        result: dict[str, object] = {
            "ruleId": finding.rule,
            "level": "error" if finding.fails else "note",
            "message": {"text": escape(finding.message)},
            "locations": [_sarif_location(finding.path, finding.line, finding.col)],
            # SARIF's `fixes` must carry file edits; lockguard's fix is a step (a command, an edit
            # in words), so it travels in the result's properties with the kind.
            "properties": {"kind": finding.kind, "fix": finding_record(finding)["fix"]},
        }
        if finding.related:
            result["relatedLocations"] = [{**_sarif_location(place.path, place.line), "id": index, "message": {"text": escape(place.label)}} for index, place in enumerate(finding.related)]
        if finding.rule in rule_ids:
            result["ruleIndex"] = rule_ids.index(finding.rule)
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lockguard",
                        "version": version(),
                        "rules": [_sarif_rule(rule_id) for rule_id in rule_ids],
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def fixable(finding: Finding) -> bool:
    """Would `--fix` fix it? Its rule can fix, and the fix it gives is that rule's `--fix`."""
    rule = BY_ID.get(finding.rule)
    return bool(rule and rule.fixable and finding.fix and finding.fix.command and finding.fix.command.split()[:2] == [rule.id, "--fix"])


def summary(findings: Sequence[Finding], files: int, rules: int, verbose: bool = False, fixing: bool = False) -> str:
    """One line for a person at a terminal: `Found 37 problems in 20 files (12 rules); run with
    --fix to fix 2` (not while `fixing`). Empty for a clean run unless `verbose`, which says what
    was checked."""
    problems = [finding for finding in findings if finding.fails]
    notes = len(findings) - len(problems)
    if not findings:
        return f"No problems; checked {_count(files, 'file')} with {_count(rules, 'rule')}" if verbose else ""
    found = _count(len(problems), "problem") + (f" and {_count(notes, 'note')}" if notes else "")
    places = _count(len({finding.path for finding in findings}), "file")
    reporting = {finding.rule for finding in findings} & set(BY_ID)  # not `lockguard`, for a file it cannot read
    line = f"Found {found} in {places}" + (f" ({_count(len(reporting), 'rule')})" if reporting else "")
    to_fix = sum(fixable(finding) for finding in problems)
    if to_fix and not fixing:
        line += f"; run with --fix to fix {to_fix}"
    if verbose:
        line += f"; checked {_count(files, 'file')} with {_count(rules, 'rule')}"
    return line


def _tally(findings: Sequence[Finding]) -> list[tuple[str, str, int, int]]:
    """(rule, kind, findings, fixable) for each rule and kind found, the most frequent first."""
    counts: dict[tuple[str, str], list[int]] = {}
    for finding in findings:
        count = counts.setdefault((finding.rule, finding.kind), [0, 0])
        count[0] += 1
        count[1] += fixable(finding)
    return sorted(((rule, kind, n, fix) for (rule, kind), (n, fix) in counts.items()), key=lambda row: (-row[2], row[0], row[1]))


def statistics_text(findings: Sequence[Finding]) -> str:
    """`  37  platform-pip-pinned  image-pip`: one line per rule and kind, the count first."""
    rows = _tally(findings)
    width = [max((len(str(row[index])) for row in rows), default=0) for index in range(3)]
    lines = []
    for rule, kind, count, to_fix in rows:
        line = f"{count:>{width[2]}}  {rule:<{width[0]}}  {kind}"
        lines.append(f"{line:<{width[0] + width[1] + width[2] + 4}}  ({to_fix} fixable with --fix)" if to_fix else line)
    return "".join(f"{line}\n" for line in lines)


def statistics_json(findings: Sequence[Finding]) -> str:
    document = {
        "version": JSON_VERSION,
        "statistics": [{"rule": rule, "kind": kind, "count": count, "fixable": to_fix} for rule, kind, count, to_fix in _tally(findings)],
        "summary": {"findings": len(findings), "failed": any(finding.fails for finding in findings)},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[Sequence[Finding]], str]] = {
    "text": text,
    "github": github,
    "json": json_document,
    "sarif": sarif,
}

# `--statistics`: how many findings of each kind each rule reported, instead of the findings.
STATISTICS: dict[str, Callable[[Sequence[Finding]], str]] = {
    "text": statistics_text,
    "json": statistics_json,
}
