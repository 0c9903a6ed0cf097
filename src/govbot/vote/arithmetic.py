"""One rule's arithmetic (DESIGN §5), in three steps: count the ballots, decide the
outcome, explain it (the conditions and what is still needed).

Pure. The counts come from the ballots' typed standing alone. An empty electorate never
approves; `min_approvals: 0` is lazy consensus: the rule passes once the review period
has ended, unless someone objects (quorum and threshold do not apply).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

from govbot.model.config import Config, Rule
from govbot.vote.ballots import Ballots, VoteRow, counted, fmt_time
from govbot.vote.snapshot import PullSnapshot
from govbot.vote.standing import Standing

DRAFT_NEED = "the pull request is a draft; mark it ready for review"
EMPTY_NEED = ("a member able to vote: every seat is empty, recused or held by the author "
              "(author: excluded)")


@dataclass(frozen=True, slots=True)
class Condition:
    """One condition of a rule: what it requires, where it stands, whether it is met."""

    name: str
    required: str
    actual: str
    met: bool


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def lazy(rule: Rule) -> bool:
    """Whether the rule is lazy consensus (`min_approvals: 0`)."""
    return rule.min_approvals == 0


# --- count: the ballots → who is in the electorate and what they counted ---------------

@dataclass(frozen=True, slots=True)
class Count:
    """The ballots counted (from their typed standing alone): the electorate, the rows
    shown, A/O/B, who in the electorate has not cast a counted vote, and the chair's vote."""

    electorate: tuple[str, ...]
    recused: tuple[str, ...]
    rows: tuple[VoteRow, ...]
    a: int
    o: int
    b: int
    remaining: int
    chair_vote: str | None
    chair_remaining: bool
    objectors: tuple[str, ...]
    latest: dt.datetime | None  # when the last counted vote was cast
    unconfirmed: int = 0  # objections that count against but not toward quorum

    @property
    def size(self) -> int:
        return len(self.electorate)

    @property
    def turnout(self) -> int:
        """The votes that count toward quorum."""
        return self.a + self.o + self.b - self.unconfirmed


def count_votes(ballots: Ballots, snapshot: PullSnapshot, config: Config,
                today: dt.date) -> Count:
    """Count the ballots: electorate E = seated members minus recused ones minus members
    on leave who have not voted minus an excluded author; A, O, B from the rows whose
    standing counts."""
    recused = tuple(r.member for r in ballots.rows if r.standing is Standing.RECUSED)
    author = config.find_member(snapshot.author_login, snapshot.author_id)
    excluded = {author.login} if author is not None and config.author == "excluded" else set()
    voted = {r.member for r in ballots.rows if r.standing.counts}
    away = {m.login for m in config.seated(today) if m.on_leave(today) and m.login not in voted}
    electorate = tuple(m.login for m in config.seated(today)
                       if m.login not in recused and m.login not in excluded
                       and m.login not in away)
    rows = tuple(r for r in ballots.rows if r.member in electorate or not r.counted)
    live = [r for r in rows if r.standing.counts]
    chair = config.chair(today)
    chair_row = next((r for r in live if chair and r.member == chair.login), None)
    return Count(
        electorate, recused, rows, counted(rows, "approve"), counted(rows, "object"),
        counted(rows, "abstain"),
        sum(1 for r in rows if r.member in electorate and not r.standing.counts),
        chair_row.vote if chair_row else None,
        chair is not None and chair.login in electorate and chair_row is None,
        tuple(r.member for r in live if r.vote == "object"),
        max((r.at for r in live if r.at), default=None),
        sum(1 for r in live if not r.standing.turnout))


def quorum_needed(rule: Rule, count: Count) -> int:
    """ceil(quorum × |E|) (none under lazy consensus)."""
    return 0 if lazy(rule) else math.ceil(rule.quorum * count.size)


# --- outcome ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Decision:
    """Where one rule stands: its outcome and, when predictable, the earliest time it can
    pass (or, approved, the time it carried)."""

    outcome: str
    decides_at: dt.datetime | None


def threshold_met(rule: Rule, a: int, o: int, chair_vote: str | None, tie_breaker: str
                  ) -> bool:
    """Whether A and O meet the rule's threshold (the chair breaks a majority tie)."""
    if lazy(rule):
        return o == 0
    if rule.threshold.text == "unanimous":
        return o == 0
    if rule.threshold.fraction is not None:
        return Fraction(a) >= rule.threshold.fraction * (a + o)
    if a == o and a > 0 and tie_breaker == "chair":
        return chair_vote == "approve"
    return a > o


def _votes_pass(rule: Rule, c: Count, *, more: int = 0, chair_vote: str | None,
                tie_breaker: str) -> bool:
    a = c.a + more
    return (c.size > 0 and c.turnout + more >= quorum_needed(rule, c)
            and a >= rule.min_approvals and threshold_met(rule, a, c.o, chair_vote,
                                                          tie_breaker))


def rule_outcome(rule: Rule, c: Count, config: Config, ready_at: dt.datetime,
                 now: dt.datetime, *, draft: bool = False) -> Decision:
    """The outcome under one rule: blocked (a veto, or an objection to lazy consensus),
    approved (every condition met), failing (cannot pass even if everyone left approves;
    always with an empty electorate) or pending."""
    period_end = ready_at + rule.review_period
    votes_ok = _votes_pass(rule, c, chair_vote=c.chair_vote, tie_breaker=config.tie_breaker)
    chair_if = "approve" if c.chair_remaining else c.chair_vote
    if (rule.veto or lazy(rule)) and c.o:
        outcome = "blocked"
    elif votes_ok and now >= period_end:
        outcome = "approved"
    elif not _votes_pass(rule, c, more=c.remaining, chair_vote=chair_if,
                         tie_breaker=config.tie_breaker):
        outcome = "failing"
    else:
        outcome = "pending"
    if draft:  # no review period runs while a draft: it starts when ready
        return Decision("pending" if outcome == "approved" else outcome, None)
    if not votes_ok or outcome not in ("approved", "pending"):
        return Decision(outcome, None)
    if outcome == "approved":
        return Decision(outcome, max(period_end, c.latest or period_end))
    return Decision(outcome, period_end)


# --- explanation ------------------------------------------------------------------------

def deadline_end(rule: Rule, ready_at: dt.datetime, *, draft: bool = False
                 ) -> dt.datetime | None:
    """When voting closes under the rule (`ready_at + deadline`; None without a deadline,
    or while a draft: no period runs then)."""
    return None if rule.deadline is None or draft else ready_at + rule.deadline


def closed_text(end: dt.datetime) -> str:
    """`voting closed 2026-12-20 09:00 UTC without approval`."""
    return f"voting closed {fmt_time(end)} without approval"


def _period_text(rule: Rule, ready_at: dt.datetime) -> str:
    hours = rule.review_period.seconds // 3600
    return (f"{rule.review_period.days}d" + (f" {hours}h" if hours else "")
            + f" from {fmt_time(ready_at)}")


def _threshold_text(rule: Rule) -> str:
    if rule.threshold.text == "unanimous":
        return "unanimous: no standing objection"
    if rule.threshold.fraction is not None:
        return f"at least {rule.threshold.text} of approvals and objections are approvals"
    return "majority: more approvals than objections"


def _vote_conditions(rule: Rule, c: Count, config: Config) -> list[Condition]:
    if lazy(rule):
        return [Condition("lazy consensus", "no standing objection (min_approvals: 0)",
                          _plural(c.o, "objection"), c.o == 0)]
    quorum, turnout = quorum_needed(rule, c), c.turnout
    return [
        Condition("quorum", f"{quorum} of {_plural(c.size, 'eligible member')} vote "
                  f"({float(rule.quorum):.0%})", _plural(turnout, "vote"), turnout >= quorum),
        Condition("threshold", _threshold_text(rule), f"{c.a} approve, {c.o} object",
                  threshold_met(rule, c.a, c.o, c.chair_vote, config.tie_breaker)),
        Condition("approvals", f"at least {rule.min_approvals}", str(c.a),
                  c.a >= rule.min_approvals),
    ]


def conditions(rule: Rule, c: Count, config: Config, ready_at: dt.datetime,
               now: dt.datetime, *, draft: bool = False) -> tuple[Condition, ...]:
    """Each condition of the rule: what it requires, where it stands, whether it is met
    (no review period while a draft)."""
    out = [] if c.size else [Condition("electorate", "at least 1 member able to vote",
                                       "0", False)]
    out += _vote_conditions(rule, c, config)
    period_end = ready_at + rule.review_period
    if not draft:
        out.append(Condition("review period", _period_text(rule, ready_at),
                             f"ends {fmt_time(period_end)}", now >= period_end))
    if rule.veto:
        out.append(Condition("veto", "any standing objection blocks",
                             _plural(c.o, "objection"), c.o == 0))
    if rule.deadline is not None and not draft:
        end = ready_at + rule.deadline
        out.append(Condition("deadline", f"approved by {fmt_time(end)}",
                             "voting open" if now < end else "voting closed", now < end))
    return tuple(out)


def _more_approvals(rule: Rule, c: Count, tie_breaker: str) -> int | None:
    """The fewest further approvals that meet the threshold and minimum (None: no number
    of approvals will do, as under a unanimous rule with an objection standing)."""
    for k in range(c.size + c.o + rule.min_approvals + 2):
        chair = "approve" if c.chair_remaining and k >= c.remaining else c.chair_vote
        if c.a + k >= rule.min_approvals and threshold_met(rule, c.a + k, c.o, chair,
                                                            tie_breaker):
            return k
    return None


def _vote_needs(rule: Rule, c: Count, config: Config) -> list[str]:
    if lazy(rule):
        return [f"the objection by {who} retracted (lazy consensus: any objection stops "
                "it)" for who in c.objectors]
    out = []
    turnout, quorum = c.turnout, quorum_needed(rule, c)
    if turnout < quorum:
        out.append(f"quorum: {turnout} of {_plural(quorum, 'vote')}")
    more = _more_approvals(rule, c, config.tie_breaker)
    if more is None:
        out.append(f"every objection retracted (unanimous): {c.o} standing")
    elif more > c.remaining:
        has = "has" if c.remaining == 1 else "have"
        out.append(f"{_plural(more, 'more approval')}, but only "
                   f"{_plural(c.remaining, 'eligible member')} {has} not voted")
    elif more:
        out.append(_plural(more, "more approval"))
    if rule.veto and c.o:
        out.extend(f"the objection by {who} retracted (this rule gives each member a veto)"
                   for who in c.objectors)
    return out


def needs(rule: Rule, c: Count, config: Config, ready_at: dt.datetime, now: dt.datetime,
          *, draft: bool = False) -> tuple[str, ...]:
    """Every unmet condition of the rule, worded for the committee (no review period
    while a draft: the tally puts the draft notice first, once)."""
    out = [] if c.size else [EMPTY_NEED]
    out += _vote_needs(rule, c, config)
    period_end = ready_at + rule.review_period
    if now < period_end and not draft:
        out.append(f"review period ends {fmt_time(period_end)}")
    return tuple(out)
