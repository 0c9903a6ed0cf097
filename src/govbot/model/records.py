"""Decision records: split and parse Markdown files with YAML front matter (DESIGN §2)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from govbot.model.errors import RecordError
from govbot.model.findings import Finding
from govbot.model.translit import to_ascii
from govbot.model.yamlio import Document, count_lines, decode, load_yaml

KINDS = ("plan", "policy", "governance", "review")
STATUSES = ("draft", "proposed", "accepted", "rejected", "withdrawn", "superseded", "retired")
VOTES = ("approve", "object", "abstain")
OPS = ("add-goal", "edit-goal", "retire-goal", "add-objective", "edit-objective",
       "retire-objective", "adopt-plan")
BOT_OWNED = ("decided", "pr", "votes", "superseded_by", "override")
FIELDS = ("id", "title", "kind", "status", "created", "authors", "supersedes", "related",
          "changes", "progress", *BOT_OWNED, "imported")
REQUIRED_SECTIONS = ("Context", "Decision", "Consequences")
MAX_RECORD_BYTES = 256 * 1024
FILENAME = re.compile(r"^(?P<number>\d{4})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
# The '---' lines around the front matter, each ended where YAML ends a line (yamlio.split_lines)
# so that the loader's line numbers and the file's agree; a leading byte-order mark is read
# past (the checks report it).
_BREAK = "\r\n|[\r\n\x85\u2028\u2029]"
_OPENING = re.compile(f"\ufeff?---[ \t]*(?:{_BREAK}|\\Z)")
_CLOSING = re.compile(f"(?<=[\r\n\x85\u2028\u2029])---[ \t]*(?:{_BREAK}|\\Z)")
_HEADING = re.compile(r"^##[ \t]+(?P<title>.+?)[ \t#]*$")


@dataclass(frozen=True, slots=True)
class Change:
    """One structured edit of the plan, as written in a record's `changes` list."""

    op: str
    args: Mapping[str, Any]
    index: int
    line: int | None


@dataclass(frozen=True, slots=True)
class StampedVote:
    """One entry of a decided record's `votes`: the audit record govbot wrote at merge.
    `id` is the member's numeric GitHub id (None on votes stamped before govbot wrote it):
    a login can be renamed, the id cannot, so the roster rule matches by id first."""

    member: str
    vote: str
    at: str
    commit: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """A parsed decision record. Typed fields are None (or empty) when missing or mistyped;
    `checks` says why. `front` keeps the front matter exactly as loaded."""

    path: str
    text: str
    front: Mapping[str, Any]
    doc: Document
    body: str
    body_line: int
    id: int | None = None
    title: str | None = None
    kind: str | None = None
    status: str | None = None
    created: dt.date | None = None
    authors: tuple[str, ...] = ()
    supersedes: tuple[int, ...] = ()
    related: tuple[int, ...] = ()
    changes: tuple[Change, ...] = ()
    decided: dt.date | None = None
    pr: int | None = None
    votes: tuple[StampedVote, ...] = ()
    superseded_by: int | None = None
    sections: tuple[tuple[str, int], ...] = field(default=())

    def line(self, *path: str | int) -> int:
        """The line of a key (or its nearest ancestor); the opening `---` when unknown."""
        return self.doc.line(*path) or 1

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def file_number(self) -> int | None:
        match = FILENAME.match(self.filename)
        return int(match["number"]) if match else None

    @property
    def slug(self) -> str:
        match = FILENAME.match(self.filename)
        return match["slug"] if match else self.filename.removesuffix(".md")


def split_front_matter(path: str, text: str) -> tuple[str, int, str, int]:
    """(yaml, first yaml line, body, first body line); raise RecordError when there is none."""
    opening = _OPENING.match(text)
    if opening is None:
        raise RecordError(
            "the record must start with a '---' line, then the YAML front matter, then '---'",
            path=path, line=1)
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        raise RecordError("the front matter is not closed: add a '---' line after it",
                          path=path, line=1)
    front = text[opening.end():closing.start()]
    return front, 2, text[closing.end():], 3 + count_lines(front)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _ids(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v for v in (_int(item) for item in value) if v is not None)


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _changes(doc: Document, value: Any) -> tuple[Change, ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for index, item in enumerate(value):
        if isinstance(item, dict) and isinstance(item.get("op"), str):
            args = {k: v for k, v in item.items() if k != "op"}
            out.append(Change(item["op"], args, index, doc.line("changes", index)))
    return tuple(out)


def _votes(value: Any) -> tuple[StampedVote, ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if isinstance(item, dict):
            at = item.get("at")
            at_text = at.isoformat() if isinstance(at, dt.date) else str(at or "")
            out.append(StampedVote(str(item.get("member", "")), str(item.get("vote", "")),
                                   at_text, str(item.get("commit", "")), _int(item.get("id"))))
    return tuple(out)


def body_sections(body: str, first_line: int) -> tuple[tuple[str, int], ...]:
    """Level-2 headings in the body with their file line numbers (fenced code skipped)."""
    if "```" not in body and "~~~" not in body:  # no fences: only lines starting "##" count
        return tuple((match["title"].strip(), first_line + offset)
                     for offset, raw in enumerate(body.splitlines())
                     if raw.startswith("##") and (match := _HEADING.match(raw)))
    out = []
    fenced = False
    for offset, raw in enumerate(body.splitlines()):
        if raw.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(raw)
        if match:
            out.append((match["title"].strip(), first_line + offset))
    return tuple(out)


def parse_record(path: str, text: str) -> Record:
    """Parse a decision record's text; raise RecordError (with path and line) if unreadable."""
    yaml_text, yaml_line, body, body_line = split_front_matter(path, text)
    doc = load_yaml(yaml_text, path=path, first_line=yaml_line, max_bytes=MAX_RECORD_BYTES)
    front = doc.data
    if front is None:
        raise RecordError("the front matter is empty; see `govbot new` for a template",
                          path=path, line=1)
    if not isinstance(front, dict):
        raise RecordError("the front matter must be a mapping of keys to values",
                          path=path, line=yaml_line)
    title = front.get("title")
    return Record(
        path=path, text=text, front=front, doc=doc, body=body, body_line=body_line,
        id=_int(front.get("id")),
        title=title if isinstance(title, str) else None,
        kind=front.get("kind") if front.get("kind") in KINDS else None,
        status=front.get("status") if front.get("status") in STATUSES else None,
        created=_date(front.get("created")),
        authors=_strings(front.get("authors")),
        supersedes=_ids(front.get("supersedes")),
        related=_ids(front.get("related")),
        changes=_changes(doc, front.get("changes")),
        decided=_date(front.get("decided")),
        pr=_int(front.get("pr")),
        votes=_votes(front.get("votes")),
        superseded_by=_int(front.get("superseded_by")),
        sections=body_sections(body, body_line),
    )


def record_path(number: int, slug: str, directory: str = "decisions") -> str:
    """`decisions/0012-slug.md`."""
    return f"{directory}/{number:04d}-{slug}.md"


def slugify(title: str, max_length: int = 50) -> str:
    """A file-name slug from a title: lowercase ASCII words joined by '-'."""
    # letters of any script are transliterated (é → e, ж → zh, 采 → cai); every other
    # character separates words (2021–2024)
    words = re.findall(r"[a-z0-9]+", to_ascii(title).lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "record"


@dataclass(frozen=True, slots=True)
class Symlink:
    """A path in `decisions/` that is a symbolic link (always refused)."""

    target: str


def read_records(files: Mapping[str, bytes | Symlink]) -> tuple[list[Record], list[Finding]]:
    """Decode and parse record files; unreadable ones become findings, never exceptions."""
    records: list[Record] = []
    findings: list[Finding] = []
    for path in sorted(files):
        data = files[path]
        if isinstance(data, Symlink) and "/" not in path:  # the records folder itself
            findings.append(Finding(path, None, f"{path}/ must be a real folder, not a symbolic "
                                    f"link; replace the link with a {path}/ folder holding the "
                                    "record files themselves", "file"))
            continue
        if isinstance(data, Symlink):
            findings.append(Finding(path, None, "symbolic links are not allowed in decisions/; "
                                    "replace the link with the record file itself", "file"))
            continue
        try:
            records.append(parse_record(path, decode(path, data, max_bytes=MAX_RECORD_BYTES)))
        except RecordError as exc:
            findings.append(Finding(path, exc.line, exc.message, "file"))
    return records, findings


@dataclass(frozen=True, slots=True)
class Tree:
    """The governance files of one tree (the working tree or a git ref): governance.yml's
    text, the records, and the findings of reading them."""

    config_text: str | None
    records: tuple[Record, ...]
    findings: tuple[Finding, ...]
