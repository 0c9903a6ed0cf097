"""Validation rules for decision records → findings (DESIGN §2, §3). Pure: never prints or raises.

Per-file rules judge one record on its own; repository-wide rules (unique ids, references,
supersede cycles, the plan) judge the whole tree; `lifecycle` compares a record with its
version on the base branch.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from .config import CONFIG_FILE, Config, read_config
from .crossref import and_list, repository_findings
from .findings import Finding, did_you_mean, hidden_characters, one_of, sort_findings
from .lifecycle import check_lifecycle
from .records import (
    BOT_OWNED,
    FIELDS,
    FILENAME,
    KINDS,
    REQUIRED_SECTIONS,
    STATUSES,
    VOTES,
    Record,
    record_path,
    slugify,
)
from .roster import roster_findings
from .yamlio import KeyPath, key_path

if TYPE_CHECKING:
    from .gitrepo import Snapshot

MAX_TITLE = 100
REQUIRED = ("id", "title", "kind", "status", "created", "authors")
DECIDED = ("accepted", "superseded", "retired")
OPEN = ("draft", "proposed")
VOTE_KEYS = ("member", "id", "vote", "at", "commit")
VOTE_REQUIRED = ("member", "vote", "at", "commit")  # `id`: absent on votes stamped before it
LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SHA = re.compile(r"^[0-9a-fA-F]{40}$")
_EXAMPLE_NAME = "0012-regional-convenings.md"


class _Out:
    """Collects the findings of one record, each placed on the line of its key."""

    def __init__(self, record: Record):
        self.record = record
        self.items: list[Finding] = []

    def add(self, where: KeyPath, message: str, rule: str = "record") -> None:
        prefix = f"{key_path(where)}: " if where else ""
        line = self.record.line(*where) if where else 1
        self.items.append(Finding(self.record.path, line, prefix + message, rule))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _date(out: _Out, key: str, value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        out.add((key,), f"write only the date (YYYY-MM-DD), without a time: {value.date()}")
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    out.add((key,), f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20")
    return None


def _login_problem(value: Any) -> str | None:
    if isinstance(value, str) and LOGIN.match(value):
        return None
    hint = "use the user name from the person's GitHub profile address"
    if isinstance(value, str) and value.startswith("@") and LOGIN.match(value[1:]):
        hint = f"write {value[1:]!r}, without the @"
    return f"{value!r} is not a GitHub login; {hint}"


def _check_name(record: Record, out: _Out) -> None:
    if FILENAME.match(record.filename):
        number = record.front.get("id")
        if not isinstance(number, int) or isinstance(number, bool):
            return
        if number >= 10000:
            out.add(("id",), f"{number} has more than 4 digits; set id: "
                    f"{record.file_number}, the number in the file name")
        elif number > 0 and record.file_number != number:
            out.add(("id",), f"{number} does not match the number in the file name "
                    f"({record.file_number:04d}); set id: {record.file_number}, or rename the "
                    f"file to {record_path(number, record.slug)}")
        return
    suggestion = ""
    if _is_int(record.front.get("id")) and 0 < record.front["id"] < 10000:
        slug = slugify(str(record.front.get("title") or record.filename.removesuffix(".md")))
        suggestion = f"; rename it to {record_path(record.front['id'], slug)}"
    out.add((), f"the file name {record.filename!r} must look like {_EXAMPLE_NAME}: the "
            "4-digit id, then lowercase words joined by '-'" + suggestion, "file")


def _check_fields(record: Record, out: _Out, today: dt.date) -> None:
    front = record.front
    for key in front:
        if key not in FIELDS:
            out.add((key,), "unknown key" + did_you_mean(key, FIELDS)
                    + f"; allowed keys are {one_of(list(FIELDS))}")
    missing = {
        "id": f"add 'id: {record.file_number or 12}' (the number in the file name)",
        "title": f"add a one-line title of at most {MAX_TITLE} characters",
        "kind": f"add one of {one_of(list(KINDS))}",
        "status": "add 'status: proposed' (or draft, to share it without asking for a vote)",
        "created": f"add the date the record was written, e.g. created: {today}",
        "authors": "list the GitHub logins of the proposers, e.g. authors: [alice]",
    }
    for key in REQUIRED:
        if front.get(key) is None:
            out.add((), f"{key}: missing; {missing[key]}", "record")
    if "id" in front and front["id"] is not None and (
            not _is_int(front["id"]) or front["id"] <= 0):
        out.add(("id",), f"{front['id']!r} is not a record id; write a whole number, e.g. 12")
    title = front.get("title")
    if title is not None:
        if not isinstance(title, str):
            out.add(("title",), "must be text")
        elif not title.strip():
            out.add(("title",), "is empty; give the decision a short title")
        elif "\n" in title.strip():
            out.add(("title",), "must be a single line")
        elif len(title) > MAX_TITLE:
            out.add(("title",), f"is {len(title)} characters long; keep it to {MAX_TITLE} or "
                    "fewer and put the detail in the body")
        elif problem := hidden_characters(title):
            out.add(("title",), problem)
    for key, allowed in (("kind", KINDS), ("status", STATUSES)):
        value = front.get(key)
        if value is not None and value not in allowed:
            out.add((key,), f"{value!r} is not one of {one_of(list(allowed))}"
                    + did_you_mean(str(value), allowed))
    created = _date(out, "created", front["created"]) if front.get("created") else None
    if created is not None and created > today:
        out.add(("created",), f"{created} is in the future (today is {today}); use the date "
                "the record was written")
    decided = _date(out, "decided", front["decided"]) if front.get("decided") else None
    if created and decided and decided < created:
        out.add(("decided",), f"{decided} is before the record was created ({created})")
    _check_authors(front.get("authors"), out)
    for key in ("supersedes", "related"):
        _check_ids(record, key, front.get(key), out)


def _check_authors(authors: Any, out: _Out) -> None:
    if authors is None:
        return
    if not isinstance(authors, list):
        out.add(("authors",), "must be a list of GitHub logins, e.g. [alice, bob]")
        return
    if not authors:
        out.add(("authors",), "is empty; list at least one GitHub login")
    seen: set[str] = set()
    for index, login in enumerate(authors):
        problem = _login_problem(login)
        if problem:
            out.add(("authors", index), problem)
        elif login.lower() in seen:
            out.add(("authors", index), f"{login!r} is listed twice")
        else:
            seen.add(login.lower())


def _check_ids(record: Record, key: str, value: Any, out: _Out) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        out.add((key,), f"must be a list of record ids, e.g. {key}: [3]")
        return
    for index, item in enumerate(value):
        if not _is_int(item) or item <= 0:
            out.add((key, index), f"{item!r} is not a record id; write its number, e.g. 3")
        elif item == record.id:
            verb = "supersede itself" if key == "supersedes" else "be related to itself"
            out.add((key, index), f"a record cannot {verb}; remove {item}")


def _check_changes(record: Record, out: _Out) -> None:
    changes = record.front.get("changes")
    kind = record.front.get("kind")
    if kind == "plan" and not changes:
        out.add(("changes",) if "changes" in record.front else ("kind",),
                "a plan record must list its changes to the plan under 'changes:', e.g. "
                "- op: add-objective; or choose another kind (policy, governance, review)")
    if changes is None:
        return
    if kind in KINDS and kind != "plan" and changes:
        out.add(("changes",), f"only plan records change the plan, and this one is {kind}; "
                "remove changes, or set kind: plan")
    if not isinstance(changes, list):
        out.add(("changes",), "must be a list of operations, each starting with '- op:'")
        return
    for index, item in enumerate(changes):
        if not isinstance(item, dict) or not isinstance(item.get("op"), str):
            out.add(("changes", index), "each change must be a mapping with an 'op' "
                    "(add-goal, edit-goal, retire-goal, add-objective, edit-objective or "
                    "retire-objective) and its arguments")
            continue
        for key, value in item.items():
            if isinstance(value, str) and (problem := hidden_characters(value)):
                out.add(("changes", index, key), problem)


def _check_body(record: Record, out: _Out) -> None:
    """Bidi overrides in the body (Trojan Source): the text would read differently on the
    site and in review than what it says."""
    for offset, line in enumerate(record.body.splitlines()):
        if problem := hidden_characters(line, bidi_only=True):
            out.items.append(Finding(record.path, record.body_line + offset,
                                     f"the body {problem}", "record"))


def _check_bot_fields(record: Record, out: _Out) -> None:
    front = record.front
    status = front.get("status")
    if status in ("draft", "proposed", "withdrawn"):
        for key in BOT_OWNED:
            if key in front:
                out.add((key,), "only govbot writes this field, when the decision is merged; "
                        "remove it", "lifecycle")
        return
    if status not in ("accepted", "superseded"):
        return
    needed = {"decided": "the date it was decided", "pr": "the number of the pull request "
              "that decided it", "votes": "the votes that decided it"}
    if status == "superseded":
        needed["superseded_by"] = "the id of the record that superseded it"
    for key, what in needed.items():
        if front.get(key) is None:
            article = "an" if status == "accepted" else "a"
            out.add((), f"{key}: missing; {article} {status} record carries {what} (govbot "
                    "writes it at merge)")
    if front.get("pr") is not None and (not _is_int(front["pr"]) or front["pr"] <= 0):
        out.add(("pr",), f"{front['pr']!r} is not a pull request number")
    value = front.get("superseded_by")
    if value is not None and (not _is_int(value) or value <= 0):
        out.add(("superseded_by",), f"{value!r} is not a record id")
    elif value is not None and status != "superseded":
        out.add(("superseded_by",), f"is set but the status is {status}; only superseded "
                "records name the record that superseded them")
    if front.get("votes") is not None:
        _check_votes(front["votes"], out)


def _check_votes(votes: Any, out: _Out) -> None:
    if not isinstance(votes, list):
        out.add(("votes",), "must be a list of {member, id, vote, at, commit} entries")
        return
    for index, entry in enumerate(votes):
        where: KeyPath = ("votes", index)
        if not isinstance(entry, dict):
            out.add(where, "must be a mapping with member, id, vote, at and commit")
            continue
        for key in entry:
            if key not in VOTE_KEYS:
                out.add((*where, key), "unknown key" + did_you_mean(key, VOTE_KEYS)
                        + f"; a vote has {and_list(list(VOTE_KEYS))}")
        absent = [key for key in VOTE_REQUIRED if entry.get(key) is None]
        if absent:
            out.add(where, f"missing {and_list(absent)}")
        problem = _login_problem(entry["member"]) if entry.get("member") is not None else None
        if problem:
            out.add((*where, "member"), problem)
        if "id" in entry and not (_is_int(entry["id"]) and entry["id"] > 0):
            out.add((*where, "id"), f"{entry['id']!r} is not a GitHub user id; write the "
                    "member's numeric id, as in governance.yml")
        vote = entry.get("vote")
        if vote is not None and vote not in VOTES:
            out.add((*where, "vote"), f"{vote!r} is not one of {one_of(list(VOTES))}"
                    + did_you_mean(str(vote), VOTES))
        _check_timestamp(entry.get("at"), (*where, "at"), out)
        commit = entry.get("commit")
        if commit is not None and not (isinstance(commit, str) and _SHA.match(commit)):
            out.add((*where, "commit"), f"{commit!r} is not a commit SHA; write the "
                    "40-character hex id of the reviewed commit")


def _check_timestamp(value: Any, where: KeyPath, out: _Out) -> None:
    if value is None or isinstance(value, dt.datetime):
        return
    if isinstance(value, str) and "T" in value:
        try:
            dt.datetime.fromisoformat(value)
            return
        except ValueError:
            pass
    out.add(where, f"{value!r} is not a date and time; write it in ISO 8601, e.g. "
            "2026-11-20T14:03:00Z")


def _check_sections(record: Record, out: _Out) -> None:
    if record.front.get("status") != "proposed":
        return
    present = {title.casefold() for title, _ in record.sections}
    missing = [f"## {name}" for name in REQUIRED_SECTIONS if name.casefold() not in present]
    if missing:
        out.items.append(Finding(
            record.path, record.body_line,
            f"the body is missing {and_list(missing)}; a proposed record needs the sections "
            f"{and_list([f'## {n}' for n in REQUIRED_SECTIONS])}", "record"))


def check_record(record: Record, *, today: dt.date) -> list[Finding]:
    """Every per-file rule for one record: name, fields, types, dates, changes, votes, body."""
    out = _Out(record)
    _check_name(record, out)
    _check_fields(record, out, today)
    _check_changes(record, out)
    _check_bot_fields(record, out)
    _check_sections(record, out)
    _check_body(record, out)
    return out.items


def check_records(records: Sequence[Record], *, config: Config | None = None,
                  base: Sequence[Record] | None = None,
                  changed: Collection[str] | None = None,
                  today: dt.date | None = None) -> list[Finding]:
    """Every finding about `records` (the tree being judged), sorted.

    `base`: the records on the base branch; enables the lifecycle rules and is the plan the
    proposals must apply to. `changed`: the paths a pull request touched; per-file rules run
    only on those, and repository-wide findings on other files are kept only when the base did
    not already have them (a PR is blamed for what it breaks, not for old problems).
    `config`: governance.yml (the base branch's when judging a change); with it, the votes
    stamped on decided records must be by members seated on the day of the vote (`roster`).
    Authors are not checked against the roster: anyone may propose.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    judged = [r for r in records if changed is None or r.path in changed]
    findings = [f for r in judged for f in check_record(r, today=today)]
    if config is not None:
        findings.extend(f for r in judged for f in roster_findings(r, config))
    wide = repository_findings(records, base)
    if changed is not None:
        old = set(repository_findings(base, base)) if base is not None else None
        wide = [f for f in wide if f.path in changed or (old is not None and f not in old)]
    findings.extend(wide)
    if base is not None:
        findings.extend(check_lifecycle(records, base, changed))
    return sort_findings(findings)


def check_tree(tree: Snapshot, base: Snapshot | None, changed: Collection[str] | None = None, *,
               today: dt.date | None = None) -> list[Finding]:
    """Everything `govbot check` reports for a tree (a gitrepo.Snapshot), optionally against
    the base branch's snapshot: unreadable files, governance.yml, then `check_records`."""
    findings = [f for f in tree.findings if changed is None or f.path in changed]
    config = None
    judge_config = changed is None or CONFIG_FILE in changed
    if tree.config_text is None and judge_config and all(
            f.path != CONFIG_FILE for f in tree.findings):
        findings.append(Finding(CONFIG_FILE, None, "missing; every governance repository "
                                "needs a governance.yml with the committee and its rules",
                                "config"))
    elif tree.config_text is not None:
        config, problems = read_config(CONFIG_FILE, tree.config_text)
        if judge_config:
            findings.extend(problems)
    if base is not None and base.config_text is not None:
        config = read_config(CONFIG_FILE, base.config_text)[0] or config
    findings.extend(check_records(tree.records, config=config,
                                  base=None if base is None else base.records,
                                  changed=changed, today=today))
    return sort_findings(findings)
