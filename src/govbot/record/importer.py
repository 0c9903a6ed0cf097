"""`govbot import`, the pure half (DESIGN §13): the records of an existing decision log
(`model.adrlog`) and what git knows about their files → govbot records, and a report of
everything that could not be carried over as it was.

- ids: the log's own numbers when they fit (1–9999, each once) and the repository has no
  record yet, else the next free ids in the log's order; record 0000 of a MADR log moves too.
- status: accepted → accepted, superseded → superseded (with `superseded_by`, and the newer
  record lists it under `supersedes`), deprecated → retired, rejected → rejected; proposed,
  draft and anything else → draft (a proposal is put to the committee by a pull request).
- dates: `created` is the earliest of the record's own date and the commit that added its
  file; `decided` the record's date, else the last commit that changed it.
- authors: the GitHub login of whoever committed the file (from a noreply address), else the
  deciders that are written as logins, else `fallback_author`.
- links between records are rewritten to the new file names; every record carries
  `imported: {from, source}`, so it needs no `pr` or `votes` to be accepted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import yaml

from govbot.model.adrlog import (
    SUPERSEDED_BY,
    SUPERSEDES,
    SourceRecord,
    adr_number,
    link_target_name,
)
from govbot.model.config import LOGIN
from govbot.model.errors import UsageError
from govbot.model.records import record_path, slugify

MAX_ID = 9999
MAX_TITLE = 100
STATUS_MAP = {"accepted": "accepted", "superseded": "superseded", "deprecated": "retired",
              "rejected": "rejected", "draft": "draft"}
DATED = ("accepted", "superseded", "retired", "rejected")
_LINK = re.compile(r"(?P<open>\[[^\]]*\]\()(?P<target>[^)\s]+)(?P<close>\))")
_REFERENCE = re.compile(r"^(?P<open>\s{0,3}\[[^\]]+\]:\s*)(?P<target>\S+)(?P<rest>.*)$", re.M)
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/()–-]*$")
_ADR_MENTION = re.compile(r"(?i)\bADR[- ]?\d{1,4}\b")
_NOREPLY = re.compile(r"^(?:\d+\+)?(?P<login>[A-Za-z0-9-]+)@users\.noreply\.github\.com$", re.I)


@dataclass(frozen=True, slots=True)
class FileHistory:
    """What git says about one file of the log: the days it was added and last changed, and
    the email address of whoever added it."""

    added: dt.date | None = None
    changed: dt.date | None = None
    emails: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Converted:
    """One record as imported: where it came from, where it goes, its status."""

    source: str
    path: str
    status: str


@dataclass(slots=True)
class ImportResult:
    """The files to write ({decisions path: text}), each record's row, and the report of
    what could not be carried over as it was (`source: what happened`)."""

    files: dict[str, str] = field(default_factory=dict)
    rows: list[Converted] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def login_from_email(email: str) -> str | None:
    """The GitHub login in a noreply address (`123+alice@users.noreply.github.com`)."""
    match = _NOREPLY.match(email.strip())
    return match["login"] if match and LOGIN.match(match["login"]) else None


def login_from_name(person: str) -> str | None:
    """`@alice`, `https://github.com/alice` or a bare lowercase login (`alice`,
    `amara-osei`) → the login; a person's name (`Amara Osei`) → None."""
    text = person.strip().removeprefix("https://github.com/").rstrip("/")
    if text.startswith("@"):
        text = text[1:]
    elif text != text.lower():
        return None
    return text if LOGIN.match(text) else None


def _scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly `value`: plain when safe, else quoted."""
    if _PLAIN.match(value) and yaml.safe_load(value) == value and ": " not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def assign_ids(sources: Sequence[SourceRecord], taken: set[int]) -> dict[str, int]:
    """The log's own numbers when they all fit (1–9999, each once) and the repository has
    no record yet; else the next free ids after the repository's highest, in the log's
    order (history imported later follows the records govbot already holds)."""
    numbers = [s.number for s in sources]
    if not taken and len(set(numbers)) == len(numbers) and all(
            n is not None and 0 < n <= MAX_ID for n in numbers):
        return {s.name: s.number for s in sources if s.number is not None}
    start = max(taken, default=0) + 1
    if start + len(sources) - 1 > MAX_ID:
        raise UsageError(f"the log has {len(sources)} records, but only "
                         f"{max(MAX_ID - start + 1, 0)} ids are free in this repository "
                         f"(ids have four digits)")
    return {s.name: start + index for index, s in enumerate(sources)}


@dataclass(slots=True)
class _Draft:
    """A record being converted (mutable until its text is written)."""

    source: SourceRecord
    id: int
    status: str
    supersedes: list[int] = field(default_factory=list)
    related: list[int] = field(default_factory=list)
    superseded_by: int | None = None


class _Converter:
    """Converts a whole log: ids and links need every record at once."""

    def __init__(self, sources: Sequence[SourceRecord], fmt: str, prefix: str, kind: str,
                 taken: set[int], histories: Mapping[str, FileHistory],
                 fallback_author: str | None, today: dt.date):
        self.fmt, self.prefix, self.kind, self.today = fmt, prefix, kind, today
        self.histories, self.fallback = histories, fallback_author
        self.ids = assign_ids(sources, taken)
        self.by_number = {s.number: s.name for s in sources if s.number is not None}
        self.result = ImportResult()
        self.drafts = {s.name: _Draft(s, self.ids[s.name], self._status(s)) for s in sources}
        self.paths = {s.name: record_path(self.ids[s.name], slugify(self._title(s, False)))
                      for s in sources}

    def note(self, source: SourceRecord, message: str) -> None:
        self.result.notes.append(f"{self.prefix}{source.name}: {message}")

    def _status(self, source: SourceRecord) -> str:
        status = STATUS_MAP.get(source.status)
        if status is not None:
            return status
        if source.status == "proposed":
            self.note(source, "status proposed → draft: a proposal goes to the committee in "
                      "a pull request that sets status: proposed")
        elif source.status:
            self.note(source, f"status {source.status!r} has no govbot equivalent; imported "
                      "as draft")
        else:
            self.note(source, "no status found; imported as draft")
        return "draft"

    def _title(self, source: SourceRecord, report: bool = True) -> str:
        title = " ".join(source.title.split())
        if not title:
            title = source.name.removesuffix(".md").split("-", 1)[-1].replace("-", " ")
            title = title[:1].upper() + title[1:]
            if report:
                self.note(source, f"no '# Title' line; the title is taken from the file name: "
                          f"{title!r}")
        if len(title) > MAX_TITLE:
            short = title[:MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"
            if report:
                self.note(source, f"the title is longer than {MAX_TITLE} characters and was "
                          f"shortened to {short!r}")
            title = short
        return title

    def target(self, source: SourceRecord, target: str) -> int | None:
        """The new id a link or `ADR-NNNN` points at; None (reported) when it is not a
        record of the log."""
        name = link_target_name(target)
        number = adr_number(target)
        if name in self.ids:
            return self.ids[name]
        if number is not None and number in self.by_number:
            return self.ids[self.by_number[number]]
        self.note(source, f"the link to {target!r} is not a record of this log; left out")
        return None

    def link(self) -> None:
        """supersedes / superseded_by / related from the links, made consistent."""
        for draft in self.drafts.values():
            for relation, target in draft.source.links:
                number = self.target(draft.source, target)
                if number is None or number == draft.id:
                    continue
                if relation == SUPERSEDED_BY:
                    draft.superseded_by = number
                elif relation == SUPERSEDES:
                    draft.supersedes.append(number)
                else:
                    draft.related.append(number)
        by_id = {d.id: d for d in self.drafts.values()}
        for draft in self.drafts.values():
            if draft.status == "superseded" and draft.superseded_by is None:
                draft.status = "retired"
                self.note(draft.source, "superseded, but it does not say by which record; "
                          "imported as retired")
            newer = by_id.get(draft.superseded_by) if draft.superseded_by else None
            if draft.status == "superseded" and newer is not None and \
                    draft.id not in newer.supersedes:
                newer.supersedes.append(draft.id)
            if draft.status != "superseded" and draft.superseded_by is not None:
                draft.related.append(draft.superseded_by)
                draft.superseded_by = None
        for draft in self.drafts.values():
            for old in list(draft.supersedes):
                older = by_id[old]
                if older.status == "accepted" or (older.status == "superseded"
                                                  and older.superseded_by == draft.id):
                    continue
                draft.supersedes.remove(old)
                draft.related.append(old)
                self.note(draft.source, f"supersedes {self.prefix}{older.source.name}, which "
                          f"is {older.status} here; listed under related instead")

    def dates(self, draft: _Draft) -> tuple[dt.date, dt.date | None]:
        source, history = draft.source, self.histories.get(draft.source.name, FileHistory())
        known = [d for d in (source.date, history.added) if d is not None]
        if not known:
            self.note(source, f"no date in the file or in git; created is today ({self.today})"
                      ", correct it before you commit")
        created = min(known, default=self.today)
        if created > self.today:
            self.note(source, f"its date {created} is in the future; created is today")
            created = self.today
        decided = source.date or history.changed or created
        decided = min(max(decided, created), self.today)
        return created, decided if draft.status in DATED else None

    def authors(self, source: SourceRecord) -> list[str]:
        history = self.histories.get(source.name, FileHistory())
        logins = [login for email in history.emails[:1] if (login := login_from_email(email))]
        if not logins:
            logins = [login for person in source.people if (login := login_from_name(person))]
        if source.people and len(logins) < len(source.people) and not history.emails[:1]:
            names = [p for p in source.people if login_from_name(p) is None]
            what = "not a GitHub login, so not an author" if len(names) == 1 else \
                "not GitHub logins, so not authors"
            self.note(source, f"{', '.join(names)}: {what}; kept in the body")
        if logins:
            return list(dict.fromkeys(logins))
        if self.fallback is None:
            raise UsageError(f"{self.prefix}{source.name}: who wrote it? no GitHub login in git "
                             "or in the file; pass --author LOGIN (e.g. the secretary "
                             "importing the log)")
        self.note(source, f"no GitHub login in git or in the file; authors: [{self.fallback}] "
                  "(--author)")
        return [self.fallback]

    def body(self, source: SourceRecord) -> str:
        def rewrite(match: re.Match[str], key: str = "close") -> str:
            target = match["target"]
            name = link_target_name(target)
            if name in self.paths:
                anchor = target[len(target.split("#", 1)[0]):]
                new = self.paths[name].rsplit("/", 1)[1] + anchor
                return match["open"] + new + match[key]
            if not re.match(r"^(?:[a-z]+:|#)", target):
                self.note(source, f"the link to {target!r} points outside the decision log "
                          "and was kept as it was; check it")
            return match[0]

        text = _LINK.sub(rewrite, source.body)
        text = _REFERENCE.sub(lambda m: rewrite(m, "rest"), text)
        people = [("decision-makers", ", ".join(source.people))] if source.people else []
        meta = [f"- {key[:1].upper()}{key[1:]}: {value}" for key, value in
                [*people, *source.notes]]
        return "\n".join([*meta, ""] if meta else []) + ("\n" if meta and text else "") + text

    def convert(self) -> ImportResult:
        self.link()
        for draft in sorted(self.drafts.values(), key=lambda d: d.id):
            source = draft.source
            for problem in source.problems:
                self.note(source, problem)
            mention = _ADR_MENTION.search(source.body)
            if mention and source.number is not None and source.number != draft.id:
                self.note(source, f"it is record {draft.id} now, and its text still refers to "
                          f"records by the log's old numbers (e.g. {mention[0]!r}); update "
                          "them if it matters")
            created, decided = self.dates(draft)
            lines = [f"id: {draft.id}", f"title: {_scalar(self._title(source))}",
                     f"kind: {self.kind}", f"status: {draft.status}",
                     f"created: {created.isoformat()}",
                     f"authors: [{', '.join(self.authors(source))}]"]
            if draft.supersedes:
                lines.append(f"supersedes: [{', '.join(map(str, sorted(set(draft.supersedes))))}]")
            related = sorted(set(draft.related) - set(draft.supersedes) - {draft.id})
            if related:
                lines.append(f"related: [{', '.join(map(str, related))}]")
            if decided is not None:
                lines.append(f"decided: {decided.isoformat()}")
            if draft.superseded_by is not None:
                lines.append(f"superseded_by: {draft.superseded_by}")
            lines += ["imported:", f"  from: {self.fmt}",
                      f"  source: {_scalar(self.prefix + source.name)}"]
            path = self.paths[source.name]
            self.result.files[path] = "---\n" + "\n".join(lines) + "\n---\n" + \
                self.body(source)
            self.result.rows.append(Converted(self.prefix + source.name, path, draft.status))
        self.result.notes.sort(key=lambda note: note.split(": ", 1)[0])  # by record, stable
        return self.result


def convert_log(sources: Sequence[SourceRecord], fmt: str, *, prefix: str, kind: str,
                taken: set[int], histories: Mapping[str, FileHistory],
                fallback_author: str | None, today: dt.date) -> ImportResult:
    """Every record of a log → govbot record texts and the report. `prefix` is the log's
    folder as `imported.source` names it (`doc/adr/`); `taken` the ids the repository
    already uses."""
    if not sources:
        return ImportResult()
    return _Converter(sources, fmt, prefix, kind, taken, histories, fallback_author,
                      today).convert()
