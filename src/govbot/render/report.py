"""The board pack (DESIGN §12): one self-contained HTML file for a period — the plan as it
stood at the end of the period with its progress, every decision taken in the period with its
vote (recusals and reasons included), the plan changes, participation per member, and what is
due next. Pure: records, the roster and two dates in, HTML out. Inline CSS, no script, no
external asset; it prints to PDF from any browser."""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govbot.model.config import Config
from govbot.model.plan import PROGRESS_STATUSES, STATUS_LABELS, Plan, Step, fold
from govbot.model.records import Record
from govbot.model.vocab import DECIDED
from govbot.record.history import describe, member_name, override_of
from govbot.render.outputs import Links, environment
from govbot.render.site import Vote, audit_votes, bar_segments, counts_text, xml_safe

VOTE_KINDS = ("approve", "object", "abstain", "recuse")
TERM_HORIZON_MONTHS = 12  # term ends and plan ends this far after the period are "due next"
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, on the same day of the month or the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision taken in the period, as the board pack shows it."""

    record: Record
    votes: tuple[Vote, ...]
    override: dict[str, str] | None

    def count(self, kind: str) -> int:
        return sum(1 for v in self.votes if v.vote == kind)

    @property
    def recusals(self) -> tuple[Vote, ...]:
        return tuple(v for v in self.votes if v.vote == "recuse")


@dataclass(frozen=True, slots=True)
class Participation:
    """How one member took part in the period's decisions (those decided while they held a
    seat)."""

    name: str
    login: str
    eligible: int
    counts: dict[str, int]

    @property
    def no_vote(self) -> int:
        return self.eligible - sum(self.counts.values())

    @property
    def rate(self) -> str:
        """Votes cast (approve, object or abstain) per decision they did not recuse from."""
        base = self.eligible - self.counts.get("recuse", 0)
        if base <= 0:
            return "—"
        cast = sum(self.counts.get(k, 0) for k in ("approve", "object", "abstain"))
        return f"{round(100 * cast / base)}%"


@dataclass(frozen=True, slots=True)
class Due:
    """Something due after the period: when, and what."""

    when: dt.date
    what: str
    overdue: bool = False


def decisions_in(records: Sequence[Record], start: dt.date, end: dt.date) -> list[Decision]:
    """Every record decided in the period (both days included), oldest first."""
    chosen = sorted((r for r in records if r.decided is not None
                     and start <= r.decided <= end), key=lambda r: (r.decided, r.id or 0))
    return [Decision(r, audit_votes(r), dict(override_of(r) or {}) or None) for r in chosen]


def participation(decisions: Sequence[Decision], config: Config | None) -> list[Participation]:
    """Per member: the decisions they could vote on (seated on the day it was decided; with
    no roster, every decision) and how they voted. Votes are matched by numeric id, then
    login, so a renamed member is still one person."""
    members: dict[str, tuple[str, str]] = {}  # key -> (name, login)
    eligible: dict[str, int] = {}
    counts: dict[str, dict[str, int]] = {}

    def key_of(login: str, user_id: int | None) -> str:
        found = config.find_member(login, user_id) if config is not None else None
        return (found.login if found else login).lower()

    for decision in decisions:
        day = decision.record.decided
        seated = (config.seated(day) if config is not None and day is not None else ())
        for member in seated:
            key = member.login.lower()
            members.setdefault(key, (member.name or member.login, member.login))
            eligible[key] = eligible.get(key, 0) + 1
        voted: set[str] = set()
        for vote in decision.votes:
            key = key_of(vote.member, vote.id)
            if key in voted or vote.vote not in VOTE_KINDS:
                continue
            voted.add(key)
            members.setdefault(key, (member_name(config, vote.member, vote.id), vote.member))
            if config is None or key not in {m.login.lower() for m in seated}:
                eligible[key] = eligible.get(key, 0) + 1  # voted without a known seat
            tally = counts.setdefault(key, {})
            tally[vote.vote] = tally.get(vote.vote, 0) + 1
    return sorted((Participation(name, login, eligible.get(key, 0), counts.get(key, {}))
                   for key, (name, login) in members.items()), key=lambda p: p.name.lower())


def _last_review(records: Sequence[Record], end: dt.date) -> Record | None:
    reviews = [r for r in records if r.kind == "review" and r.decided is not None
               and r.decided <= end and r.status in DECIDED]
    return max(reviews, key=lambda r: (r.decided, r.id or 0), default=None)


def due_next(records: Sequence[Record], plan: Plan, config: Config | None,
             end: dt.date) -> list[Due]:
    """What falls due after the period: the next annual review (from the last one, or from
    the plan's adoption), members' terms ending within a year, and the end of the plan
    period."""
    out = []
    cycle = config.review_cycle_months if config is not None else 12
    last = _last_review(records, end)
    since = last.decided if last is not None else plan.adopted_on or next(
        (s.decided for s in plan.history if s.decided), None)
    if since is not None:
        when = add_months(since, cycle)
        source = (f"the last review, #{last.id} on {since}" if last is not None
                  else f"the plan's adoption on {since}")
        out.append(Due(when, f"Annual review of the plan ({cycle} months after {source})",
                       when <= end))
    horizon = add_months(end, TERM_HORIZON_MONTHS)
    for member in config.committee if config is not None else ():
        if member.until is not None and end < member.until <= horizon:
            out.append(Due(member.until, f"{member.name or member.login}'s term on the "
                           "committee ends"))
    if plan.until is not None and plan.until <= horizon:
        out.append(Due(plan.until, f"The plan period of {plan.name} ends"
                       + ("; no successor plan has been adopted" if plan.until <= end else
                          "; a successor plan is due"), plan.until <= end))
    return sorted(out, key=lambda d: (d.when, d.what))


def steps_in(plan: Plan, start: dt.date, end: dt.date) -> list[Step]:
    """The plan versions made in the period, oldest first."""
    return [s for s in plan.history if s.decided is not None and start <= s.decided <= end
            and s.bump != "none"]


def _digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()
                                        ).decode("ascii")


def build_report(records: Sequence[Record], config: Config | None, start: dt.date,
                 end: dt.date, repo: Path | None = None) -> str:
    """The board pack for `start`–`end` (both included) as one HTML document."""
    ordered = sorted(records, key=lambda r: (r.id or 0, r.path))
    plan, _ = fold(ordered, until=end)
    decisions = decisions_in(ordered, start, end)
    links = Links.of(config)
    organisation = config.organisation if config is not None else None
    context: dict[str, Any] = {
        "plan": plan, "start": start, "end": end, "decisions": decisions,
        "steps": steps_in(plan, start, end), "participation": participation(decisions, config),
        "due": due_next(ordered, plan, config, end),
        "recusals": [(d, v) for d in decisions for v in d.recusals],
        "reviews": [d for d in decisions if d.record.kind == "review"],
        "organisation": organisation, "links": links, "labels": STATUS_LABELS,
        "progress_statuses": PROGRESS_STATUSES, "bar": bar_segments,
        "counts_text": counts_text, "describe": describe, "vote_kinds": VOTE_KINDS,
        "name": lambda login, user_id=None: member_name(config, login, user_id),
        "kinds": sorted({d.record.kind or "unknown" for d in decisions}),
        "csp": "__GOVBOT_CSP__",
    }
    html = xml_safe(environment(repo).get_template("report.html.j2").render(**context))
    style = _STYLE.search(html)
    csp = (f"default-src 'none'; style-src '{_digest(style[1] if style else '')}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    return html.replace("__GOVBOT_CSP__", csp, 1)
