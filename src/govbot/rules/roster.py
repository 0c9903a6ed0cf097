"""Roster rule: every vote stamped on a decided record was cast by a committee member who was
seated when they voted (DESIGN §4, §5). Pure: a record and governance.yml in, findings out.

A vote cast outside GitHub carries `via`, who recorded it: they must be on the roster too.

Authors are deliberately not checked against the roster: a proposal may come from anyone
(members, staff, the community); only the committee's votes decide.

A stamped vote carries the member's numeric GitHub `id` next to their login: logins can be
renamed, ids cannot. A vote with an `id` is matched by id (as `Config.find_member` matches
reviews), so a member's old records stay valid after they rename their account and the
secretary updates the login in governance.yml. Votes stamped before govbot wrote ids are
matched by login, case-insensitively.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from govbot.model.config import Body, Config, Member
from govbot.model.findings import Finding
from govbot.model.records import Record
from govbot.model.vocab import FINAL


def _vote_day(value: Any) -> dt.date | None:
    """The UTC day of a vote's `at` (a YAML timestamp or ISO text); None when it is neither
    (the per-file rules report that)."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, dt.datetime):
        return None
    return (value.astimezone(dt.UTC) if value.tzinfo else value).date()


def _term(member: Member) -> str:
    end = f"to {member.until}" if member.until else "with no end date"
    return f"their term in governance.yml runs from {member.start} {end}"


def _vote_id(value: Any) -> int | None:
    """A vote's numeric id; None when absent or malformed (the per-file rules report that)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _unknown(record: Record, index: int, login: str, user_id: int | None,
             config: Config) -> Finding:
    """The finding for a vote whose member the roster does not know."""
    where = f"votes[{index}]"
    if user_id is None:
        return Finding(
            record.path, record.line("votes", index, "member"),
            f"{where}.member: {login!r} is not on the committee in governance.yml; a decided "
            "record lists only committee members' votes: correct the login, or add the "
            "member with the dates of their term to the roster", "roster")
    committee = _body(record, config).committee
    namesake = next((m for m in committee if m.login.lower() == login.lower()), None)
    hint = (f"governance.yml lists {namesake.login!r} with id {namesake.id}; if that is the "
            "same person, correct their id there" if namesake is not None else
            "add the member with this id and the dates of their term to the roster")
    return Finding(
        record.path, record.line("votes", index, "id"),
        f"{where}.id: {user_id} ({login!r}) is not the GitHub id of anyone on the committee in "
        "governance.yml; a vote is matched by id because logins can be renamed: " + hint,
        "roster")


def _via_findings(record: Record, index: int, via: Any, config: Config) -> list[Finding]:
    """A vote recorded for a member (`via`) must have been recorded by someone on the
    roster (the secretary or the chair, DESIGN §5); a malformed `via` is left to the
    per-file rules."""
    if not isinstance(via, str) or not via:
        return []
    if any(m.login.lower() == via.lower() for b in config.bodies.values() for m in b.committee):
        return []
    return [Finding(
        record.path, record.line("votes", index, "via"),
        f"votes[{index}].via: {via!r} is not in governance.yml; a vote cast outside GitHub is "
        "recorded by the secretary or the chair: correct the login, or add them to the "
        "roster", "roster")]


def _body(record: Record, config: Config) -> Body:
    """The body whose roster the record's votes are checked against (`body:`, else the
    default body; an unknown body is `checks.body_findings`' to report)."""
    return config.bodies.get(record.body_id or config.default_body, config.body())


def _voter(record: Record, config: Config, login: str, user_id: int | None) -> Member | None:
    """The seat of a stamped vote's member: on the record's own body first, then on any
    other body (a pull request can need several bodies' votes, DESIGN §5)."""
    first = _body(record, config)
    for body in (first, *(b for b in config.bodies.values() if b is not first)):
        member = (body.find_member(login, user_id) if user_id is not None else
                  next((m for m in body.committee if m.login.lower() == login.lower()), None))
        if member is not None:
            return member
    return None


def roster_findings(record: Record, config: Config) -> list[Finding]:
    """Findings for the stamped votes of a decided (or closed) record whose member is not on
    the roster, or was not seated on the day of the vote. A vote with an `id` is matched by
    id (its login may differ: the member renamed their account); one without, by login.
    Malformed votes are left to the per-file rules."""
    votes = record.front.get("votes")
    if record.status not in (*FINAL, "withdrawn") or not isinstance(votes, list):
        return []
    findings = []
    for index, entry in enumerate(votes):
        login = entry.get("member") if isinstance(entry, dict) else None
        if not isinstance(login, str) or not login:
            continue
        user_id = _vote_id(entry.get("id"))
        member = _voter(record, config, login, user_id)
        if member is None:
            findings.append(_unknown(record, index, login, user_id, config))
            continue
        where = f"votes[{index}]"
        findings.extend(_via_findings(record, index, entry.get("via"), config))
        day = _vote_day(entry.get("at"))
        if day is not None and not member.seated(day):
            findings.append(Finding(
                record.path, record.line("votes", index, "at"),
                f"{where}.at: {login!r} was not seated on {day} ({_term(member)}); a vote "
                "counts only while the member is seated: check the date of the vote, or the "
                "member's from and until in governance.yml", "roster"))
    return findings
