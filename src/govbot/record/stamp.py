"""Merge-time edits of decision records (DESIGN §7), pure over record texts.

Every edit works on the text line by line, at the places (line and column) the YAML loader
reports, so the rest of the file (key order, comments, quoting, the body, line endings) stays
byte for byte as the proposer wrote it. That needs the layout `govbot check` asks for
(model/layout.py); a record without it (merged despite the check) first has its front
matter written again one key per line (`canonical`), so stamping never fails on a record
that parses.

- `stamp` makes a proposed record `accepted` with `decided`, `pr`, `votes` (and `override`
  when the PR merged without an approved vote);
- `close` records a motion whose PR closed unmerged: `rejected`, `expired` or `withdrawn`;
- `supersede` marks a record replaced by a newer decision;
- `renumber` / `renumber_references` move a record whose id collided with one merged first.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from govbot.model.layout import ID_LISTS, layout_problems
from govbot.model.records import (
    VOTES,
    CommunityVoice,
    Record,
    StampedVote,
    parse_record,
    record_path,
)
from govbot.model.vocab import FINAL, is_int, is_record_path
from govbot.model.yamlio import Span, plain_value, split_lines

_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
# characters a double-quoted YAML scalar must not hold raw: C1 controls, DEL, the line and
# paragraph separators (YAML breaks lines there) and the byte-order mark
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


@dataclass(frozen=True, slots=True)
class FinalVote:
    """The final tally of a merged PR as publish needs it: the outcome and counted votes."""

    outcome: str
    votes: tuple[StampedVote, ...] = ()
    community: tuple[CommunityVoice, ...] = ()

    @property
    def approved(self) -> bool:
        return self.outcome == "approved"


def scalar(value: str | int) -> str:
    """A YAML scalar for `value` that reads back as exactly that value (plain when safe):
    by govbot's YAML 1.2 reader, and by YAML 1.1 readers too (`yes` is quoted)."""
    if isinstance(value, int):
        return str(value)
    if _PLAIN.match(value) and plain_value(value) == value and yaml.safe_load(value) == value:
        return value
    quoted = json.dumps(value, ensure_ascii=False)  # JSON strings are YAML double-quoted ones
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def flow(value: Any) -> str:
    """Any value the YAML loader returns, written on one line in flow style so that it reads
    back as exactly that value (the serialiser of `canonical`)."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int | str):
        return scalar(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        return {math.inf: ".inf", -math.inf: "-.inf"}.get(value, repr(value))
    if isinstance(value, dt.date):  # a datetime too: both read back from isoformat()
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as YAML")  # pragma: no cover


def canonical(record: Record) -> str:
    """The record with its front matter written again one `key: value` per line (values in
    flow style), for a record whose layout the line editor cannot keep (`layout_problems`):
    such a record fails `govbot check`, but one merged anyway must still be stamped. Values
    read back the same; comments and quoting in the front matter are not kept."""
    nl = _newline(record.text)
    lines = [f"{scalar(key)}: {flow(value)}{nl}" for key, value in record.front.items()]
    return "".join([f"---{nl}", *lines, f"---{nl}", record.body])


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"


def _editable(path: str, text: str) -> tuple[Record, str]:
    """The parsed record and its text, rewritten by `canonical` first when its layout is not
    one the line editor can keep."""
    record = parse_record(path, text)
    if layout_problems(record):
        text = canonical(record)
        record = parse_record(path, text)
    return record, text


def _replace(lines: list[str], span: Span, value: str) -> None:
    """Put `value` where the one-line node at `span` is written (comments and the rest of
    the line stay)."""
    index = span.line - 1
    line = lines[index]
    head, tail = line[:span.column], line[span.end_column:]
    if span.column == span.end_column and head.endswith(":"):  # `key:` with no value
        value = " " + value
    lines[index] = head + value + tail


def _top_spans(record: Record, lines: Sequence[str]) -> dict[str, tuple[int, int]]:
    """0-based [start, end) line spans of each top-level front-matter key: from its line to
    the next key's, less the comment and blank lines just before that (they are not part of
    the value: a top-level value's lines are indented)."""
    close = record.body_line - 2  # index of the closing '---'
    starts = sorted((span[0] - 1, key) for key, span in record.doc.key_spans.items())
    spans: dict[str, tuple[int, int]] = {}
    for position, (start, key) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else close
        while end - 1 > start and (not lines[end - 1].strip() or lines[end - 1][0] == "#"):
            end -= 1
        spans[key] = (start, end)
    return spans


def _edit(text: str, path: str, *, status: str | None,
          fields: Iterable[tuple[str, list[str]]]) -> str:
    """Set `status`, drop the given bot-owned keys if present, then append them (in order)
    just before the closing `---`."""
    record, text = _editable(path, text)
    lines = split_lines(text)
    nl = _newline(text)
    fields = list(fields)
    spans = _top_spans(record, lines)
    drop: set[int] = set()
    for key, _ in fields:
        if key in spans:
            drop.update(range(*spans[key]))
    status_span = record.doc.span("status")
    if status is not None and status_span is not None:
        _replace(lines, status_span, status)
    close = record.body_line - 2
    head = [line for index, line in enumerate(lines[:close]) if index not in drop]
    added = [f"{line}{nl}" for _, block in fields for line in block]
    if status is not None and status_span is None:
        added.insert(0, f"status: {status}{nl}")
    return "".join([*head, *added, *lines[close:]])


# Characters written as escapes inside a double-quoted YAML scalar: the quote and the
# backslash, every control character (C0, DEL, C1 — NEL among them, which YAML would fold as a
# line break), the line and paragraph separators, and the invisible or reordering characters
# `govbot check` refuses in a record (bidi controls, zero-width characters, the BOM, tags),
# so a member's words can never hide text in, or break, the record they are stamped into.
_ESCAPED = re.compile("[\"\\\\\x00-\x1f\x7f-\x9f\u00ad\u115f\u1160\u180e\u200b\u2028\u2029"
                      "\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0\ufff9-\ufffb"
                      "\ufffe\uffff\U000e0000-\U000e007f\ud800-\udfff]")
_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
MAX_REASON = 2000  # characters of a reason kept in the record; the full text stays on the PR


def quoted(value: str) -> str:
    """`value` as a double-quoted YAML scalar that reads back as exactly `value`, on one
    line and made only of visible characters (every other character escaped)."""
    def escape(match: re.Match[str]) -> str:
        char = match[0]
        code = ord(char)
        return _SHORT.get(char) or (f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")

    return '"' + _ESCAPED.sub(escape, value) + '"'


_SURROGATE = re.compile("[\ud800-\udfff]")


def reason_text(reason: str) -> str:
    """A reason as the record keeps it: surrounding blank space trimmed, at most MAX_REASON
    characters (cut ones end with …); a lone surrogate (not text, and not writable in YAML)
    becomes U+FFFD, the replacement character."""
    text = _SURROGATE.sub("\ufffd", reason).strip()
    return text if len(text) <= MAX_REASON else text[:MAX_REASON - 1].rstrip() + "…"


def vote_line(vote: StampedVote) -> str:
    """One vote as a flow mapping, `{member, id, vote, at, commit, reason, via}`, without
    `id` when the roster has none for the member, `reason` when there is none and `via`
    for the member's own vote."""
    parts = [f"member: {scalar(vote.member)}"]
    if vote.id is not None:
        parts.append(f"id: {vote.id}")
    parts += [f"vote: {scalar(vote.vote)}", f"at: '{vote.at}'", f"commit: {scalar(vote.commit)}"]
    if reason_text(vote.reason):
        parts.append(f"reason: {quoted(reason_text(vote.reason))}")
    if vote.via:
        parts.append(f"via: {scalar(vote.via)}")
    return "{" + ", ".join(parts) + "}"


def vote_lines(votes: Iterable[StampedVote]) -> list[str]:
    """The `votes:` block, one flow mapping per vote (`vote_line`), in a stable order (time,
    member)."""
    ordered = sorted(votes, key=lambda v: (v.at, v.member.lower(), v.vote, v.commit))
    if not ordered:
        return ["votes: []"]
    return ["votes:", *(f"  - {vote_line(v)}" for v in ordered)]


MAX_VOICES = 100  # community voices kept in a record (the earliest; the rest stay on the PR)
MAX_VOICE_REASON = 500  # characters of a concern kept in the record


def community_lines(voices: Iterable[CommunityVoice]) -> list[str]:
    """The `community:` block (none when nobody spoke): the non-binding voices, in the
    order given, at most MAX_VOICES, each `{login, voice, at, reason?}` with the reason cut
    to MAX_VOICE_REASON characters and escaped like a member's."""
    kept = [v for v in voices if v.voice in ("support", "concern")][:MAX_VOICES]
    if not kept:
        return []
    out = ["community:"]
    for voice in kept:
        parts = [f"login: {scalar(voice.login)}", f"voice: {voice.voice}", f"at: '{voice.at}'"]
        reason = _SURROGATE.sub("\ufffd", voice.reason).strip()
        if reason:
            cut = reason if len(reason) <= MAX_VOICE_REASON else \
                reason[:MAX_VOICE_REASON - 1].rstrip() + "…"
            parts.append(f"reason: {quoted(cut)}")
        out.append("  - {" + ", ".join(parts) + "}")
    return out


def _audit(decided: dt.date, pr: int, votes: Iterable[StampedVote],
           community: Iterable[CommunityVoice]) -> list[tuple[str, list[str]]]:
    fields: list[tuple[str, list[str]]] = [
        ("decided", [f"decided: {decided.isoformat()}"]),
        ("pr", [f"pr: {pr}"]),
        ("votes", vote_lines(v for v in votes if v.vote in VOTES)),
    ]
    voices = community_lines(community)
    return [*fields, ("community", voices)] if voices else fields


def stamp(text: str, *, path: str = "record.md", decided: dt.date, pr: int,
          votes: Iterable[StampedVote], override: Mapping[str, str] | None = None,
          community: Iterable[CommunityVoice] = ()) -> str:
    """The record accepted at merge: `status: accepted`, then `decided`, `pr`, `votes`, the
    non-binding `community` voices (when anyone spoke) and, for a PR merged without an
    approved vote, `override: {merged_by, outcome}`."""
    fields = _audit(decided, pr, votes, community)
    if override is not None:
        inner = ", ".join(f"{key}: {scalar(str(override[key]))}" for key in sorted(override))
        fields.append(("override", [f"override: {{{inner}}}"]))
    return _edit(text, path, status="accepted", fields=fields)


CLOSED_STATUSES = ("rejected", "expired", "withdrawn")  # a motion whose PR closed unmerged


def close(text: str, *, path: str = "record.md", status: str, decided: dt.date, pr: int,
          votes: Iterable[StampedVote], community: Iterable[CommunityVoice] = ()) -> str:
    """The record of a motion whose pull request closed unmerged (DESIGN §7): `status`
    (rejected, expired or withdrawn), then `decided`, `pr` and `votes`, so a motion voted
    down still leaves its record and its minutes."""
    if status not in CLOSED_STATUSES:
        raise ValueError(f"a closed motion is rejected, expired or withdrawn, not {status!r}")
    return _edit(text, path, status=status, fields=_audit(decided, pr, votes, community))


def supersede(text: str, by: int, *, path: str = "record.md") -> str:
    """The record replaced by decision `by`: `status: superseded`, `superseded_by: by`."""
    return _edit(text, path, status="superseded",
                 fields=[("superseded_by", [f"superseded_by: {by}"])])


def renumber_references(text: str, mapping: Mapping[int, int], *,
                        path: str = "record.md") -> str:
    """The record with ids in `supersedes` and `related` moved by `mapping` (old → new);
    every other byte stays."""
    record, text = _editable(path, text)
    edits: list[tuple[Span, str]] = []
    for key in ID_LISTS:
        items = record.front.get(key)
        for index, item in enumerate(items if isinstance(items, list) else ()):
            span = record.doc.span(key, index)
            if is_int(item) and item in mapping and span is not None:
                edits.append((span, str(mapping[item])))
    lines = split_lines(text)
    for span, value in sorted(edits, reverse=True):  # right to left: columns stay true
        _replace(lines, span, value)
    return "".join(lines)


def renumber(path: str, text: str, new_id: int) -> tuple[str, str]:
    """(new path, new text) of a record moved to `new_id`: its `id` and file-name prefix."""
    record, text = _editable(path, text)
    lines = split_lines(text)
    span = record.doc.span("id")
    if span is not None:
        _replace(lines, span, str(new_id))
    directory = path.rsplit("/", 1)[0] if "/" in path else "decisions"
    return record_path(new_id, record.slug, directory), "".join(lines)


# A record in one of these statuses keeps its id: a PR that picked the same id is renumbered.
HOLDS_ID = (*FINAL, "withdrawn")
Renderer = Callable[[Sequence[Record]], Mapping[str, bytes]]


def _collisions(records: Sequence[Record], pr_paths: Collection[str]) -> dict[int, int]:
    """old id → next free id, for this PR's proposed records whose id a decided record that
    is not part of this PR already holds (the record merged, and published, first)."""
    taken = {r.id for r in records if r.id is not None}
    held = {r.id for r in records if r.path not in pr_paths and r.status in HOLDS_ID}
    mapping: dict[int, int] = {}
    for record in records:
        if (record.path in pr_paths and record.status == "proposed" and record.id in held
                and record.id is not None and record.id not in mapping):
            new = max(taken | set(mapping.values())) + 1
            mapping[record.id] = new
    return mapping


def _parsed(texts: Mapping[str, str], known: Mapping[str, Record]) -> list[Record]:
    """The records of `texts`, reusing those of `known` whose text is the same."""
    return [known[p] if p in known and known[p].text == t else parse_record(p, t)
            for p, t in sorted(texts.items())]


def plan_merge(files: Mapping[str, bytes], pr_paths: Collection[str], vote: FinalVote, *,
               pr: int | None, decided: dt.date, merged_by: str,
               render: Renderer, known: Mapping[str, Record] | None = None
               ) -> dict[str, bytes | None]:
    """Every file change for one merged PR, from the files of the current tip.

    `files` holds the tip's `decisions/*.md` and generated files; `pr_paths` the paths the
    PR changed. Returns only what differs: new bytes, or None for a file to delete (the old
    name of a renumbered record). With `pr` None, only the generated files are refreshed.
    `known`: records already parsed (by path), reused where the text is unchanged, so a
    merge into a large repository parses only what it edits."""
    known = known or {}
    texts = {p: data.decode("utf-8") for p, data in files.items() if is_record_path(p)}
    records = _parsed(texts, known)
    out: dict[str, str | None] = {}
    if pr is not None:
        mapping = _collisions(records, pr_paths)
        override = None if vote.approved else {"merged_by": merged_by, "outcome": vote.outcome}
        stamped: list[tuple[int, Record]] = []
        for record in records:
            if record.path not in pr_paths:
                continue
            text = renumber_references(record.text, mapping, path=record.path) \
                if mapping else record.text
            path = record.path
            new_id = record.id
            if record.status == "proposed" and record.id in mapping:
                new_id = mapping[record.id]
                path, text = renumber(record.path, text, new_id)
                out[record.path] = None
            if record.status == "proposed":
                text = stamp(text, path=path, decided=decided, pr=pr, votes=vote.votes,
                             community=vote.community,
                             override=override)
                stamped.append((new_id or 0, record))
            if text != record.text or path != record.path:
                out[path] = text
        for new_id, record in stamped:
            for old in record.supersedes:
                target_id = mapping.get(old, old)
                for target in records:
                    if (target.id == target_id and target.status == "accepted"
                            and target.path not in pr_paths):
                        current = out.get(target.path) or target.text
                        out[target.path] = supersede(current, new_id, path=target.path)
    merged = {**texts, **out}
    final = _parsed({p: t for p, t in merged.items() if t is not None},
                    {r.path: r for r in records})
    changes: dict[str, bytes | None] = {
        p: None if t is None else t.encode("utf-8") for p, t in out.items()}
    for path, data in render(final).items():
        if files.get(path) != data:
            changes[path] = data
    return {p: changes[p] for p in sorted(changes)}
