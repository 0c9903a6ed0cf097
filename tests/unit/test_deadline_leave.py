"""Deadlines (`expired`, final for the ready period) and leaves of absence in the tally
(DESIGN §4, §5)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import tallykit
from govbot.model.config import Config, Leave
from govbot.render.comment import render_comment, status_descriptions
from govbot.vote.snapshot import Review
from govbot.vote.tally import tally
from tallykit import READY, approve, obj, review

# tallykit's plan rule: quorum 0.5, majority, 2 approvals, 7 days; voting closes 10 days
# after ready (2026-11-30 10:00 UTC)
CLOSES = READY + dt.timedelta(days=10)


def with_deadline(days: int = 10) -> Config:
    config = tallykit.config()
    rules = dict(config.rules)
    rules["plan"] = dataclasses.replace(rules["plan"], deadline=dt.timedelta(days=days))
    return dataclasses.replace(config, rules=rules)




@pytest.mark.parametrize(("votes", "now", "outcome"), [
    # before the deadline: as without one
    ((approve("chair"),), CLOSES - dt.timedelta(hours=1), "pending"),
    # the deadline passes without approval: expired, whatever comes later
    ((approve("chair"),), CLOSES, "expired"),
    ((approve("chair"), review("m2", "APPROVED", CLOSES + dt.timedelta(hours=1)),
      review("m3", "APPROVED", CLOSES + dt.timedelta(hours=2))), CLOSES + dt.timedelta(days=1),
     "expired"),
    # approved by the deadline stays approved after it
    ((approve("chair"), approve("m2"), approve("m3")), CLOSES + dt.timedelta(days=3),
     "approved"),
    # voted down by the deadline: failing (a rejection), not expired
    ((obj("chair"), obj("m2"), obj("m3"), obj("m5")), CLOSES + dt.timedelta(days=1),
     "failing"),
    # an objection after the deadline changes nothing either
    ((approve("chair"), approve("m2"), approve("m3"),
      review("m5", "CHANGES_REQUESTED", CLOSES + dt.timedelta(hours=1))),
     CLOSES + dt.timedelta(days=1), "approved"),
])
def test_deadline(votes: tuple[Review, ...], now: dt.datetime, outcome: str) -> None:
    """A rule's deadline closes voting at ready + deadline: only votes cast by then count,
    and a rule still pending then is `expired`."""
    assert tally(tallykit.snap(*votes), with_deadline(), now).outcome == outcome


def test_expired_says_when_voting_closed() -> None:
    """The need, the status and the comment say when voting closed; no earliest time."""
    snap = tallykit.snap(approve("chair"))
    result = tally(snap, with_deadline(), CLOSES + dt.timedelta(days=1))
    assert result.needs == ("voting closed 2026-11-30 10:00 UTC without approval",)
    assert result.decides_at is None
    assert status_descriptions(result)["govbot/vote"] == (
        "failure", "Expired: voting closed 2026-11-30 10:00 UTC without approval")
    text = render_comment(result, snap)
    assert "## ⌛ Expired: voting closed at the deadline without approval" in text
    assert "| deadline | approved by 2026-11-30 10:00 UTC | voting closed | ⏳ |" in text


def test_the_deadline_is_shown_while_voting_is_open() -> None:
    """Before the deadline the comment lists it as a condition that is met."""
    snap = tallykit.snap(approve("chair"))
    text = render_comment(tally(snap, with_deadline(), READY + dt.timedelta(days=1)), snap)
    assert "| deadline | approved by 2026-11-30 10:00 UTC | voting open | ✅ |" in text


def test_a_new_ready_period_opens_voting_again() -> None:
    """Expired is final for that ready period only: marked ready again later, the PR has a
    new deadline counted from then."""
    later = READY + dt.timedelta(days=12)
    snap = dataclasses.replace(tallykit.snap(approve("chair")), ready_at=later)
    assert tally(snap, with_deadline(), later + dt.timedelta(days=1)).outcome == "pending"


def test_no_deadline_runs_while_a_draft() -> None:
    """A draft has no review period and no deadline running."""
    snap = dataclasses.replace(tallykit.snap(approve("chair")), draft=True)
    assert tally(snap, with_deadline(), CLOSES + dt.timedelta(days=5)).outcome == "pending"


def on_leave(*logins: str, start: dt.date = dt.date(2026, 11, 1),
             until: dt.date = dt.date(2026, 12, 31)) -> Config:
    config = tallykit.config()
    return dataclasses.replace(config, committee=tuple(
        dataclasses.replace(m, leave=(Leave(start, until),)) if m.login in logins else m
        for m in config.committee))


def test_a_member_on_leave_is_outside_the_electorate() -> None:
    """Seated on 2026-12-01: chair, m2, m3, m5, m6 (m4's term ended); with m5 and m6 on
    leave the electorate is 3, so two votes make the quorum of 0.5."""
    snap = tallykit.snap(approve("chair"), approve("m2"))
    plain = tally(snap, tallykit.config(), tallykit.NOW)
    away = tally(snap, on_leave("m5", "m6"), tallykit.NOW)
    assert plain.electorate == ("chair", "m2", "m3", "m5", "m6")
    assert away.electorate == ("chair", "m2", "m3")
    row = next(r for r in away.votes if r.member == "m5")
    assert (row.counted, row.note) == (
        False, "on leave until 2026-12-31: outside the electorate unless they vote")


def test_a_member_on_leave_who_votes_counts() -> None:
    """A vote cast during the leave counts as usual, and its voter is in the electorate."""
    result = tally(tallykit.snap(approve("chair"), obj("m5")), on_leave("m5"), tallykit.NOW)
    assert "m5" in result.electorate
    assert result.objections == 1


def test_a_leave_that_ended_changes_nothing() -> None:
    """Outside its dates a leave has no effect (dates inclusive)."""
    past = on_leave("m5", start=dt.date(2026, 1, 1), until=dt.date(2026, 11, 30))
    assert "m5" in tally(tallykit.snap(), past, tallykit.NOW).electorate
    today = on_leave("m5", start=dt.date(2026, 12, 1), until=dt.date(2026, 12, 1))
    assert "m5" not in tally(tallykit.snap(), today, tallykit.NOW).electorate


def test_everyone_on_leave_never_approves() -> None:
    """An electorate emptied by leave never approves (DESIGN §4)."""
    config = on_leave("chair", "m2", "m3", "m5", "m6")
    assert tally(tallykit.snap(), config, tallykit.NOW).outcome == "failing"


def test_after_the_deadline_the_count_is_the_one_at_the_deadline() -> None:
    """Voting closed: the counts, the vote table and the audit record are those of the
    votes cast by the deadline (a later approval is not among them)."""
    from govbot.publish.reconcile import final_vote

    late = review("m2", "APPROVED", CLOSES + dt.timedelta(hours=1))
    result = tally(tallykit.snap(approve("chair"), late), with_deadline(),
                   CLOSES + dt.timedelta(days=1))
    assert result.approvals == 1
    assert next(r for r in result.votes if r.member == "m2").note == "has not voted"
    assert [v.member for v in final_vote(result).votes] == ["chair"]
