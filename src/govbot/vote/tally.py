"""The tally: a PR snapshot + governance.yml + now → where the committee's vote stands (DESIGN §5).

Pure: no I/O. `ballots.py` decides each member's standing vote; `arithmetic.py` does one
rule's arithmetic. This module finds every rule that applies — each (body, kind) of the
PR's records (a record's `body:`, else the default body) and of each touched protected
path (`KIND` or `BODY.KIND`) — counts each body's vote among that body's own members,
judges each rule, and combines them: the PR is approved only when every rule passes. A
member of one body has no vote in another's decision.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from govbot.model.config import Config, Rule
from govbot.model.findings import Finding, errors
from govbot.model.records import Record, read_records
from govbot.model.vocab import path_matches, utc_stamp
from govbot.vote.arithmetic import (
    DRAFT_NEED,
    Condition,
    Count,
    closed_text,
    conditions,
    count_votes,
    deadline_end,
    needs,
    quorum_needed,
    rule_outcome,
)
from govbot.vote.ballots import Ballots, VoteRow, collect_ballots, day
from govbot.vote.snapshot import FileChange, PullSnapshot, record_bytes
from govbot.vote.standing import Why

OUTCOMES = ("approved", "pending", "blocked", "failing", "expired", "invalid", "no-decision")
UNDECIDING = ("draft", "withdrawn")  # statuses that put nothing to the vote
_WORST_FIRST = ("blocked", "failing", "expired", "pending", "approved")


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """A record in the pull request, as the comment lists it."""

    path: str
    id: int | None
    title: str
    kind: str | None
    status: str | None


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One applicable rule judged: why it applies, its outcome, conditions and needs.
    `body` is the deciding body's id; `label` names the rule for people (its kind, or
    `body.kind` for a body other than the default one)."""

    kind: str
    rule: Rule
    reasons: tuple[str, ...]
    outcome: str
    decides_at: dt.datetime | None
    quorum_needed: int
    conditions: tuple[Condition, ...]
    needs: tuple[str, ...]
    body: str = ""
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.kind


@dataclass(frozen=True, slots=True)
class Voice:
    """The non-binding voice of someone not seated on a deciding body (DESIGN §5): support
    (an approving review, `/govbot support`) or a concern (a review requesting changes,
    `/govbot concern REASON`, `/govbot object`), counted apart and never part of a rule."""

    login: str
    voice: str  # support | concern
    at: dt.datetime | None
    reason: str = ""


COMMUNITY_WHY = (Why.NOT_MEMBER, Why.OTHER_BODY)  # people, not bots or impostors


def community_of(rows: Sequence[VoteRow]) -> tuple[Voice, ...]:
    """The community's voices among the non-binding rows, in the order they were given."""
    out = []
    for row in rows:
        if row.why not in COMMUNITY_WHY:
            continue
        if row.vote in ("approve", "support"):
            out.append(Voice(row.member, "support", row.at))
        elif row.vote in ("object", "concern"):
            out.append(Voice(row.member, "concern", row.at, row.reason))
    return tuple(sorted(out, key=lambda v: (v.at or dt.datetime.min.replace(tzinfo=dt.UTC),
                                            v.login.lower())))


@dataclass(frozen=True, slots=True)
class BodyVote:
    """One body's vote on the pull request: its id and name and the count of its own
    members' ballots (the electorate, the rows shown)."""

    id: str
    name: str
    count: Count


@dataclass(frozen=True, slots=True)
class Tally:
    """Where the vote stands. `rules` has each applicable rule's result (all must pass);
    for compatibility `rule` is their kinds comma-joined, and `rule_spec`,
    `quorum_needed` and `conditions` are those of the rule that decides the outcome (the
    first whose outcome is the PR's)."""

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
    rules: tuple[RuleResult, ...] = ()
    # when a body other than the default one decides: each deciding body's vote
    bodies: tuple[BodyVote, ...] = ()
    # the non-binding voice of people not seated on a deciding body (never part of a rule)
    community: tuple[Voice, ...] = ()

    @property
    def deciding_rows(self) -> tuple[VoteRow, ...]:
        """The vote rows of every deciding body, each member once (the first body's row):
        what the audit record keeps. With one body, `votes`."""
        if not self.bodies:
            return self.votes
        seen: set[str] = set()
        out = []
        for body in self.bodies:
            for row in body.count.rows:
                if row.member not in seen:
                    seen.add(row.member)
                    out.append(row)
        return tuple(out)


Key = tuple[str, str]  # (body, kind): one rule


def applicable_rules(records: Sequence[Record], files: Sequence[FileChange], config: Config
                     ) -> tuple[dict[Key, list[str]], list[Finding]]:
    """{(body, kind): the reasons its rule applies}, for each (body, kind) of the deciding
    records and of the touched protected paths (body, then kind order); and a finding for
    a protected path whose rule governance.yml lacks (fail closed). Drafts and withdrawn
    records decide nothing: a proposer may withdraw their own proposal without a vote. A
    record naming a body governance.yml lacks is `checks`' to report."""
    found: dict[Key, list[str]] = {}
    findings: list[Finding] = []
    for record in records:
        body = record.body_id or config.default_body
        if record.status not in UNDECIDING and record.kind and body in config.bodies \
                and record.kind in config.body(body).rules:
            by = "" if body == config.default_body else \
                f" decided by the {config.body(body).name}"
            found.setdefault((body, record.kind), []).append(
                f"{record.path} is a {record.kind} record{by}")
    for change in files:
        names = sorted({n for n in (change.filename, change.previous_filename) if n})
        for body, kind, patterns in config.protected_rules():
            hit = [n for n in names if any(path_matches(n, p) for p in patterns)]
            who = "a " if body == config.default_body else f"the {config.body(body).name}'s "
            if hit and kind in config.body(body).rules:
                found.setdefault((body, kind), []).append(
                    f"it changes {hit[0]}, which only {who}{kind} decision may change")
            elif hit:
                findings.append(Finding(hit[0], None, f"this protected file calls for a "
                                        f"{kind!r} decision, but governance.yml has no rule "
                                        f"for {kind!r}; add one under rules:", "config"))
    order = list(config.bodies)
    return dict(sorted(found.items(), key=lambda i: (order.index(i[0][0]), i[0][1]))), \
        findings


def judge_rule(kind: str, rule: Rule, reasons: Sequence[str], c: Count, config: Config,
               snapshot: PullSnapshot, now: dt.datetime, *, body: str = "",
               label: str = "") -> RuleResult:
    """One rule's outcome, conditions and needs on the count."""
    ready, draft = snapshot.ready_at, snapshot.draft
    decision = rule_outcome(rule, c, config, ready, now, draft=draft)
    return RuleResult(kind, rule, tuple(reasons), decision.outcome, decision.decides_at,
                      quorum_needed(rule, c), conditions(rule, c, config, ready, now,
                                                         draft=draft),
                      needs(rule, c, config, ready, now, draft=draft), body, label)


def closed_rule(result: RuleResult, end: dt.datetime) -> RuleResult:
    """A rule judged as voting closed at its deadline (`end`): approved or voted down
    (failing, blocked) stays so; still pending is `expired`, final for this ready period."""
    if result.outcome != "pending":
        return result
    return dataclasses.replace(result, outcome="expired", decides_at=None,
                               needs=(closed_text(end),))


def combine(results: Sequence[RuleResult], *, draft: bool) -> tuple[str, tuple[str, ...],
                                                                       dt.datetime | None]:
    """(outcome, needs, decides_at) of the PR from its rules' results: approved only when
    every rule is; else the worst (blocked, failing, pending). With several rules each
    need names its rule."""
    outcome = next(o for o in _WORST_FIRST if any(r.outcome == o for r in results))
    several = len(results) > 1
    needed = [DRAFT_NEED] if draft else []
    for result in results:
        needed += [f"{result.name} rule: {n}" if several else n for n in result.needs]
    times = [r.decides_at for r in results]
    decides_at = max(t for t in times if t) if all(times) and outcome in (
        "approved", "pending") else None
    return outcome, tuple(dict.fromkeys(needed)), decides_at


Counted = Mapping[tuple[str, bool], tuple[Config, Ballots, Count]]


def _count_bodies(wanted: Sequence[tuple[str, bool]], snapshot: PullSnapshot,
                  config: Config, now: dt.datetime,
                  closes: Mapping[str, dt.datetime] | None = None
                  ) -> dict[tuple[str, bool], tuple[Config, Ballots, Count]]:
    """For each (body, whether recorded votes count): the body's view of the
    configuration, its members' ballots and their count, at `now` or when voting closed
    for the body (`closes`)."""
    out = {}
    for name, recorded in dict.fromkeys(wanted):
        view = config.for_body(name)
        when = (closes or {}).get(name, now)
        ballots = collect_ballots(snapshot, view, when, recorded_votes=recorded)
        out[name, recorded] = (view, ballots, count_votes(ballots, snapshot, view, day(when)))
    return out


def _closes(keys: Collection[Key], snapshot: PullSnapshot, config: Config,
            now: dt.datetime) -> dict[str, dt.datetime]:
    """{body: when voting closed}: the earliest deadline of the body's applicable rules
    that has passed (votes cast after it do not count)."""
    out: dict[str, dt.datetime] = {}
    for body, kind in keys:
        end = deadline_end(config.body(body).rules[kind], snapshot.ready_at,
                           draft=snapshot.draft)
        if end is not None and end <= now:
            out[body] = min(end, out.get(body, end))
    return out


def _judged(body: str, kind: str, why: Sequence[str], snapshot: PullSnapshot,
            config: Config, now: dt.datetime, counted: Counted) -> RuleResult:
    """One (body, kind) rule judged now, or — once its deadline has passed — as voting
    closed then, on the votes cast by the deadline (`counted` is the body's count at the
    time voting closed for it, when it has)."""
    rule = config.body(body).rules[kind]
    label = kind if body == config.default_body else f"{body}.{kind}"
    view, _, count = counted[body, rule.recorded_votes]
    end = deadline_end(rule, snapshot.ready_at, draft=snapshot.draft)
    if end is None or now < end:
        return judge_rule(kind, rule, why, count, view, snapshot, now, body=body, label=label)
    return closed_rule(judge_rule(kind, rule, why, count, view, snapshot, end, body=body,
                                  label=label), end)


def _non_binding(ballots: Ballots, deciding: Collection[str]) -> tuple[VoteRow, ...]:
    """The voices of accounts on none of the deciding bodies (a member of a deciding body
    is shown in that body's vote instead)."""
    return tuple(r for r in ballots.non_binding
                 if dict(r.detail).get("body_id") not in deciding)


def _parse(snapshot: PullSnapshot) -> tuple[list[Record], list[Finding]]:
    return read_records(record_bytes(snapshot.records))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _summaries(records: Sequence[Record]) -> tuple[RecordSummary, ...]:
    return tuple(RecordSummary(r.path, r.id, r.title or "", r.kind, r.status)
                 for r in sorted(records, key=lambda r: r.path))


def tally(snapshot: PullSnapshot, config: Config, now: dt.datetime, *,
          findings: Sequence[Finding] = (), records: Sequence[Record] | None = None) -> Tally:
    """Decide where the vote on a pull request stands at `now` (pure; see DESIGN §5):
    count the ballots, then each applicable rule's outcome and explanation, then combine.

    `records` are the PR's parsed records (default: parsed from the snapshot; unreadable ones
    become findings). Any finding (but a notice) makes the outcome `invalid`: govbot fails
    closed.
    """
    all_findings = list(findings)
    if records is None:
        records, parse_findings = _parse(snapshot)
        all_findings.extend(parse_findings)
    now = now.astimezone(dt.UTC)
    keys, rule_findings = applicable_rules(records, snapshot.files, config)
    all_findings += rule_findings
    names = list(dict.fromkeys(body for body, _ in keys)) or [config.default_body]
    # each body counted once per `recorded_votes` its applicable rules have; its first
    # rule's count is the one shown
    shown = {name: next((config.body(b).rules[k].recorded_votes for b, k in keys
                         if b == name), False) for name in names}
    wanted = [*shown.items(), *((b, config.body(b).rules[k].recorded_votes) for b, k in keys)]
    counted = _count_bodies(wanted, snapshot, config, now,
                            _closes(keys, snapshot, config, now))
    # another body than the default one decides: each body's vote is shown on its own
    several = names != [config.default_body]
    results = tuple(_judged(body, kind, why, snapshot, config, now, counted)
                    for (body, kind), why in keys.items())
    needed: tuple[str, ...] = ()
    decides_at = None
    if problems := errors(all_findings):  # notices (a renumbering at merge) never block
        outcome = "invalid"
        needed = (f"fix {_plural(len(problems), 'check finding')} listed below",)
    elif not results:
        outcome = "no-decision"
    else:
        outcome, needed, decides_at = combine(results, draft=snapshot.draft)
    lead = next((r for r in results if r.outcome == outcome), results[0] if results else None)
    lead_body = lead.body if lead else names[0]
    _, ballots, c = counted[lead_body, lead.rule.recorded_votes if lead else shown[lead_body]]
    recorded = {k: v for _, found, _ in counted.values() for k, v in found.recorded.items()}
    bodies = tuple(BodyVote(n, config.body(n).name, counted[n, shown[n]][2]) for n in names) \
        if several else ()
    outside = _non_binding(ballots, names)
    return Tally(outcome, ", ".join(dict.fromkeys(r.kind for r in results)) or None,
                 lead.rule if lead else None,
                 tuple(why for r in results for why in r.reasons), c.electorate, c.a, c.o,
                 c.b, c.recused, lead.quorum_needed if lead else 0, c.rows, ballots.ignored,
                 outside,
                 lead.conditions if lead and not problems else (),
                 needed, decides_at, _summaries(records), tuple(all_findings), now,
                 snapshot.head_sha, dict(sorted(recorded.items())), results, bodies,
                 community_of(outside))


def iso(when: dt.datetime | None) -> str | None:
    """`2026-12-01T14:00:00Z` (None stays None)."""
    return utc_stamp(when) if when else None


def _row_dict(row: VoteRow) -> dict[str, Any]:
    return {"member": row.member, "vote": row.vote, "counted": row.counted, "note": row.note,
            "at": iso(row.at), "binding": row.binding, "source": row.source, "url": row.url,
            "standing": row.standing.value, "reason": row.why.value}


def _spec(rule: Rule | None) -> dict[str, Any] | None:
    return None if rule is None else {
        "quorum": str(rule.quorum), "threshold": rule.threshold.text,
        "min_approvals": rule.min_approvals,
        "review_period_hours": int(rule.review_period.total_seconds() // 3600),
        "veto": rule.veto}


def _conditions(items: Sequence[Condition]) -> list[dict[str, Any]]:
    return [{"name": c.name, "required": c.required, "actual": c.actual, "met": c.met}
            for c in items]


def tally_to_dict(t: Tally) -> dict[str, Any]:
    """The JSON document of `govbot tally --format json` (DESIGN §5 fields and more;
    `rules` has each applicable rule's result, `rule` their kinds comma-joined)."""
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
        "rule_spec": _spec(t.rule_spec),
        "conditions": _conditions(t.conditions),
        "rules": [{"kind": r.kind, "body": r.body, "outcome": r.outcome,
                   "reasons": list(r.reasons),
                   "spec": _spec(r.rule), "quorum_needed": r.quorum_needed,
                   "conditions": _conditions(r.conditions), "needs": list(r.needs),
                   "decides_at": iso(r.decides_at)} for r in t.rules],
        "non_binding": [_row_dict(row) for row in t.non_binding],
        "community": [{"login": v.login, "voice": v.voice, "at": iso(v.at),
                       "reason": v.reason} for v in t.community],
        "records": [{"path": r.path, "id": r.id, "title": r.title, "kind": r.kind,
                     "status": r.status} for r in t.records],
        "findings": [{"path": f.path, "line": f.line, "message": f.message, "rule": f.rule,
                      "severity": f.severity} for f in t.findings],
        "head_sha": t.head_sha,
        "now": iso(t.now),
    }
