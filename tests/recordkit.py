"""Helpers for building decision records in tests (not a test module)."""

from __future__ import annotations

from govbot.model.records import Record, parse_record

PATH = "decisions/0012-regional-convenings.md"
BODY = "## Context\n\nWhy.\n\n## Decision\n\nWhat.\n\n## Consequences\n\nSo what.\n"
BASE_FRONT = {
    "id": "12",
    "title": "Add an objective on regional convenings",
    "kind": "policy",
    "status": "proposed",
    "created": "2026-11-20",
    "authors": "[alice]",
}
SHA = "2a255d11283773c24d36e647c3a3ca7bd6dcd855"


def front(**changes: str | None) -> dict[str, str]:
    """BASE_FRONT with keys replaced (a string of YAML), removed (None) or appended."""
    out = dict(BASE_FRONT)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def text(fields: dict[str, str], body: str = BODY) -> str:
    """The record text: '---', one `key: value` line per field (values may span lines), '---'."""
    lines = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\n{lines}---\n{body}"


def make(path: str = PATH, body: str = BODY, **changes: str | None) -> Record:
    """A parsed record: the valid proposed policy record 12, with `changes` applied."""
    return parse_record(path, text(front(**changes), body))


def make_from(changes: dict[str, str | None], path: str = PATH) -> Record:
    """Like `make`, with the field changes given as a dict."""
    return parse_record(path, text(front(**changes)))


def accepted(number: int, slug: str, *, kind: str = "policy", status: str = "accepted",
             extra: str = "", changes: str | None = None) -> Record:
    """A decided record as govbot would have stamped it."""
    fields = {
        "id": str(number), "title": f"Record {number}", "kind": kind, "status": status,
        "created": "2021-01-04", "authors": "[alice]",
    }
    if changes is not None:
        fields["changes"] = changes
    fields.update({"decided": "2021-01-19", "pr": "3",
                   "votes": f"\n  - {{member: bob, vote: approve, at: '2021-01-05T10:14:00Z', "
                            f"commit: {SHA}}}"})
    body = BODY + extra
    return parse_record(f"decisions/{number:04d}-{slug}.md", text(fields, body))
