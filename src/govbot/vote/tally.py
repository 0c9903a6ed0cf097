"""The tally: a PR snapshot + governance.yml + now → where the committee's vote stands (DESIGN §5).

Pure: no I/O. `ballots.py` decides each member's standing vote; this module picks the rule,
does the arithmetic (quorum, threshold, minimum approvals, review period, veto, tie-breaker)
and says what is still needed and when the proposal could pass at the earliest.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from govbot.model.config import Config, Rule
from govbot.model.findings import Finding
from govbot.model.records import Record, read_records
from govbot.model.vocab import path_matches, utc_stamp
from govbot.vote.ballots import (
    Ballots,
    VoteRow,
    collect_ballots,
    counted,
    day,
    fmt_time,
)
from govbot.vote.snapshot import FileChange, PullSnapshot, record_bytes
from govbot.vote.standing import Standing

OUTCOMES = ("approved", "pending", "blocked", "failing", "invalid", "no-decision")
UNDECIDING = ("draft", "withdrawn")  # statuses that put nothing to the vote
DRAFT_NEED = "the pull request is a draft; mark it ready for review"


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """A record in the pull request, as the comment lists it."""

    path: str
    id: int | None
    title: str
    kind: str | None
    status: str | None


@dataclass(frozen=True, slots=True)
class Condition:
    """One condition of the rule: what it requires, where it stands, whether it is met."""

    name: str
    required: str
    actual: str
    met: bool


@dataclass(frozen=True, slots=True)
class Tally:
    """Where the vote stands. `rule` is the kind whose rule applies; `rule_spec` the rule."""

    outcome: str
    rule: str | None
    rule_spec: Rule | None
    rule_reasons: tuple[str, ...]
    electorate: tuple[str, ...]
    approvals: int
    objections: int
    abstentions: int
    recused: tuple[str, ...]
    quorum_needed: int
    votes: tuple[VoteRow, ...]
    ignored: tuple[VoteRow, ...]
    non_binding: tuple[VoteRow, ...]
    conditions: tuple[Condition, ...]
    needs: tuple[str, ...]
    decides_at: dt.datetime | None
    records: tuple[RecordSummary, ...]
    findings: tuple[Finding, ...]
    now: dt.datetime
    head_sha: str
    # what govbot records of the votes it counted, for its state (see vote.events)
    recorded: Mapping[str, list[Any]] = field(default_factory=dict)


def choose_rule(records: Sequence[Record], files: Sequence[FileChange], config: Config
                ) -> tuple[Rule | None, tuple[str, ...]]:
    """The strictest rule among the deciding records' kinds and the touched protected paths,
    with the reasons it applies (None when there is nothing to decide). Drafts and withdrawn
    records decide nothing: a proposer may withdraw their own proposal without a vote."""
    kinds: set[str] = set()
    reasons: list[str] = []
    for record in records:
        if record.status not in UNDECIDING and record.kind and record.kind in config.rules:
            kinds.add(record.kind)
            reasons.append(f"{record.path} is a {record.kind} record")
    for change in files:
        names = {change.filename, change.previous_filename} - {None}
        for kind, patterns in sorted(config.protected_paths.items()):
            hit = sorted(n for n in names if n and any(path_matches(n, p) for p in patterns))
            if hit and kind in config.rules:
                kinds.add(kind)
                reasons.append(f"it changes {hit[0]}, which only a {kind} decision may change")
    if not kinds:
        return None, ()
    rule = max((config.rules[k] for k in kinds), key=lambda r: (r.strictness(), r.kind))
    return rule, tuple(reasons)


def _threshold_met(rule: Rule, a: int, o: int, chair_vote: str | None, tie_breaker: str
                   ) -> bool:
    text = rule.threshold.text
    if text == "unanimous":
        return o == 0
    if rule.threshold.fraction is not None:
        return Fraction(a) >= rule.threshold.fraction * (a + o)
    if a == o and a > 0 and tie_breaker == "chair":
        return chair_vote == "approve"
    return a > o


def _parse(snapshot: PullSnapshot) -> tuple[list[Record], list[Finding]]:
    return read_records(record_bytes(snapshot.records))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _threshold_text(rule: Rule) -> str:
    if rule.threshold.text == "unanimous":
        return "unanimous: no standing objection"
    if rule.threshold.fraction is not None:
        return f"at least {rule.threshold.text} of approvals and objections are approvals"
    return "majority: more approvals than objections"


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

    @property
    def size(self) -> int:
        return len(self.electorate)


def count_votes(ballots: Ballots, snapshot: PullSnapshot, config: Config,
                today: dt.date) -> Count:
    """Count the ballots: electorate E = seated members minus recused ones minus an
    excluded author; A, O, B from the rows whose standing counts."""
    recused = tuple(r.member for r in ballots.rows if r.standing is Standing.RECUSED)
    author = config.find_member(snapshot.author_login, snapshot.author_id)
    excluded = {author.login} if author is not None and config.author == "excluded" else set()
    electorate = tuple(m.login for m in config.seated(today)
                       if m.login not in recused and m.login not in excluded)
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
        max((r.at for r in live if r.at), default=None))


def quorum_needed(rule: Rule, count: Count) -> int:
    """ceil(quorum × |E|)."""
    return math.ceil(rule.quorum * count.size)


# --- outcome: one rule's arithmetic ---------------------------------------------------

@dataclass(frozen=True, slots=True)
class Decision:
    """Where one rule stands: its outcome and, when predictable, the earliest time it can
    pass (or, approved, the time it carried)."""

    outcome: str
    decides_at: dt.datetime | None


def _votes_pass(rule: Rule, c: Count, *, more: int = 0, chair_vote: str | None,
                tie_breaker: str) -> bool:
    a = c.a + more
    return (a + c.o + c.b >= quorum_needed(rule, c) and a >= rule.min_approvals
            and _threshold_met(rule, a, c.o, chair_vote, tie_breaker))


def rule_outcome(rule: Rule, c: Count, config: Config, ready_at: dt.datetime,
                 now: dt.datetime, *, draft: bool = False) -> Decision:
    """The outcome under one rule: blocked (a veto), approved (every condition met),
    failing (cannot pass even if everyone left approves) or pending."""
    period_end = ready_at + rule.review_period
    votes_ok = _votes_pass(rule, c, chair_vote=c.chair_vote, tie_breaker=config.tie_breaker)
    chair_if = "approve" if c.chair_remaining else c.chair_vote
    if rule.veto and c.o:
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


# --- explanation: the conditions and what is still needed ------------------------------

def _period_text(rule: Rule, ready_at: dt.datetime) -> str:
    hours = rule.review_period.seconds // 3600
    return (f"{rule.review_period.days}d" + (f" {hours}h" if hours else "")
            + f" from {fmt_time(ready_at)}")


def conditions(rule: Rule, c: Count, config: Config, ready_at: dt.datetime,
               now: dt.datetime, *, draft: bool = False) -> tuple[Condition, ...]:
    """Each condition of the rule: what it requires, where it stands, whether it is met
    (no review period while a draft)."""
    quorum = quorum_needed(rule, c)
    period_end = ready_at + rule.review_period
    turnout = c.a + c.o + c.b
    out = [
        Condition("quorum", f"{quorum} of {_plural(c.size, 'eligible member')} vote "
                  f"({float(rule.quorum):.0%})", _plural(turnout, "vote"), turnout >= quorum),
        Condition("threshold", _threshold_text(rule), f"{c.a} approve, {c.o} object",
                  _threshold_met(rule, c.a, c.o, c.chair_vote, config.tie_breaker)),
        Condition("approvals", f"at least {rule.min_approvals}", str(c.a),
                  c.a >= rule.min_approvals),
    ]
    if not draft:
        out.append(Condition("review period", _period_text(rule, ready_at),
                             f"ends {fmt_time(period_end)}", now >= period_end))
    if rule.veto:
        out.append(Condition("veto", "any standing objection blocks",
                             _plural(c.o, "objection"), c.o == 0))
    return tuple(out)


def _more_approvals(rule: Rule, c: Count, tie_breaker: str) -> int | None:
    """The fewest further approvals that meet the threshold and minimum (None: no number
    of approvals will do, as under a unanimous rule with an objection standing)."""
    for k in range(c.size + c.o + rule.min_approvals + 2):
        chair = "approve" if c.chair_remaining and k >= c.remaining else c.chair_vote
        if c.a + k >= rule.min_approvals and _threshold_met(rule, c.a + k, c.o, chair,
                                                             tie_breaker):
            return k
    return None


def needs(rule: Rule, c: Count, config: Config, ready_at: dt.datetime, now: dt.datetime,
          *, draft: bool = False) -> tuple[str, ...]:
    """Every unmet condition, worded for the committee (the draft notice first)."""
    out = [DRAFT_NEED] if draft else []
    turnout, quorum = c.a + c.o + c.b, quorum_needed(rule, c)
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
    period_end = ready_at + rule.review_period
    if now < period_end and not draft:
        out.append(f"review period ends {fmt_time(period_end)}")
    return tuple(out)


# --- the tally ------------------------------------------------------------------------

def _summaries(records: Sequence[Record]) -> tuple[RecordSummary, ...]:
    return tuple(RecordSummary(r.path, r.id, r.title or "", r.kind, r.status)
                 for r in sorted(records, key=lambda r: r.path))


def tally(snapshot: PullSnapshot, config: Config, now: dt.datetime, *,
          findings: Sequence[Finding] = (), records: Sequence[Record] | None = None) -> Tally:
    """Decide where the vote on a pull request stands at `now` (pure; see DESIGN §5):
    count the ballots, then the rule's outcome, then its explanation.

    `records` are the PR's parsed records (default: parsed from the snapshot; unreadable ones
    become findings). Any finding makes the outcome `invalid`: govbot fails closed.
    """
    all_findings = list(findings)
    if records is None:
        records, parse_findings = _parse(snapshot)
        all_findings.extend(parse_findings)
    now = now.astimezone(dt.UTC)
    rule, reasons = choose_rule(records, snapshot.files, config)
    ballots = collect_ballots(snapshot, config, now)
    c = count_votes(ballots, snapshot, config, day(now))
    shown: tuple[Condition, ...] = ()
    needed: tuple[str, ...] = ()
    decides_at = None
    if all_findings:
        outcome = "invalid"
        needed = (f"fix {_plural(len(all_findings), 'check finding')} listed below",)
    elif rule is None:
        outcome = "no-decision"
    else:
        ready, draft = snapshot.ready_at, snapshot.draft
        decision = rule_outcome(rule, c, config, ready, now, draft=draft)
        outcome, decides_at = decision.outcome, decision.decides_at
        shown = conditions(rule, c, config, ready, now, draft=draft)
        needed = needs(rule, c, config, ready, now, draft=draft)
    return Tally(outcome, rule.kind if rule else None, rule, reasons, c.electorate, c.a, c.o,
                 c.b, c.recused, quorum_needed(rule, c) if rule else 0, c.rows,
                 ballots.ignored, ballots.non_binding, shown, needed, decides_at,
                 _summaries(records), tuple(all_findings), now, snapshot.head_sha,
                 ballots.recorded)


def iso(when: dt.datetime | None) -> str | None:
    """`2026-12-01T14:00:00Z` (None stays None)."""
    return utc_stamp(when) if when else None


def _row_dict(row: VoteRow) -> dict[str, Any]:
    return {"member": row.member, "vote": row.vote, "counted": row.counted, "note": row.note,
            "at": iso(row.at), "binding": row.binding, "source": row.source, "url": row.url,
            "standing": row.standing.value, "reason": row.why.value}


def tally_to_dict(t: Tally) -> dict[str, Any]:
    """The JSON document of `govbot tally --format json` (DESIGN §5 fields and more)."""
    rule = t.rule_spec
    return {
        "outcome": t.outcome,
        "rule": t.rule,
        "electorate": list(t.electorate),
        "approvals": t.approvals,
        "objections": t.objections,
        "abstentions": t.abstentions,
        "recused": list(t.recused),
        "votes": [_row_dict(row) for row in (*t.votes, *t.ignored)],
        "needs": list(t.needs),
        "decides_at": iso(t.decides_at),
        "quorum_needed": t.quorum_needed,
        "rule_reasons": list(t.rule_reasons),
        "rule_spec": None if rule is None else {
            "quorum": str(rule.quorum), "threshold": rule.threshold.text,
            "min_approvals": rule.min_approvals,
            "review_period_hours": int(rule.review_period.total_seconds() // 3600),
            "veto": rule.veto},
        "conditions": [{"name": c.name, "required": c.required, "actual": c.actual,
                        "met": c.met} for c in t.conditions],
        "non_binding": [_row_dict(row) for row in t.non_binding],
        "records": [{"path": r.path, "id": r.id, "title": r.title, "kind": r.kind,
                     "status": r.status} for r in t.records],
        "findings": [{"path": f.path, "line": f.line, "message": f.message, "rule": f.rule}
                     for f in t.findings],
        "head_sha": t.head_sha,
        "now": iso(t.now),
    }
