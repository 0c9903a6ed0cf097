"""Roster rule: every vote stamped on a decided record was cast by a committee member who was
seated when they voted (DESIGN §4, §5). Pure: a record and governance.yml in, findings out.

Authors are deliberately not checked against the roster: a proposal may come from anyone
(members, staff, the community); only the committee's votes decide. Votes are matched by
login (a stamped vote carries no numeric id), case-insensitively.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .config import Config, Member
from .findings import Finding
from .records import Record

DECIDED = ("accepted", "superseded", "retired")


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


def roster_findings(record: Record, config: Config) -> list[Finding]:
    """Findings for the stamped votes of a decided record whose member is not on the roster,
    or was not seated on the day of the vote. Malformed votes are left to the per-file rules."""
    votes = record.front.get("votes")
    if record.status not in DECIDED or not isinstance(votes, list):
        return []
    findings = []
    for index, entry in enumerate(votes):
        login = entry.get("member") if isinstance(entry, dict) else None
        if not isinstance(login, str) or not login:
            continue
        member = next((m for m in config.committee if m.login.lower() == login.lower()), None)
        where = f"votes[{index}]"
        if member is None:
            findings.append(Finding(
                record.path, record.line("votes", index, "member"),
                f"{where}.member: {login!r} is not on the committee in governance.yml; a decided "
                "record lists only committee members' votes: correct the login, or add the "
                "member with the dates of their term to the roster", "roster"))
            continue
        day = _vote_day(entry.get("at"))
        if day is not None and not member.seated(day):
            findings.append(Finding(
                record.path, record.line("votes", index, "at"),
                f"{where}.at: {login!r} was not seated on {day} ({_term(member)}); a vote "
                "counts only while the member is seated: check the date of the vote, or the "
                "member's from and until in governance.yml", "roster"))
    return findings
