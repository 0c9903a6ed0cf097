"""Tests for govbot.vote.arithmetic: one rule's count → outcome → explanation."""

from __future__ import annotations

import datetime as dt

import pytest

from govbot.model.config import Rule
from govbot.vote.arithmetic import (
    Count,
    Decision,
    conditions,
    count_votes,
    needs,
    rule_outcome,
)
from govbot.vote.ballots import collect_ballots
from tallykit import NOW, OLD, READY, approve, at, comment, config, obj, snap


def counts(a: int = 0, o: int = 0, b: int = 0, size: int = 5, chair: str | None = None,
           latest: dt.datetime | None = None) -> Count:
    """A Count of `size` members of whom a + o + b voted (the chair among those left
    unless `chair` says how the chair voted)."""
    electorate = tuple(f"p{i}" for i in range(size))
    return Count(electorate, (), (), a, o, b, size - a - o - b, chair, chair is None,
                 tuple(f"p{i}" for i in range(o)), latest)


def test_count_votes_reads_only_the_typed_standing() -> None:
    """The count: E = seated minus recused minus an excluded author; A/O/B from counted
    rows; who is left; the chair's counted vote; when the last counted vote was cast."""
    s = snap(approve("chair"), obj("m2"), comment("m3", "/govbot recuse x", at(22)),
             approve("m5", commit=OLD), approve("m6", 23), author="m6", stale=(OLD,))
    cfg = config(author="excluded")
    c = count_votes(collect_ballots(s, cfg, NOW), s, cfg, NOW.date())
    assert (c.electorate, c.recused, c.a, c.o, c.b) == (("chair", "m2", "m5"), ("m3",),
                                                       1, 1, 0)
    assert (c.remaining, c.chair_vote, c.chair_remaining, c.objectors, c.latest) == (
        1, "approve", False, ("m2",), at(21))


PLAN = config().rules["plan"]
VETO = config().rules["governance"]
LATE = at(29)


@pytest.mark.parametrize(("rule", "count", "now", "draft", "decision"), [
    (PLAN, counts(3, 1, latest=LATE), NOW, False, Decision("approved", LATE)),
    (PLAN, counts(3, 1, latest=at(21)), NOW, False,
     Decision("approved", READY + PLAN.review_period)),
    (PLAN, counts(3, 1), at(24), False, Decision("pending", READY + PLAN.review_period)),
    (PLAN, counts(3, 1), NOW, True, Decision("pending", None)),
    (PLAN, counts(1), NOW, False, Decision("pending", None)),
    (PLAN, counts(1, 3), NOW, False, Decision("failing", None)),
    (PLAN, counts(2, 2, chair="object"), NOW, False, Decision("pending", None)),
    (PLAN, counts(2, 2, chair="approve"), NOW, False, Decision("approved", READY
                                                                + PLAN.review_period)),
    (VETO, counts(4, 1), NOW, False, Decision("blocked", None)),
    (VETO, counts(4, 1), NOW, True, Decision("blocked", None)),
], ids=["approved after the last vote", "approved at the end of the period",
        "pending on the period", "a draft is pending", "pending on votes", "failing",
        "a tie the chair opposed", "a tie the chair approved", "vetoed", "vetoed draft"])
def test_rule_outcome(rule: Rule, count: Count, now: dt.datetime, draft: bool,
                      decision: Decision) -> None:
    """The outcome step: one rule's arithmetic on a count, and the earliest decision."""
    assert rule_outcome(rule, count, config(), READY, now, draft=draft) == decision


def test_conditions_explain_each_requirement() -> None:
    """The explanation step: each condition with what it requires and where it stands."""
    shown = conditions(VETO, counts(2, 1), config(), READY, NOW)
    assert [(c.name, c.required, c.actual, c.met) for c in shown] == [
        ("quorum", "4 of 5 eligible members vote (75%)", "3 votes", False),
        ("threshold", "at least 2/3 of approvals and objections are approvals",
         "2 approve, 1 object", True),
        ("approvals", "at least 3", "2", False),
        ("review period", "14d from 2026-11-20 10:00 UTC", "ends 2026-12-04 10:00 UTC",
         False),
        ("veto", "any standing objection blocks", "1 objection", False)]
    assert "review period" not in [c.name for c in conditions(VETO, counts(), config(),
                                                               READY, NOW, draft=True)]


@pytest.mark.parametrize(("rule", "count", "draft", "expected"), [
    (PLAN, counts(3, 1), False, ()),
    (PLAN, counts(), False, ("quorum: 0 of 3 votes", "2 more approvals")),
    (PLAN, counts(), True, ("quorum: 0 of 3 votes", "2 more approvals")),
    (VETO, counts(2, 1), False, (
        "quorum: 3 of 4 votes", "1 more approval",
        "the objection by p0 retracted (this rule gives each member a veto)",
        "review period ends 2026-12-04 10:00 UTC")),
    (config().rules["review"], counts(2, 1), False,
     ("quorum: 3 of 5 votes", "every objection retracted (unanimous): 1 standing")),
    (PLAN, counts(1, 3, size=5), False,
     ("2 more approvals, but only 1 eligible member has not voted",)),
])
def test_needs_word_every_unmet_condition(rule: Rule, count: Count, draft: bool,
                                          expected: tuple[str, ...]) -> None:
    """The explanation step: what is still needed, in the committee's words (while a
    draft, no review period: the tally puts the draft notice first, once)."""
    assert needs(rule, count, config(), READY, NOW, draft=draft) == expected


