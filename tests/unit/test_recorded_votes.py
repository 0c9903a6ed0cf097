"""Votes cast outside GitHub (DESIGN §5): `/govbot record LOGIN VOTE [REASON or link]` by the
secretary or the chair, counted where the rule has `recorded_votes: true`, audited with
`via`, replaced by the member's own later vote, never accepted from anyone else."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import tallykit
from govbot.model.config import Config, Member
from govbot.publish.reconcile import final_vote
from govbot.vote.snapshot import Comment, RecordedVote
from govbot.vote.standing import Standing
from govbot.vote.tally import Tally, tally
from tallykit import NOW, at, comment, obj, review

SECRETARY = Member("sec", 999, "The Secretary", "secretary", dt.date(2020, 1, 1))
MINUTES = "minutes: https://example.org/minutes/2026-11-21"


def config(recorded: bool = True) -> Config:
    base = tallykit.config()
    rules = {k: dataclasses.replace(r, recorded_votes=recorded) for k, r in base.rules.items()}
    return dataclasses.replace(base, committee=(*base.committee, SECRETARY), rules=rules)


def run(*items: object, recorded: bool = True) -> Tally:
    return tally(tallykit.snap(*items), config(recorded), NOW)  # type: ignore[arg-type]


def row(result: Tally, member: str) -> tuple[str, bool, str, str]:
    found = next(r for r in (*result.votes, *result.ignored) if r.member == member)
    return found.vote, found.counted, found.via, found.note


def test_the_secretary_records_a_meeting_vote() -> None:
    """The vote counts as the member's, with who recorded it and the minutes' link."""
    result = run(comment("sec", f"/govbot record m2 approve {MINUTES}", at(21)))
    assert row(result, "m2") == ("approve", True, "sec", "cast outside GitHub, recorded by "
                                 f"sec: {MINUTES}")
    assert result.approvals == 1
    [vote] = final_vote(result).votes
    assert (vote.member, vote.vote, vote.via, vote.reason) == ("m2", "approve", "sec", MINUTES)


def test_the_chair_may_record_too_and_an_at_sign_is_fine() -> None:
    """The chair is the other officer; `@login` is read as the login."""
    result = run(comment("chair", "/govbot record @m3 object: not costed", at(21)))
    assert row(result, "m3")[:3] == ("object", True, "chair")
    assert result.objections == 1


@pytest.mark.parametrize(("author", "body", "note"), [
    ("m2", "/govbot record m3 approve", "ignored: only the secretary or the chair of the "
     "Committee may record a vote cast outside GitHub"),
    ("outsider", "/govbot record m3 approve", "ignored: only the secretary or the chair of the "
     "Committee may record a vote cast outside GitHub"),
    ("sec", "/govbot record mallory approve", "ignored: mallory is not on any body's roster "
     "in governance.yml; /govbot record names a member's login"),
    ("sec", "/govbot record m3", "ignored: write /govbot record LOGIN VOTE [REASON or minutes "
     "link], with VOTE one of approve, object, abstain or recuse"),
    ("sec", "/govbot record m3 yes", "ignored: write /govbot record LOGIN VOTE [REASON or "
     "minutes link], with VOTE one of approve, object, abstain or recuse"),
])
def test_a_record_from_anyone_else_or_malformed_is_ignored(author: str, body: str,
                                                           note: str) -> None:
    """Hostile: a member who is not an officer, or an outsider, cannot record anyone's
    vote; nor can a record name a stranger or miss its vote. Nothing is counted."""
    result = run(comment(author, body, at(21)))
    assert result.approvals == 0
    assert [(r.member, r.standing, r.note) for r in result.ignored] == [
        (author, Standing.IGNORED, note)]
    assert next(r for r in result.votes if r.member == "m3").counted is False


def test_a_rule_without_recorded_votes_does_not_count_them() -> None:
    """`recorded_votes: false` (the default): shown as ignored, not counted."""
    result = run(comment("sec", "/govbot record m2 approve", at(21)), recorded=False)
    assert result.approvals == 0
    assert [r.note for r in result.ignored] == [
        "ignored: votes recorded by the secretary or the chair do not count under this rule "
        "(recorded_votes: false in governance.yml)"]


def test_the_members_own_later_vote_replaces_it() -> None:
    """A member who votes on GitHub after the meeting has the last word, and a record made
    after the member's own vote replaces that."""
    later = run(comment("sec", "/govbot record m2 approve", at(21)), obj("m2", 22))
    assert row(later, "m2")[:3] == ("object", True, "")
    earlier = run(obj("m2", 20), comment("sec", "/govbot record m2 approve", at(21)))
    assert row(earlier, "m2")[:3] == ("approve", True, "sec")


def test_a_recorded_approval_is_bound_to_the_head_it_was_counted_at() -> None:
    """govbot keeps the head it first counted a recorded approval at; after a push it is
    stale (fail closed), an objection is not."""
    note = comment("sec", "/govbot record m2 approve", at(21), ident=77)
    first = run(note)
    state = first.recorded["c77"]
    assert state[0] == f"record:m2:approve:{tallykit.HEAD}"
    record = RecordedVote(state[0], state[1], state[2], state[3], at(21))
    pushed = dataclasses.replace(tallykit.snap(note), head_sha="c" * 40,
                                 recorded_comments={77: record})
    assert tally(pushed, config(), NOW).recorded["c77"] == state  # kept as first recorded
    again = tally(pushed, config(), NOW)
    assert row(again, "m2")[:2] == ("approve", False)
    assert row(again, "m2")[3].startswith("stale: the pull request changed after this vote "
                                          "was recorded")


def test_an_edit_changes_no_recorded_vote() -> None:
    """The secretary's comment edited (the line rewritten) after govbot counted it: the
    vote stands as first recorded; an edit can neither remove nor change it."""
    original = comment("sec", "/govbot record m2 object: conflict", at(21), ident=78)
    state = run(original).recorded["c78"]
    record = RecordedVote(state[0], state[1], state[2], state[3], at(21))
    edited = Comment(78, "sec", 999, "User", "/govbot record m2 approve", at(21),
                     at(21) + dt.timedelta(minutes=5), edited_by=("sec",))
    snap = dataclasses.replace(tallykit.snap(edited), recorded_comments={78: record})
    result = tally(snap, config(), NOW)
    assert row(result, "m2")[:3] == ("object", True, "sec")


def test_a_recorded_vote_for_a_member_whose_term_ended_lapses() -> None:
    """A recorded vote is a member's vote like any other: the terms apply (m4's ended)."""
    result = run(comment("sec", "/govbot record m4 approve", at(21)))
    assert row(result, "m4")[1] is False


def test_a_review_by_the_secretary_is_no_vote() -> None:
    """The secretary's own review is shown and never counted."""
    result = run(review("sec", "APPROVED", at(21)))
    assert result.approvals == 0
