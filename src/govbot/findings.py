"""Findings: what a check says about a file, and the reporters that format them."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, at one place, with a message written for the person who must fix it."""

    path: str
    line: int | None
    message: str
    rule: str = "error"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in a stable order: by path, then line, then message."""
    return sorted(set(findings), key=lambda f: (f.path, f.line or 0, f.message, f.rule))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when a choice is close to `word`, else the empty string."""
    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def one_of(choices: Sequence[str]) -> str:
    """`a, b or c` for messages."""
    items = list(choices)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def format_text(findings: Sequence[Finding]) -> str:
    """`path:line: message`, one a line (check-peps style)."""
    return "".join(f"{f}\n" for f in findings)


def format_json(findings: Sequence[Finding]) -> str:
    """A JSON document: {"ok": bool, "findings": [{path, line, message, rule}]}."""
    doc = {"ok": not findings, "findings": [asdict(f) for f in findings]}
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def _escape_data(value: str) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts escapeData
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    # escapeProperty: also ':' and ',' which separate properties
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, **properties: str | int | None) -> str:
    """One GitHub Actions workflow command line, with data and properties escaped."""
    props = ",".join(
        f"{key}={_escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    head = f"::{command} {props}" if props else f"::{command}"
    return f"{head}::{_escape_data(message)}"


def format_github(findings: Sequence[Finding]) -> str:
    """Workflow-command annotations (`::error file=…,line=…::message`), escaped correctly."""
    lines = [
        workflow_command("error", f.message, file=f.path, line=f.line, title="govbot")
        for f in findings
    ]
    return "".join(f"{line}\n" for line in lines)


REPORTERS = {"text": format_text, "json": format_json, "github": format_github}
