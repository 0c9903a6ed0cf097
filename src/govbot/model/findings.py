"""Findings: what a check says about a file, and the reporters that format them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

NOTICE = "notice"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, at one place, with a message written for the person who must fix it.
    `severity` "notice" is information that needs nothing done (a record govbot will
    renumber at merge): it never fails a check or makes a pull request invalid."""

    path: str
    line: int | None
    message: str
    rule: str = "error"
    severity: str = "error"

    def __str__(self) -> str:
        """`path:line: message` on one line: control characters in the path or the message
        (a newline in a file name) are shown escaped, never written out."""
        path = escape_controls(self.path)
        where = path if self.line is None else f"{path}:{self.line}"
        notice = "notice: " if self.severity == NOTICE else ""
        return f"{where}: {notice}{escape_controls(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.severity != NOTICE


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that are problems (notices left out)."""
    return [f for f in findings if f.is_error]


# What text output must not write raw: C0 and C1 controls (a newline would start a new output
# line, or a forged `::error::` command in Actions; an escape sequence would drive the
# terminal), the line and paragraph separators, bidi controls (text that reads differently
# from what it says) and lone surrogates (bytes of a file name that are not UTF-8).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                       "\ud800-\udfff]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_one(match: re.Match[str]) -> str:
    char = match[0]
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """`text` with every control character written as an escape (`\\n`, `\\x0b`, `\\u202e`)."""
    return _CONTROLS.sub(_escape_one, text) if _CONTROLS.search(text) else text


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in a stable order: by path, then line, then message."""
    return sorted(set(findings), key=lambda f: (f.path, f.line or 0, f.message, f.rule))


def shown(value: object, limit: int = 60) -> str:
    """A value from a file as a message quotes it: its repr, cut to `limit` characters (a
    hostile 100,000-character id must not make a 100,000-character message)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 2] + "…" + text[-1]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when a choice is close to `word`, else the empty string."""
    import difflib  # only when a finding is being worded: not at start-up

    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def one_of(choices: Sequence[str]) -> str:
    """`a, b or c` for messages."""
    items = list(choices)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


# Characters that hide or reorder text (Trojan Source, CVE-2021-42574) or are invisible: bidi
# embeddings, overrides and isolates; zero-width and invisible characters; C0/C1 controls
# and line/paragraph separators. Joiners (U+200C/D) and the directional marks (U+200E/F,
# U+061C) are left alone: right-to-left scripts and emoji need them.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u115f\u1160\u180e\u200b\u2028\u2029"
    "\u2060-\u2064\u3164\ufeff\uffa0\ufff9-\ufffb" + BIDI_CONTROLS
    + "\U000e0000-\U000e007f]")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def _code_points(found: Iterable[str]) -> str:
    names = []
    for char in sorted(set(found))[:3]:
        name = unicodedata.name(char, "")
        names.append(f"U+{ord(char):04X}" + (f" {name}" if name else ""))
    return ", ".join(names)


def hidden_characters(text: str, *, bidi_only: bool = False) -> str | None:
    """A finding's wording when `text` holds invisible or bidirectional control characters
    (which can make a title or a line read differently from what it says), else None.
    `bidi_only`: only the bidi overrides and isolates (for Markdown bodies, where tabs and
    pasted zero-width spaces are harmless)."""
    found = (_BIDI if bidi_only else _HIDDEN).findall(text)
    if not found:
        return None
    what = "bidirectional control" if bidi_only else "invisible or bidirectional control"
    return (f"contains {what} characters ({_code_points(found)}) that can make the text "
            "read differently from what it says; retype it without them")


def format_text(findings: Sequence[Finding]) -> str:
    """`path:line: message`, one a line (check-peps style)."""
    return "".join(f"{f}\n" for f in findings)


def format_json(findings: Sequence[Finding]) -> str:
    """A JSON document: {"ok": bool, "findings": [{path, line, message, rule, severity}]}
    (`ok`: no finding but notices)."""
    import json  # only for --format json: not at start-up

    doc = {"ok": not errors(findings), "findings": [asdict(f) for f in findings]}
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
    """Workflow-command annotations (`::error file=…,line=…::message`, `::notice …` for a
    notice), escaped the way GitHub unescapes them (so a file name with a newline still names
    its file)."""
    lines = [
        workflow_command("error" if f.is_error else "notice", f.message, file=f.path,
                         line=f.line, title="govbot")
        for f in findings
    ]
    return "".join(f"{line}\n" for line in lines)


REPORTERS = {"text": format_text, "json": format_json, "github": format_github}
