"""Tests for govbot.vote.events: reviews and comment commands as votes, and govbot's record."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction

import pytest

from govbot.vote.commands import Command
from govbot.vote.events import collect_events, digest
from govbot.vote.snapshot import RecordedVote
from govbot.vote.standing import Standing, Why
from govbot.vote.tally import tally
from tallykit import NOW, OLD, approve, at, comment, config, review, snap

VETO = {"kinds": ("governance",)}
FOUR = [approve(m) for m in ("chair", "m2", "m3", "m5")]


def seen(verb: str, login: str = "m6", day: int = 23, reason: str = "") -> RecordedVote:
    """What govbot recorded of a command when it first counted it."""
    return RecordedVote(verb, digest(Command(verb, reason, 1)), login,
                        {"m6": 6, "m3": 3, "m5": None}[login], at(day))


def test_an_edit_never_removes_a_recorded_objection() -> None:
    """Issue 11: a writer editing a member's `/govbot object` comment does not cancel it:
    govbot counts it as first recorded, and the veto holds."""
    edited = comment("m6", "I changed my mind, never mind", at(23), edited=True, ident=51,
                     edited_by=("m6", "writer"))
    result = tally(snap(*FOUR, edited, kinds=("governance",),
                        comments_seen={51: seen("object", reason="no")}), config(), NOW)
    row = next(r for r in result.votes if r.member == "m6")
    assert (result.outcome, row.vote, row.standing, row.as_recorded) == (
        "blocked", "object", Standing.COUNTED, "edited")
    assert row.note.startswith("(as govbot first recorded it: the comment was edited")


def test_an_unchanged_command_line_still_counts_with_its_reason() -> None:
    """An edit elsewhere in the comment leaves its recorded command line: it counts as
    written, reason and all."""
    body = "Typo fixed above.\n/govbot object too costly"
    edited = comment("m6", body, at(23), edited=True, ident=51)
    result = tally(snap(*FOUR, edited, kinds=("governance",),
                        comments_seen={51: seen("object", reason="too costly")}), config(),
                   NOW)
    row = next(r for r in result.votes if r.member == "m6")
    assert (result.outcome, row.note, row.as_recorded) == (
        "blocked", "reason: too costly", "")


@pytest.mark.parametrize("body", ["/govbot object", "/govbot abstain", "/govbot recuse x"])
def test_an_edit_never_adds_a_vote(body: str) -> None:
    """A command its author added by an edit (nothing recorded) is shown as ignored and
    counts for nothing, whatever it says."""
    edited = comment("m6", body, at(23), edited=True, ident=51, edited_by=("M6",))
    plain = tally(snap(*FOUR, kinds=("governance",)), config(), NOW)
    result = tally(snap(*FOUR, edited, kinds=("governance",)), config(), NOW)
    assert [(r.member, r.why) for r in result.ignored] == [("m6", Why.EDITED)]
    assert (result.outcome, result.needs, result.electorate) == (
        plain.outcome, plain.needs, plain.electorate)


def test_an_edit_cannot_turn_a_recorded_abstention_into_an_objection() -> None:
    """The recorded command counts; the line the edit brought is shown as ignored."""
    edited = comment("m6", "/govbot object", at(23), edited=True, ident=51,
                     edited_by=("writer",))
    result = tally(snap(*FOUR, edited, comments_seen={51: seen("abstain")}), config(), NOW)
    assert (result.objections, result.abstentions) == (0, 1)
    assert [(r.member, r.vote, r.why) for r in result.ignored] == [
        ("m6", "object", Why.EDITED)]


@pytest.mark.parametrize("body", ["", "never mind", "/govbot abstain", "/govbot retract"])
def test_a_writers_edit_without_a_record_stands_as_an_unconfirmed_objection(body: str) -> None:
    """Issue 11: a writer edits a member's `/govbot object` and drops govbot's record of it.
    GitHub's edit history names the writer: the comment stands as an objection (the veto
    holds), never toward quorum, and no command the edit brought counts."""
    edited = comment("m6", body, at(23), edited=True, ident=51, edited_by=("m6", "writer"))
    result = tally(snap(*FOUR, edited, kinds=("governance",)), config(), NOW)
    row = next(r for r in result.votes if r.member == "m6")
    assert (result.outcome, row.vote, row.why, row.standing) == (
        "blocked", "object", Why.EDITED_BY_OTHER, Standing.UNCONFIRMED)
    assert row.note == ("edited by another user (writer); govbot cannot tell what this "
                        "member wrote, so it stands as an objection until the member votes "
                        "again")
    assert (result.abstentions, result.objections) == (0, 1)
    assert all(r.why is Why.EDITED for r in result.ignored)
    assert not row.standing.turnout


def test_editors_unknown_and_no_matching_record_stand_as_an_objection() -> None:
    """When GitHub does not say who edited a member's comment (a REST read), a record that
    matches no line of today's text confirms nothing: the comment stands as an objection;
    a record that matches counts as before."""
    forged = comment("m6", "/govbot abstain", at(23), edited=True, ident=51)
    result = tally(snap(*FOUR, forged, kinds=("governance",),
                        comments_seen={51: seen("retract")}), config(), NOW)
    row = next(r for r in result.votes if r.member == "m6")
    assert (result.outcome, row.why, row.detail) == (
        "blocked", Why.EDITED_BY_OTHER, (("login", "an account GitHub did not name"),))
    matching = tally(snap(*FOUR, forged, comments_seen={51: seen("abstain")}), config(), NOW)
    assert (matching.abstentions, matching.objections) == (1, 0)
    emptied = comment("m6", "/govbot abstain", at(23), edited=True, ident=51, edited_by=())
    assert tally(snap(*FOUR, emptied), config(), NOW).objections == 1


def test_an_unconfirmed_objection_gives_way_to_the_members_next_vote() -> None:
    """The member's own later vote replaces it (the latest counts); a non-member's edited
    comment is no vote at all."""
    edited = comment("m6", "", at(23), edited=True, ident=51, edited_by=("writer",))
    again = comment("m6", "/govbot abstain", at(24), ident=52)
    result = tally(snap(*FOUR, edited, again, kinds=("governance",)), config(), NOW)
    assert (result.outcome, result.objections, result.abstentions) == ("pending", 0, 1)
    other = comment("outsider", "/govbot object", at(23), edited=True, edited_by=("writer",))
    assert tally(snap(*FOUR, other), config(), NOW).non_binding == ()


def test_a_deleted_objection_stands() -> None:
    """Deleting a member's objection comment does not delete the objection: it stands as
    recorded until the member retracts it."""
    result = tally(snap(*FOUR, kinds=("governance",), comments_seen={51: seen("object")}),
                   config(), NOW)
    row = next(r for r in result.votes if r.member == "m6")
    assert (result.outcome, row.vote, row.as_recorded, row.url) == (
        "blocked", "object", "deleted", "")
    retracted = tally(snap(*FOUR, comment("m6", "/govbot retract", at(24)),
                           kinds=("governance",), comments_seen={51: seen("object")}),
                      config(), NOW)
    assert retracted.objections == 0


def test_a_recorded_vote_cast_after_now_is_left_out() -> None:
    """A deleted comment's recorded vote takes part only from when it was cast."""
    s = snap(*FOUR, kinds=("governance",), comments_seen={51: seen("object", day=29)})
    assert tally(s, config(), at(28)).objections == 0
    assert tally(s, config(), NOW).objections == 1


def test_the_record_keeps_what_was_counted_and_adds_what_is_new() -> None:
    """govbot records each unedited member command (the last of its comment) and each
    member's approving or objecting review; an earlier record is kept, never dropped."""
    s = snap(review("m2", "APPROVED", at(21), ident=11),
             review("m3", "CHANGES_REQUESTED", at(21), ident=12),
             review("outsider", "APPROVED", at(21), ident=13),
             review("m5", "COMMENTED", at(21), ident=14),
             comment("m5", "/govbot abstain\n/govbot recuse conflict", at(22), ident=21),
             comment("outsider", "/govbot object", at(22), ident=22),
             comment("ghostbot[bot]", "/govbot object", at(22), ident=23),
             comment("m6", "/govbot object", at(23), edited=True, ident=24,
                     edited_by=("m6",)),
             comment("m3", "/govbot objet", at(23), ident=25),
             reviews_seen={9: "object"}, comments_seen={8: seen("object")})
    recorded = collect_events(s, config(), NOW).recorded
    assert recorded == {
        "c21": ["recuse", digest(Command("recuse", "conflict", 2)), "m5", None,
                "2026-11-22T12:00:00Z"],
        "c8": ["object", seen("object").line, "m6", 6, "2026-11-23T12:00:00Z"],
        "r11": ["approve"], "r12": ["object"], "r9": ["object"]}
    assert tally(s, config(), NOW).recorded == recorded


def test_an_unrecorded_dismissal_never_makes_quorum() -> None:
    """A dismissal govbot has no record of counts as an objection against the threshold
    but never toward quorum: dismissing a stale approval cannot turn it into turnout."""
    items = [approve("chair"), approve("m2"), approve("m5"),
             review("m3", "DISMISSED", at(22), commit=OLD, ident=77)]
    cfg = dataclasses.replace(config(), rules={
        **config().rules, "plan": dataclasses.replace(config().rules["plan"],
                                                      quorum=Fraction(4, 5))})
    result = tally(snap(*items, stale=(OLD,)), cfg, NOW)
    row = next(r for r in result.votes if r.member == "m3")
    assert (row.standing, result.objections, result.outcome) == (
        Standing.UNCONFIRMED, 1, "pending")
    assert result.needs == ("quorum: 3 of 4 votes",)


def test_votes_after_now_are_not_counted() -> None:
    """Issue 11: `govbot tally --now T` counts only votes cast at or before T."""
    s = snap(approve("chair", 21), approve("m2", 25), comment("m3", "/govbot object", at(26)))
    early = tally(s, config(), at(24))
    assert (early.approvals, early.objections) == (1, 0)
    assert [r.member for r in early.votes if r.at] == ["chair"]
    late = tally(s, config(), NOW)
    assert (late.approvals, late.objections) == (2, 1)


def test_a_review_with_no_commit_is_stale() -> None:
    """Issue 11: GitHub sets `commit_id` to null when the reviewed commit is gone; the
    approval is stale (nobody can tell what it approved), never a crash."""
    gone = dataclasses.replace(approve("m3"), commit_id=None)
    result = tally(snap(approve("chair"), approve("m2"), gone), config(), NOW)
    row = next(r for r in result.votes if r.member == "m3")
    assert (result.approvals, row.standing, row.why) == (2, Standing.STALE,
                                                         Why.STALE_NO_COMMIT)
    assert result.outcome == "pending"


def test_ready_at_is_the_authors_vote_time() -> None:
    """The author's own approval (author: approves) is cast when the PR became ready."""
    result = tally(snap(approve("chair"), author="m2"), config(), NOW)
    row = next(r for r in result.votes if r.member == "m2")
    assert (row.source, row.at) == ("author", dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))


def test_an_unconfirmed_objection_is_recorded_and_survives_a_deletion() -> None:
    """govbot records the unconfirmed objection (a digest no line has): deleting the
    comment afterwards leaves it standing, and the mark never confirms a command."""
    edited = comment("m6", "/govbot object", at(23), edited=True, ident=51,
                     edited_by=("writer",))
    s = snap(*FOUR, edited, kinds=("governance",))
    recorded = collect_events(s, config(), NOW).recorded
    assert recorded["c51"][:2] == ["object", "0" * 16]
    mark = RecordedVote("object", "0" * 16, "m6", 6, at(23))
    again = tally(snap(*FOUR, edited, kinds=("governance",), comments_seen={51: mark}),
                  config(), NOW)
    assert next(r for r in again.votes if r.member == "m6").why is Why.EDITED_BY_OTHER
    gone = tally(snap(*FOUR, kinds=("governance",), comments_seen={51: mark}), config(), NOW)
    row = next(r for r in gone.votes if r.member == "m6")
    assert (gone.outcome, row.standing, row.as_recorded) == (
        "blocked", Standing.UNCONFIRMED, "deleted")
