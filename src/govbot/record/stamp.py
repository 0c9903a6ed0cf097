"""Merge-time edits of decision records (DESIGN §7), pure over record texts.

Every edit works on the text line by line, at the line numbers the YAML loader reports, so the
rest of the file (key order, comments, quoting, the body, line endings) stays byte for byte as
the proposer wrote it. Nothing here re-dumps YAML.

- `stamp` makes a proposed record `accepted` with `decided`, `pr`, `votes` (and `override`
  when the PR merged without an approved vote);
- `supersede` marks a record replaced by a newer decision;
- `renumber` / `renumber_references` move a record whose id collided with one merged first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import yaml

from govbot.model.records import VOTES, Record, StampedVote, parse_record, record_path
from govbot.model.yamlio import plain_value

_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*:")


@dataclass(frozen=True, slots=True)
class FinalVote:
    """The final tally of a merged PR as publish needs it: the outcome and counted votes."""

    outcome: str
    votes: tuple[StampedVote, ...] = ()

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
    return json.dumps(value, ensure_ascii=False)


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"


def _end(line: str) -> str:
    """The line ending of `line` ('' for a last line without one)."""
    return line[len(line.rstrip("\r\n")):]


def _set_value(line: str, key: str, value: str) -> str:
    """`key: old  # comment` → `key: value  # comment` (the comment and ending are kept)."""
    match = re.match(rf"^(?P<head>[ \t]*{re.escape(key)}[ \t]*:[ \t]*)"
                     r"(?P<value>'[^']*'|\"[^\"]*\"|[^#\r\n]*?)"
                     r"(?P<tail>[ \t]+#.*)?(?P<end>\r?\n?)$", line)
    if match is None:  # pragma: no cover - the loader told us the key is on this line
        raise ValueError(f"no {key!r} on line {line!r}")
    return f"{match['head']}{value}{match['tail'] or ''}{match['end']}"


def _top_spans(record: Record) -> dict[str, tuple[int, int]]:
    """0-based [start, end) line spans of each top-level front-matter key."""
    close = record.body_line - 2  # index of the closing '---'
    starts = sorted((line - 1, path[0]) for path, line in record.doc.lines.items()
                    if len(path) == 1 and isinstance(path[0], str))
    spans: dict[str, tuple[int, int]] = {}
    for position, (start, key) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else close
        spans[key] = (start, end)
    return spans


def _edit(text: str, path: str, *, status: str | None,
          fields: Iterable[tuple[str, list[str]]]) -> str:
    """Set `status`, drop the given bot-owned keys if present, then append them (in order)
    just before the closing `---`."""
    record = parse_record(path, text)
    lines = text.splitlines(keepends=True)
    nl = _newline(text)
    fields = list(fields)
    spans = _top_spans(record)
    drop: set[int] = set()
    for key, _ in fields:
        if key in spans:
            drop.update(range(*spans[key]))
    if status is not None and "status" in spans:
        index = spans["status"][0]
        lines[index] = _set_value(lines[index], "status", status)
    close = record.body_line - 2
    head = [line for index, line in enumerate(lines[:close]) if index not in drop]
    if head and not _end(head[-1]):
        head[-1] += nl
    added = [f"{line}{nl}" for _, block in fields for line in block]
    if status is not None and "status" not in spans:
        added.insert(0, f"status: {status}{nl}")
    return "".join([*head, *added, *lines[close:]])


def vote_lines(votes: Iterable[StampedVote]) -> list[str]:
    """The `votes:` block, one flow mapping per vote, in a stable order (time, member):
    `{member, id, vote, at, commit}`, without `id` when the roster has none for the member."""
    ordered = sorted(votes, key=lambda v: (v.at, v.member.lower(), v.vote, v.commit))
    if not ordered:
        return ["votes: []"]
    return ["votes:", *(f"  - {{member: {scalar(v.member)}, "
                        + ("" if v.id is None else f"id: {v.id}, ")
                        + f"vote: {scalar(v.vote)}, at: '{v.at}', commit: {scalar(v.commit)}}}"
                        for v in ordered)]


def stamp(text: str, *, path: str = "record.md", decided: dt.date, pr: int,
          votes: Iterable[StampedVote], override: Mapping[str, str] | None = None) -> str:
    """The record accepted at merge: `status: accepted`, then `decided`, `pr`, `votes` and,
    for a PR merged without an approved vote, `override: {merged_by, outcome}`."""
    fields: list[tuple[str, list[str]]] = [
        ("decided", [f"decided: {decided.isoformat()}"]),
        ("pr", [f"pr: {pr}"]),
        ("votes", vote_lines(v for v in votes if v.vote in VOTES)),
    ]
    if override is not None:
        inner = ", ".join(f"{key}: {scalar(str(override[key]))}" for key in sorted(override))
        fields.append(("override", [f"override: {{{inner}}}"]))
    return _edit(text, path, status="accepted", fields=fields)


def supersede(text: str, by: int, *, path: str = "record.md") -> str:
    """The record replaced by decision `by`: `status: superseded`, `superseded_by: by`."""
    return _edit(text, path, status="superseded",
                 fields=[("superseded_by", [f"superseded_by: {by}"])])


def _replace_ids(segment: str, mapping: Mapping[int, int]) -> str:
    value, hash_, comment = segment.partition(" #")
    value = re.sub(r"(?<![\w.])(\d+)(?![\w.])",
                   lambda m: str(mapping.get(int(m[1]), int(m[1]))), value)
    return value + hash_ + comment


def renumber_references(text: str, mapping: Mapping[int, int], *,
                        path: str = "record.md") -> str:
    """The record with ids in `supersedes` and `related` moved by `mapping` (old → new)."""
    record = parse_record(path, text)
    lines = text.splitlines(keepends=True)
    touched: set[int] = set()
    for key in ("supersedes", "related"):
        for keypath, line in record.doc.lines.items():
            if keypath[:1] == (key,) and len(keypath) <= 2:
                touched.add(line - 1)
    for index in sorted(touched):
        raw = lines[index]
        if _TOP_KEY.match(raw):
            colon = raw.index(":") + 1
            lines[index] = raw[:colon] + _replace_ids(raw[colon:], mapping)
        else:
            dash = raw.find("-") + 1
            lines[index] = raw[:dash] + _replace_ids(raw[dash:], mapping)
    return "".join(lines)


def renumber(path: str, text: str, new_id: int) -> tuple[str, str]:
    """(new path, new text) of a record moved to `new_id`: its `id` and file-name prefix."""
    record = parse_record(path, text)
    lines = text.splitlines(keepends=True)
    index = record.line("id") - 1
    lines[index] = _set_value(lines[index], "id", str(new_id))
    directory = path.rsplit("/", 1)[0] if "/" in path else "decisions"
    return record_path(new_id, record.slug, directory), "".join(lines)


DECIDED = ("accepted", "superseded", "retired", "rejected")
Renderer = Callable[[Sequence[Record]], Mapping[str, bytes]]


def _is_record_path(path: str) -> bool:
    return path.startswith("decisions/") and path.endswith(".md") and path.count("/") == 1


def _collisions(records: Sequence[Record], pr_paths: Collection[str]) -> dict[int, int]:
    """old id → next free id, for this PR's proposed records whose id a decided record that
    is not part of this PR already holds (the record merged, and published, first)."""
    taken = {r.id for r in records if r.id is not None}
    held = {r.id for r in records if r.path not in pr_paths and r.status in DECIDED}
    mapping: dict[int, int] = {}
    for record in records:
        if (record.path in pr_paths and record.status == "proposed" and record.id in held
                and record.id is not None and record.id not in mapping):
            new = max(taken | set(mapping.values())) + 1
            mapping[record.id] = new
    return mapping


def plan_merge(files: Mapping[str, bytes], pr_paths: Collection[str], vote: FinalVote, *,
               pr: int | None, decided: dt.date, merged_by: str,
               render: Renderer) -> dict[str, bytes | None]:
    """Every file change for one merged PR, from the files of the current tip.

    `files` holds the tip's `decisions/*.md` and generated files; `pr_paths` the paths the
    PR changed. Returns only what differs: new bytes, or None for a file to delete (the old
    name of a renumbered record). With `pr` None, only the generated files are refreshed."""
    texts = {p: data.decode("utf-8") for p, data in files.items() if _is_record_path(p)}
    records = [parse_record(p, t) for p, t in sorted(texts.items())]
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
    final = [parse_record(p, t) for p, t in sorted(merged.items()) if t is not None]
    changes: dict[str, bytes | None] = {
        p: None if t is None else t.encode("utf-8") for p, t in out.items()}
    for path, data in render(final).items():
        if files.get(path) != data:
            changes[path] = data
    return {p: changes[p] for p in sorted(changes)}
