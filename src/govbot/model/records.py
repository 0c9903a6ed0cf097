"""Decision records: split and parse Markdown files with YAML front matter (DESIGN §2)."""

from __future__ import annotations

import datetime as dt
import re
from codecs import BOM_UTF8 as BOM
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from govbot.model.errors import RecordError
from govbot.model.findings import Finding
from govbot.model.translit import to_ascii
from govbot.model.vocab import is_int
from govbot.model.yamlio import Document, count_lines, decode, load_yaml, split_lines

KINDS = ("plan", "policy", "governance", "review")
STATUSES = ("draft", "proposed", "accepted", "rejected", "withdrawn", "superseded", "retired",
            "expired")
VOTES = ("approve", "object", "abstain", "recuse")
OPS = ("add-goal", "edit-goal", "retire-goal", "add-objective", "edit-objective",
       "retire-objective", "adopt-plan")
BOT_OWNED = ("decided", "pr", "votes", "superseded_by", "override", "community")
FIELDS = ("id", "title", "kind", "status", "created", "authors", "supersedes", "related",
          "body", "changes", "progress", *BOT_OWNED, "imported")
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
    """One entry of a decided record's `votes`: the audit record govbot wrote at merge,
    `{member, id, vote, at, commit, reason?, via?}` (DESIGN §2). `id` is the member's
    numeric GitHub id (None on votes stamped before govbot wrote it): a login can be
    renamed, the id cannot, so the roster rule matches by id first. `vote` is approve,
    object, abstain or recuse (a recusal is kept, though it never counts); `reason` is the
    member's own words (an objection's review body, the text after `/govbot recuse`), ""
    when none; `via` is who recorded a vote cast outside GitHub, "" for the member's own."""

    member: str
    vote: str
    at: str
    commit: str
    id: int | None = None
    reason: str = ""
    via: str = ""


@dataclass(frozen=True, slots=True)
class CommunityVoice:
    """One entry of a decided record's `community`: the non-binding voice of someone who
    was not seated (DESIGN §5), `support` or `concern` (with its reason), and when."""

    login: str
    voice: str  # support | concern
    at: str
    reason: str = ""


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
    body_id: str | None = None  # `body:`, the governing body that decides (None: the default)
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
    span = _closing(text, opening.end())
    if span is None:
        raise RecordError("the front matter is not closed: add a '---' line after it",
                          path=path, line=1)
    front = text[opening.end():span[0]]
    return front, 2, text[span[1]:], 3 + count_lines(front)


def _closing(text: str, start: int) -> tuple[int, int] | None:
    """Where the closing '---' line begins and ends (with its line ending)."""
    if any(odd in text for odd in ("\x85", "\u2028", "\u2029")) or (
            "\r" in text and text.count("\r") != text.count("\r\n")):
        match = _CLOSING.search(text, start)  # rare line breaks: the regex knows them all
        return None if match is None else match.span()
    position = start - 1  # the opening line's '\n': a '---' line may follow it at once
    while (found := text.find("\n---", position)) >= 0:  # the usual text: LF or CRLF
        end = found + 4
        while text[end:end + 1] in (" ", "\t"):
            end += 1
        rest = text[end:end + 2]
        if not rest or rest[0] == "\n" or rest == "\r\n":
            return found + 1, end + len(rest if rest == "\r\n" else rest[:1])
        position = found + 1
    return None


def _int(value: Any) -> int | None:
    return value if is_int(value) else None


def as_date(value: Any) -> dt.date | None:
    """A YAML date (or an ISO `YYYY-MM-DD` string) → date; None for anything else."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
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


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _votes(value: Any) -> tuple[StampedVote, ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        if isinstance(item, dict):
            at = item.get("at")
            at_text = at.isoformat() if isinstance(at, dt.date) else str(at or "")
            out.append(StampedVote(str(item.get("member", "")), str(item.get("vote", "")),
                                   at_text, str(item.get("commit", "")), _int(item.get("id")),
                                   _text(item.get("reason")), _text(item.get("via"))))
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
        body_id=front.get("body") if isinstance(front.get("body"), str) else None,
        created=as_date(front.get("created")),
        authors=_strings(front.get("authors")),
        supersedes=_ids(front.get("supersedes")),
        related=_ids(front.get("related")),
        changes=_changes(doc, front.get("changes")),
        decided=as_date(front.get("decided")),
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


@dataclass(frozen=True, slots=True)
class Stray:
    """A path under `decisions/` that is not a record file: another extension, a file in a
    subfolder, a submodule. Never read, always reported. `digest` names its content (the git
    blob id, also for a working-tree file), so comparing two trees sees a change."""

    digest: str
    submodule: bool = False


RecordFile = bytes | Symlink | Stray
_DECISIONS = "decisions/"


def stray_message(path: str, *, submodule: bool = False) -> str:
    """What to do about a path under decisions/ that is not `decisions/NNNN-slug.md`."""
    rest = path.removeprefix(_DECISIONS)
    name = rest.rsplit("/", 1)[-1]
    if submodule:
        return ("a submodule in decisions/ is never read; remove it: decisions/ holds only "
                "record files (NNNN-slug.md)")
    if "/" in rest:
        where = f"move it to decisions/{name}" if name.lower().endswith(".md") else \
            "move it out of decisions/"
        return (f"records live directly in decisions/, not in a subfolder, and govbot does not "
                f"read this file; {where}")
    if name.lower().endswith(".md"):
        return (f"decision records end in '.md' in lowercase, and govbot does not read this "
                f"file; rename it to decisions/{name[:-3]}.md")
    return ("only decision records (NNNN-slug.md, e.g. 0012-regional-convenings.md) belong in "
            "decisions/, and govbot does not read this file; move it out of decisions/, or "
            "rename it if it is a record")


BOM_MESSAGE = ("the file starts with a byte-order mark (U+FEFF); remove the byte-order mark: "
               "save as UTF-8 without BOM")
# Control characters (other than tab and the line endings LF and CRLF), and the line and
# paragraph separators: invisible, some break the feed's XML, and each tool counts lines
# differently around them. NUL is refused before (a binary file).
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]|\r(?!\n)")
_CONTROL_NAMES = {0x0B: "vertical tab: a line break pasted from a word processor",
                  0x0C: "form feed", 0x0D: "carriage return without a line feed",
                  0x1B: "escape", 0x7F: "delete", 0x85: "next line",
                  0x2028: "line separator", 0x2029: "paragraph separator"}
MAX_CONTROL_FINDINGS = 10
_ASCII_CONTROLS = bytes([*range(1, 9), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_C1_CONTROLS = re.compile(b"\xc2[\x80-\x9f]")  # U+0080…U+009F in UTF-8


def _has_controls(data: bytes) -> bool:
    """Whether UTF-8 `data` holds a character `_CONTROL` finds (quick byte-level tests: this
    runs on every record)."""
    return (len(data.translate(None, _ASCII_CONTROLS)) != len(data)
            or (b"\r" in data and data.count(b"\r") != data.count(b"\r\n"))
            or (b"\xe2" in data and (b"\xe2\x80\xa8" in data or b"\xe2\x80\xa9" in data))
            or (b"\xc2" in data and _C1_CONTROLS.search(data) is not None))


def text_findings(path: str, data: bytes, text: str) -> list[Finding]:
    """A byte-order mark, and each line holding a control character (at most
    MAX_CONTROL_FINDINGS lines, then one finding for the rest)."""
    findings = [Finding(path, 1, BOM_MESSAGE, "file")] if data.startswith(BOM) else []
    if not _has_controls(data):
        return findings
    lines = [(number, _CONTROL.search(line)) for number, line in
             enumerate(split_lines(text), 1)]
    found = [(number, match) for number, match in lines if match is not None]
    for number, match in found[:MAX_CONTROL_FINDINGS]:
        code = ord(match[0])
        name = _CONTROL_NAMES.get(code)
        fix = "start a new line instead" if code in (0x0B, 0x0D, 0x85, 0x2028, 0x2029) \
            else "delete it"
        findings.append(Finding(path, number, f"remove the control character U+{code:04X}"
                                + (f" ({name})" if name else "") + f" at line {number}, "
                                f"column {match.start() + 1}; {fix}", "file"))
    if len(found) > MAX_CONTROL_FINDINGS:
        findings.append(Finding(path, found[MAX_CONTROL_FINDINGS][0],
                                f"and {len(found) - MAX_CONTROL_FINDINGS} more lines with "
                                "control characters; retype or clean the text", "file"))
    return findings


def read_records(files: Mapping[str, RecordFile]) -> tuple[list[Record], list[Finding]]:
    """Decode and parse record files; unreadable ones become findings, never exceptions,
    and so does every path under decisions/ that is not a record file, a byte-order mark
    and a control character."""
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
        if isinstance(data, Stray):
            findings.append(Finding(path, None, stray_message(path, submodule=data.submodule),
                                    "file"))
            continue
        try:
            text = decode(path, data, max_bytes=MAX_RECORD_BYTES)
        except RecordError as exc:
            findings.append(Finding(path, exc.line, exc.message, "file"))
            continue
        findings.extend(text_findings(path, data, text))
        try:
            records.append(parse_record(path, text))
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
