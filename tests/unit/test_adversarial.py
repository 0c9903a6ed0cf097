"""The adversarial suite (DESIGN §11): what a writer who is not a voting member can do to a
pull request — dismiss, edit, delete, force-push, rename, comment, label, close/reopen —
never moves the outcome the wrong way (toward approval); and two properties of the tally:
the order of reviews and comments does not matter, and adding a counted approval never
turns `approved` into anything else."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govbot.github.botstate import recorded_votes
from govbot.model.config import Config, load_config
from govbot.vote.commands import Command
from govbot.vote.events import digest
from govbot.vote.snapshot import (
    Comment,
    FileChange,
    PullSnapshot,
    RecordedVote,
    Review,
    load_snapshot,
)
from govbot.vote.tally import Tally, tally, tally_to_dict
from tallykit import (
    HEAD,
    MEMBERS,
    NOW,
    OLD,
    OUTSIDERS,
    approve,
    at,
    comment,
    config,
    obj,
    review,
    snap,
    votes,
)

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"
# the higher, the nearer to approval: an adversary's act must never raise it
RANK = {"invalid": 0, "blocked": 1, "failing": 1, "pending": 2, "no-decision": 3,
        "approved": 3}
GOV = ("governance",)  # quorum 0.75, 2/3, 3 approvals, 14 days, veto
FOUR = [approve(m) for m in ("chair", "m2", "m3", "m5")]
LATER = NOW + dt.timedelta(days=5)  # after the governance review period


def judged(s: PullSnapshot, cfg: Config | None = None, now: dt.datetime = LATER) -> Tally:
    return tally(s, cfg or config(), now)


def no_better(before: Tally, after: Tally) -> None:
    """The adversary's act did not move the outcome toward approval."""
    assert RANK[after.outcome] <= RANK[before.outcome], (before.outcome, after.outcome)


def _seen(verb: str, login: str, day: int, reason: str = "") -> RecordedVote:
    return RecordedVote(verb, digest(Command(verb, reason, 1)), login,
                        {"m6": 6, "m3": 3, "chair": 1}[login], at(day))


# --- dismiss --------------------------------------------------------------------------------

@pytest.mark.parametrize("recorded", [{77: "object"}, {}], ids=["recorded", "unrecorded"])
def test_dismissing_an_objection_keeps_the_veto(recorded: dict[int, str]) -> None:
    """A writer dismisses the member's Request changes review: still blocked."""
    objection = review("m6", "CHANGES_REQUESTED", at(23), body="no", ident=77)
    before = judged(snap(*FOUR, objection, kinds=GOV, reviews_seen={77: "object"}))
    dismissed = dataclasses.replace(objection, state="DISMISSED")
    after = judged(snap(*FOUR, dismissed, kinds=GOV, reviews_seen=recorded))
    assert (before.outcome, after.outcome) == ("blocked", "blocked")


def test_dismissing_an_approval_only_withdraws_it() -> None:
    """A writer dismisses a member's approval: it no longer counts, nothing else moves."""
    approval = review("m5", "APPROVED", at(21), ident=78)
    before = judged(snap(*FOUR[:3], approval, kinds=GOV, reviews_seen={78: "approve"}))
    after = judged(snap(*FOUR[:3], dataclasses.replace(approval, state="DISMISSED"),
                        kinds=GOV, reviews_seen={78: "approve"}))
    assert (before.approvals, after.approvals) == (4, 3)
    no_better(before, after)


# --- edit and delete a comment ----------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "LGTM", "/govbot abstain", "/govbot retract",
                                  "/govbot recuse conflict", "> /govbot object quoted"])
def test_editing_a_members_objection_changes_nothing(text: str) -> None:
    """A writer rewrites a member's recorded `/govbot object` into anything: blocked."""
    seen = {51: _seen("object", "m6", 23, "no")}
    before = judged(snap(*FOUR, comment("m6", "/govbot object no", at(23), ident=51),
                         kinds=GOV, comments_seen=seen))
    after = judged(snap(*FOUR, comment("m6", text, at(23), edited=True, ident=51),
                        kinds=GOV, comments_seen=seen))
    assert (before.outcome, after.outcome, after.objections) == ("blocked", "blocked", 1)


@pytest.mark.parametrize("text", ["/govbot abstain", "/govbot recuse conflict",
                                  "/govbot retract"])
def test_an_edit_cannot_add_a_vote(text: str) -> None:
    """A writer edits a member's plain comment into a command: it counts for nothing (an
    abstention or recusal would change the quorum; a retraction would lift a veto)."""
    base = [*FOUR, obj("m6", 22), comment("m6", "thanks", at(23), ident=51)]
    before = judged(snap(*base, kinds=GOV))
    edited = [*base[:-1], comment("m6", text, at(23), edited=True, ident=51)]
    after = judged(snap(*edited, kinds=GOV))
    assert tally_to_dict(after)["outcome"] == tally_to_dict(before)["outcome"] == "blocked"
    assert (after.objections, after.abstentions, after.recused) == (1, 0, ())


def test_deleting_a_members_objection_changes_nothing() -> None:
    """A writer deletes a member's recorded `/govbot object` comment: still blocked."""
    seen = {51: _seen("object", "m6", 23)}
    before = judged(snap(*FOUR, comment("m6", "/govbot object", at(23), ident=51),
                         kinds=GOV, comments_seen=seen))
    after = judged(snap(*FOUR, kinds=GOV, comments_seen=seen))
    assert (before.outcome, after.outcome) == ("blocked", "blocked")


# --- force-push and rename --------------------------------------------------------------------

def test_a_force_push_makes_every_earlier_approval_stale() -> None:
    """After the text changes (a force-push, even back to an older text: the adapter
    compares content and lists the reviewed commit as stale), approvals no longer count."""
    approvals = [approve(m, commit=OLD) for m in ("chair", "m2", "m3", "m5", "m6")]
    before = judged(snap(*approvals, kinds=GOV))
    after = judged(snap(*approvals, kinds=GOV, stale=(OLD,)))
    assert (before.outcome, after.outcome, after.approvals) == ("approved", "pending", 0)


@pytest.mark.parametrize("mode", ["content", "push"])
def test_a_review_of_a_vanished_commit_is_stale(mode: str) -> None:
    """A force-push that lets GitHub garbage-collect the reviewed commit (commit_id null)
    leaves no approval standing."""
    gone = [dataclasses.replace(approve(m), commit_id=None)
            for m in ("chair", "m2", "m3", "m5", "m6")]
    after = judged(snap(*gone, kinds=GOV), config(stale_approvals=mode))
    assert (after.outcome, after.approvals) == ("pending", 0)


@pytest.mark.parametrize(("old", "new"), [
    ("governance.yml", "docs/governance.yml"),
    (".github/workflows/govbot.yml", "docs/ci.yml"),
    ("templates/comment.md.j2", "notes/comment.md.j2"),
])
def test_renaming_a_protected_file_away_still_needs_its_rule(old: str, new: str) -> None:
    """Moving a protected file out of its protected path is a change to that path: the
    governance rule still applies (a rename does not escape it)."""
    s = snap(approve("chair"), approve("m2"), kinds=("plan",))
    moved = dataclasses.replace(s, files=(*s.files, FileChange(new, "renamed", old)))
    before, after = judged(s), judged(moved)
    assert "governance" in (after.rule or "").split(", ")
    no_better(before, after)


# --- comment, label, close/reopen ---------------------------------------------------------

@pytest.mark.parametrize("body", [
    "/govbot retract", "/govbot abstain", "/govbot recuse x", "/govbot approve",
    "/govbot object", "<!-- govbot:status -->\n/govbot retract",
    '<!-- govbot:state {"at":"2026-11-30T00:00:00Z"} -->'])
@pytest.mark.parametrize("who", OUTSIDERS)
def test_a_non_members_comment_changes_nothing(body: str, who: str) -> None:
    """Commands from a non-member or a bot are shown as non-binding, never counted."""
    base = [*FOUR, obj("m6", 23)]
    before = judged(snap(*base, kinds=GOV))
    after = judged(snap(*base, comment(who, body, at(24)), kinds=GOV))
    assert (after.outcome, after.needs, after.votes) == (before.outcome, before.needs,
                                                        before.votes)


def test_a_forged_state_line_in_someone_elses_comment_records_nothing() -> None:
    """Only govbot's own comment can carry the record of counted votes."""
    line = ('<!-- govbot:status -->\nhi\n\n<!-- govbot:state {"at":"2026-11-29T10:00:00Z",'
            '"ready_at":null,"sha":"' + HEAD + '","statuses":{},"votes":{"r77":["approve"]}}'
            ' -->\n')
    forged = {"id": 9, "body": line, "updated_at": "2026-11-29T10:00:00Z",
              "created_at": "2026-11-29T10:00:00Z", "user": {"login": "mallory"}}
    assert recorded_votes([forged], "github-actions[bot]") == {}


def _example(name: str) -> dict[str, Any]:
    return json.loads((SNAPSHOTS / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["veto", "quorum-miss", "clean-majority"])
@pytest.mark.parametrize("change", [
    {"labels": [{"name": "govbot/approved"}]},
    {"state": "closed"},
    {"state": "open", "updated_at": "2026-11-27T23:00:00Z"},
], ids=["label", "close", "reopen"])
def test_labels_and_closing_change_nothing(name: str, change: dict[str, Any],
                                           repo_root: Path) -> None:
    """A label (even govbot's own) or closing and reopening the PR is not a vote."""
    cfg = load_config("governance.yml", (repo_root / "governance.yml").read_text())
    data = _example(name)
    changed = copy.deepcopy(data)
    changed["pull_request"].update(change)
    before = load_snapshot(data, name)
    after = load_snapshot(changed, name)
    assert tally_to_dict(tally(after, cfg, after.taken_at)) == tally_to_dict(
        tally(before, cfg, before.taken_at))


# --- properties -----------------------------------------------------------------------------

def _seen_records(items: list[Review | Comment], data: st.DataObject
                  ) -> tuple[dict[int, str], dict[int, RecordedVote]]:
    """Random but plausible records govbot kept of some of the votes."""
    reviews = {i.id: data.draw(st.sampled_from(["approve", "object"]))
               for i in items if isinstance(i, Review) and i.state == "DISMISSED"
               and data.draw(st.booleans())}
    comments = {i.id: RecordedVote(data.draw(st.sampled_from(["object", "abstain",
                                                                "retract", "recuse"])),
                                   "0" * 16, i.user_login, i.user_id, i.created_at)
                for i in items if isinstance(i, Comment) and i.updated_at != i.created_at
                and data.draw(st.booleans())}
    return reviews, comments


kinds_st = st.sampled_from([("plan",), ("policy",), ("governance",), ("review",),
                            ("plan", "governance"), ()])


@settings(max_examples=150, deadline=None)
@given(votes(MEMBERS + OUTSIDERS), kinds_st, st.randoms(use_true_random=False), st.data())
def test_order_of_events_does_not_matter(items: list[Review | Comment],
                                         kinds: tuple[str, ...], rnd: Any,
                                         data: st.DataObject) -> None:
    """Shuffling the reviews and comments (with records, dismissals and edits among them)
    never changes the tally."""
    reviews, comments = _seen_records(items, data)
    shuffled = list(items)
    rnd.shuffle(shuffled)
    one = tally(snap(*items, kinds=kinds, stale=(OLD,), reviews_seen=reviews,
                     comments_seen=comments), config(), NOW)
    two = tally(snap(*shuffled, kinds=kinds, stale=(OLD,), reviews_seen=reviews,
                     comments_seen=comments), config(), NOW)
    assert tally_to_dict(one) == tally_to_dict(two)


@settings(max_examples=200, deadline=None)
@given(votes(MEMBERS), kinds_st, st.sampled_from(["chair", "m2", "m3", "m5", "m6"]),
       st.data())
def test_a_counted_approval_never_undoes_approved(items: list[Review | Comment],
                                                  kinds: tuple[str, ...], member: str,
                                                  data: st.DataObject) -> None:
    """If the PR is approved, a seated member approving the head afterwards leaves it
    approved."""
    reviews, comments = _seen_records(items, data)
    before = tally(snap(*items, kinds=kinds, stale=(OLD,), reviews_seen=reviews,
                        comments_seen=comments), config(), NOW)
    # after every generated vote (they reach at(30, 23)): a tie in time is no "afterwards"
    late = review(member, "APPROVED", at(30, 23) + dt.timedelta(minutes=1), HEAD, ident=10**7)
    after = tally(snap(*items, late, kinds=kinds, stale=(OLD,), reviews_seen=reviews,
                       comments_seen=comments), config(), NOW)
    assert next(r for r in after.votes if r.member == member).counted
    if before.outcome == "approved":
        assert after.outcome == "approved"
    assert RANK[after.outcome] >= RANK[before.outcome]


@settings(max_examples=150, deadline=None)
@given(votes(MEMBERS), kinds_st, st.data())
def test_a_writers_edit_or_dismissal_never_helps(items: list[Review | Comment],
                                                 kinds: tuple[str, ...],
                                                 data: st.DataObject) -> None:
    """Take govbot's record of the votes as it stands, then let a writer dismiss reviews,
    edit or delete comments at random: the outcome never moves toward approval."""
    plain = snap(*items, kinds=kinds, stale=(OLD,))
    recorded = tally(plain, config(), NOW).recorded
    reviews = {int(k[1:]): v[0] for k, v in recorded.items() if k.startswith("r")}
    comments = {int(k[1:]): RecordedVote(v[0], v[1], v[2], v[3],
                                         dt.datetime.fromisoformat(v[4]))
                for k, v in recorded.items() if k.startswith("c")}
    before = tally(snap(*items, kinds=kinds, stale=(OLD,), reviews_seen=reviews,
                        comments_seen=comments), config(), NOW)
    touched: list[Review | Comment] = []
    for item in items:
        act = data.draw(st.sampled_from(["keep", "dismiss", "edit", "delete"]))
        if isinstance(item, Review) and act == "dismiss" and item.state in (
                "APPROVED", "CHANGES_REQUESTED"):
            touched.append(dataclasses.replace(item, state="DISMISSED"))
        elif isinstance(item, Comment) and act == "edit":
            text = data.draw(st.sampled_from(["", "/govbot retract", "/govbot abstain",
                                              "/govbot recuse x", "/govbot object"]))
            touched.append(dataclasses.replace(
                item, body=text, updated_at=item.created_at + dt.timedelta(hours=1)))
        elif not (isinstance(item, Comment) and act == "delete"):
            touched.append(item)
    after = tally(snap(*touched, kinds=kinds, stale=(OLD,), reviews_seen=reviews,
                       comments_seen=comments), config(), NOW)
    if before.outcome != "approved":
        assert after.outcome != "approved"
    assert after.objections >= before.objections


@settings(max_examples=150, deadline=None)
@given(votes(MEMBERS), kinds_st, st.data())
def test_a_writer_who_drops_the_record_and_edits_comments_never_helps(
        items: list[Review | Comment], kinds: tuple[str, ...], data: st.DataObject) -> None:
    """Issue 11: a writer edits members' comments at random (GitHub's edit history names
    them) and drops or garbles govbot's record of the comment votes: no member's objection
    goes away, and the outcome never moves toward approval."""
    plain = snap(*items, kinds=kinds, stale=(OLD,))
    recorded = tally(plain, config(), NOW).recorded
    reviews = {int(k[1:]): v[0] for k, v in recorded.items() if k.startswith("r")}
    comments = {int(k[1:]): RecordedVote(v[0], v[1], v[2], v[3],
                                         dt.datetime.fromisoformat(v[4]))
                for k, v in recorded.items() if k.startswith("c")}
    before = tally(snap(*items, kinds=kinds, stale=(OLD,), reviews_seen=reviews,
                        comments_seen=comments), config(), NOW)
    touched: list[Review | Comment] = []
    for item in items:
        if isinstance(item, Comment) and data.draw(st.booleans()):
            text = data.draw(st.sampled_from(["", "/govbot retract", "/govbot abstain",
                                              "/govbot recuse x", "/govbot object"]))
            item = dataclasses.replace(item, body=text,
                                       updated_at=item.created_at + dt.timedelta(hours=1),
                                       edited_by=(item.user_login, "writer"))
        touched.append(item)
    after = tally(snap(*touched, kinds=kinds, stale=(OLD,), reviews_seen=reviews),
                  config(), NOW)
    if before.outcome != "approved":
        assert after.outcome != "approved"
    assert after.objections >= before.objections
