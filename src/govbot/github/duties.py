"""Scheduled duties: the reminders the schedule opens as issues (pure; no I/O).

Each duty carries a hidden marker naming what it is about, so the issue is opened once:
`github.ensure_issue` looks for an open issue with the marker first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from govbot.model.config import Config, Member
from govbot.model.records import Record
from govbot.render.outputs import md_escape

TERM_NOTICE = dt.timedelta(days=30)
REVIEW_NOTICE = dt.timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Duty:
    """An issue the committee should see: found again by its marker."""

    marker: str
    title: str
    body: str


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months (the last day of a shorter month when it has no such day)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def review_due(config: Config, records: Sequence[Record]) -> dt.date | None:
    """When the next annual review is due: `review_cycle` after the last accepted `review`
    decision, or after the plan's adoption (the first accepted decision) when there is none."""
    accepted = [r for r in records if r.status == "accepted" and r.decided is not None]
    reviews = [r.decided for r in accepted if r.kind == "review" and r.decided]
    start = max(reviews) if reviews else min((r.decided for r in accepted if r.decided),
                                             default=None)
    return add_months(start, config.review_cycle_months) if start else None


def duties(config: Config, records: Sequence[Record], today: dt.date) -> list[Duty]:
    """The reminders due today: the annual review (from 30 days before it is due) and each
    member whose term ends within 30 days."""
    out = []
    due = review_due(config, records)
    if due is not None and today >= due - REVIEW_NOTICE:
        out.append(Duty(
            f"<!-- govbot:annual-review:{due.isoformat()} -->",
            f"Annual review of the plan due {due.isoformat()}",
            f"The plan's review cycle ({config.review_cycle_months} months) comes round on "
            f"{due.isoformat()}. Propose a `kind: review` decision record with `govbot new "
            f"--kind review` to record the review; this issue can be closed once it is "
            f"accepted."))
    for body in config.bodies.values():
        for member in body.committee:
            if member.until is not None and today <= member.until <= today + TERM_NOTICE:
                other = body.id != config.default_body
                out.append(_term_end(member, body.name if other else "",
                                     body.id if other else ""))
    return out


def _term_end(member: Member, body: str, body_id: str) -> Duty:
    """The duty issue for a seat whose term ends soon (on another body than the default
    one, the issue names the body and its marker the body's seat)."""
    name = " ".join(member.name.split())  # the title is plain text, one line
    what = f"{body} term" if body else "Committee term"
    key = f"{body_id}:{member.login}" if body_id else member.login
    return Duty(
        f"<!-- govbot:term-end:{key}:{member.until.isoformat() if member.until else ''} -->",
        f"{what} of {name} ends {member.until.isoformat() if member.until else ''}",
        f"The seat held by {md_escape(name)} (`{member.login}`)"
        + (f" on the {md_escape(body)}" if body else "")
        + f" ends on {member.until.isoformat() if member.until else ''}. Renew it by editing "
        "`until` in governance.yml, or seat a successor, through a governance decision.")
