"""The tally: a PR snapshot + governance.yml + now → where the committee's vote stands (DESIGN §5).

Pure: no I/O. `ballots.py` decides each member's standing vote; this module picks the rule,
does the arithmetic (quorum, threshold, minimum approvals, review period, veto, tie-breaker)
and says what is still needed and when the proposal could pass at the earliest.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from govbot.model.config import Config, Rule
from govbot.model.findings import Finding
from govbot.model.records import Record, read_records
from govbot.model.vocab import path_matches, utc_stamp
from govbot.vote.ballots import (
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


def _votes_pass(rule: Rule, a: int, o: int, b: int, quorum: int, chair_vote: str | None,
                tie_breaker: str) -> bool:
    return (a + o + b >= quorum and a >= rule.min_approvals
            and _threshold_met(rule, a, o, chair_vote, tie_breaker))


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


@dataclass(frozen=True, slots=True)
class _Count:
    a: int
    o: int
    b: int
    size: int
    quorum: int
    remaining: int
    chair_vote: str | None
    chair_remaining: bool
    objectors: tuple[str, ...]


def _conditions(rule: Rule, c: _Count, config: Config, ready: dt.datetime,
                now: dt.datetime) -> tuple[Condition, ...]:
    period_end = ready + rule.review_period
    threshold_ok = _threshold_met(rule, c.a, c.o, c.chair_vote, config.tie_breaker)
    pct = f"{float(rule.quorum):.0%}"
    out = [
        Condition("quorum", f"{c.quorum} of {_plural(c.size, 'eligible member')} vote "
                  f"({pct})", f"{_plural(c.a + c.o + c.b, 'vote')}",
                  c.a + c.o + c.b >= c.quorum),
        Condition("threshold", _threshold_text(rule),
                  f"{c.a} approve, {c.o} object", threshold_ok),
        Condition("approvals", f"at least {rule.min_approvals}", str(c.a),
                  c.a >= rule.min_approvals),
        Condition("review period", f"{rule.review_period.days}d"
                  + (f" {rule.review_period.seconds // 3600}h"
                     if rule.review_period.seconds else "")
                  + f" from {fmt_time(ready)}", f"ends {fmt_time(period_end)}",
                  now >= period_end),
    ]
    if rule.veto:
        out.append(Condition("veto", "any standing objection blocks",
                             _plural(c.o, "objection"), c.o == 0))
    return tuple(out)


def _more_approvals(rule: Rule, c: _Count, tie_breaker: str) -> int | None:
    """The fewest further approvals that meet the threshold and minimum (None: no number
    of approvals will do, as under a unanimous rule with an objection standing)."""
    for k in range(c.size + c.o + rule.min_approvals + 2):
        chair = "approve" if c.chair_remaining and k >= c.remaining else c.chair_vote
        if c.a + k >= rule.min_approvals and _threshold_met(rule, c.a + k, c.o, chair,
                                                             tie_breaker):
            return k
    return None


def _needs(rule: Rule, c: _Count, config: Config, period_end: dt.datetime,
           now: dt.datetime) -> list[str]:
    needs: list[str] = []
    turnout = c.a + c.o + c.b
    if turnout < c.quorum:
        needs.append(f"quorum: {turnout} of {_plural(c.quorum, 'vote')}")
    more = _more_approvals(rule, c, config.tie_breaker)
    if more is None:
        needs.append(f"every objection retracted (unanimous): {c.o} standing")
    elif more > c.remaining:
        has = "has" if c.remaining == 1 else "have"
        needs.append(f"{_plural(more, 'more approval')}, but only "
                     f"{_plural(c.remaining, 'eligible member')} {has} not voted")
    elif more:
        needs.append(f"{_plural(more, 'more approval')}")
    if rule.veto and c.o:
        needs.extend(f"the objection by {who} retracted (this rule gives each member a veto)"
                     for who in c.objectors)
    if now < period_end:
        needs.append(f"review period ends {fmt_time(period_end)}")
    return needs


def _summaries(records: Sequence[Record]) -> tuple[RecordSummary, ...]:
    return tuple(RecordSummary(r.path, r.id, r.title or "", r.kind, r.status)
                 for r in sorted(records, key=lambda r: r.path))


def tally(snapshot: PullSnapshot, config: Config, now: dt.datetime, *,
          findings: Sequence[Finding] = (), records: Sequence[Record] | None = None) -> Tally:
    """Decide where the vote on a pull request stands at `now` (pure; see DESIGN §5).

    `records` are the PR's parsed records (default: parsed from the snapshot; unreadable ones
    become findings). Any finding makes the outcome `invalid`: govbot fails closed.
    """
    all_findings = list(findings)
    if records is None:
        records, parse_findings = _parse(snapshot)
        all_findings.extend(parse_findings)
    now = now.astimezone(dt.UTC)
    today = day(now)
    rule, reasons = choose_rule(records, snapshot.files, config)
    ballots = collect_ballots(snapshot, config, now)
    recused = tuple(r.member for r in ballots.rows if r.standing is Standing.RECUSED)
    author = config.find_member(snapshot.author_login, snapshot.author_id)
    excluded = {author.login} if author is not None and config.author == "excluded" else set()
    electorate = tuple(m.login for m in config.seated(today)
                       if m.login not in recused and m.login not in excluded)
    rows = tuple(r for r in ballots.rows if r.member in electorate or not r.counted)
    a, o, b = counted(rows, "approve"), counted(rows, "object"), counted(rows, "abstain")
    chair = config.chair(today)
    chair_row = next((r for r in rows if chair and r.member == chair.login and r.counted),
                     None)
    quorum = math.ceil(rule.quorum * len(electorate)) if rule else 0
    c = _Count(a, o, b, len(electorate), quorum,
               sum(1 for r in rows if r.member in electorate and not r.counted),
               chair_row.vote if chair_row else None,
               chair is not None and chair.login in electorate and chair_row is None,
               tuple(r.member for r in rows if r.counted and r.vote == "object"))
    conditions: tuple[Condition, ...] = ()
    needs: list[str] = []
    decides_at = None
    if all_findings:
        outcome = "invalid"
        needs = [f"fix {_plural(len(all_findings), 'check finding')} listed below"]
    elif rule is None:
        outcome = "no-decision"
    else:
        period_end = snapshot.ready_at + rule.review_period
        conditions = _conditions(rule, c, config, snapshot.ready_at, now)
        needs = _needs(rule, c, config, period_end, now)
        votes_ok = _votes_pass(rule, a, o, b, quorum, c.chair_vote, config.tie_breaker)
        chair_if = "approve" if c.chair_remaining else c.chair_vote
        if rule.veto and o:
            outcome = "blocked"
        elif votes_ok and now >= period_end:
            outcome = "approved"
        elif not _votes_pass(rule, a + c.remaining, o, b, quorum, chair_if, config.tie_breaker):
            outcome = "failing"
        else:
            outcome = "pending"
        if snapshot.draft:  # no review period runs while a draft: it starts when ready
            outcome = "pending" if outcome == "approved" else outcome
            needs = [DRAFT_NEED, *(n for n in needs if not n.startswith("review period"))]
            conditions = tuple(c for c in conditions if c.name != "review period")
        elif votes_ok and outcome in ("approved", "pending"):
            latest = max((r.at for r in rows if r.counted and r.at), default=period_end)
            decides_at = max(period_end, latest) if outcome == "approved" else period_end
    return Tally(outcome, rule.kind if rule else None, rule, reasons, electorate, a, o, b,
                 recused, quorum, rows, ballots.ignored, ballots.non_binding,
                 conditions, tuple(needs), decides_at, _summaries(records),
                 tuple(all_findings), now, snapshot.head_sha)


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
