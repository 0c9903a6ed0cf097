"""A pull request closed unmerged, through `govbot run` on a `pull_request_target: closed`
event against the stateful fake: a motion put to the vote leaves its record on the default
branch (rejected, expired or withdrawn, with its votes); a drive-by PR leaves nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_github import FakeGitHub
from govbot.model.records import parse_record
from scenariokit import (
    AMARA,
    BODY,
    DAWID,
    HIRO,
    JOOST,
    PRIYA,
    SOFIA,
    Bot,
    checkout,
    fake_for,
    ok,
)

RECORD = "decisions/0012-publish-minutes-within-a-week.md"
COMMITS = "/repos/{owner}/{repo}/git/commits"
REF = "/repos/{owner}/{repo}/git/refs/{ref}"


def policy(number: int = 12, status: str = "proposed") -> bytes:
    """A policy proposal."""
    return (f"---\nid: {number}\ntitle: Publish minutes within a week\nkind: policy\n"
            f"status: {status}\ncreated: 2026-11-20\nauthors: [hnakamura]\n---\n"
            + BODY).encode()


@pytest.fixture
def gov(tmp_path: Path) -> Path:
    return checkout(tmp_path / "gov")


@pytest.fixture
def fake(gov: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    with fake_for(gov, monkeypatch) as api:
        yield api


@pytest.fixture
def bot(fake: FakeGitHub, gov: Path, tmp_path: Path) -> Bot:
    return Bot(fake, gov, tmp_path)


def closed(fake: FakeGitHub, bot: Bot, number: int) -> str:
    """Close the PR unmerged and run govbot on the `closed` event; its output."""
    fake.tick(hours=1)
    fake.close(number)
    return ok(bot.pr_event(number, "closed")).output


def main_record(fake: FakeGitHub, path: str = RECORD) -> object:
    return parse_record(path, fake.tree("main")[path].decode())


def test_a_motion_voted_down_is_recorded_as_rejected(fake: FakeGitHub, bot: Bot) -> None:
    """Four objections against the author's approval: the vote is failing; closing the PR
    commits the record to main as rejected, with decided, pr and every counted vote, and
    the changelog lists it under its own heading. One commit; a re-run writes nothing."""
    number = fake.add_pull({RECORD: policy()}, login=HIRO[0], user_id=HIRO[1])
    fake.tick(hours=2)
    for member in (JOOST, PRIYA, SOFIA, DAWID):
        fake.add_review(number, *member, "CHANGES_REQUESTED", "Not yet.")
    before = fake.branches["main"]
    output = closed(fake, bot, number)
    assert f"recorded {RECORD} as rejected" in output
    record = main_record(fake)
    assert (record.status, record.pr, record.decided) == (  # type: ignore[attr-defined]
        "rejected", number, dt.date(2026, 11, 20))
    assert sorted((v.member, v.vote) for v in record.votes) == [  # type: ignore[attr-defined]
        ("dkowalczyk", "object"), ("hnakamura", "approve"), ("jvandenberg", "object"),
        ("priya-raman", "object"), ("sofia-mendes", "object")]
    assert fake.commits[fake.branches["main"]]["parents"] == [before]
    changelog = fake.tree("main")["CHANGELOG.md"].decode()
    assert "## Motions not adopted" in changelog
    assert "- rejected 2026-11-20: [#12 Publish minutes within a week]" in changelog
    exported = json.loads(fake.tree("main")["decisions.json"])
    assert [r["status"] for r in exported["records"] if r["id"] == 12] == ["rejected"]
    assert fake.count("POST", COMMITS) == 1

    fake.reset_calls()
    assert "already recorded" in ok(bot.pr_event(number, "closed")).output
    assert fake.writes == []


def test_a_member_closing_their_own_motion_withdraws_it(fake: FakeGitHub, bot: Bot) -> None:
    """A seated member's proposal, one approval, closed while pending: withdrawn."""
    number = fake.add_pull({RECORD: policy()}, login=HIRO[0], user_id=HIRO[1])
    fake.add_review(number, *AMARA, "APPROVED")
    closed(fake, bot, number)
    record = main_record(fake)
    assert record.status == "withdrawn"  # type: ignore[attr-defined]
    assert sorted(v.member for v in record.votes) == [  # type: ignore[attr-defined]
        "amara-osei", "hnakamura"]


def test_a_drive_by_pull_request_leaves_nothing(fake: FakeGitHub, bot: Bot) -> None:
    """A PR from someone who is not seated, with no counted vote, writes nothing at all;
    a non-member's review is not a counted vote."""
    number = fake.add_pull({RECORD: policy()}, login="mallory", user_id=666)
    fake.add_review(number, "eve", 777, "APPROVED")
    before = fake.branches["main"]
    fake.reset_calls()
    output = closed(fake, bot, number)
    assert "nothing to record: nobody voted and its author is not a seated member" in output
    assert fake.branches["main"] == before
    assert fake.writes == []


def test_a_non_members_motion_with_a_counted_vote_is_recorded(fake: FakeGitHub,
                                                              bot: Bot) -> None:
    """Once a member has voted, a non-member's proposal was put to the vote: recorded."""
    number = fake.add_pull({RECORD: policy()}, login="mallory", user_id=666)
    fake.add_review(number, *PRIYA, "CHANGES_REQUESTED", "No.")
    closed(fake, bot, number)
    record = main_record(fake)
    assert record.status == "withdrawn"  # type: ignore[attr-defined]
    assert [(v.member, v.vote) for v in record.votes] == [  # type: ignore[attr-defined]
        ("priya-raman", "object")]


def test_a_vote_cast_after_the_close_does_not_count(fake: FakeGitHub, bot: Bot) -> None:
    """The motion is judged as it stood when the PR closed: an objection posted later
    cannot turn a withdrawal into a rejection, nor add a vote to the minutes."""
    number = fake.add_pull({RECORD: policy()}, login=HIRO[0], user_id=HIRO[1])
    fake.tick(hours=1)
    fake.close(number)
    fake.tick(hours=1)
    for member in (JOOST, PRIYA, SOFIA, DAWID):
        fake.add_review(number, *member, "CHANGES_REQUESTED", "Late.")
    ok(bot.pr_event(number, "closed"))
    record = main_record(fake)
    assert record.status == "withdrawn"  # type: ignore[attr-defined]
    assert [v.member for v in record.votes] == ["hnakamura"]  # type: ignore[attr-defined]


def test_a_colliding_id_is_renumbered(fake: FakeGitHub, bot: Bot) -> None:
    """Another record 12 reached main meanwhile: the closed motion is recorded as 13."""
    number = fake.add_pull({RECORD: policy()}, login=HIRO[0], user_id=HIRO[1])
    other = policy().replace(b"Publish minutes within a week", b"Other").replace(
        b"proposed", b"accepted").replace(b"---\n## Context", b"decided: 2026-11-20\npr: 9\n"
                                          b"votes: []\n---\n## Context")
    fake.commit("main", {"decisions/0012-other.md": other}, "another decision")
    closed(fake, bot, number)
    tree = fake.tree("main")
    assert RECORD not in tree
    moved = parse_record("p", tree["decisions/0013-publish-minutes-within-a-week.md"].decode())
    assert (moved.id, moved.status) == (13, "withdrawn")


def test_a_moved_branch_is_reread_and_nothing_is_lost(fake: FakeGitHub, bot: Bot) -> None:
    """main moves while govbot commits (non-fast-forward): it re-reads and redoes."""
    number = fake.add_pull({RECORD: policy()}, login=HIRO[0], user_id=HIRO[1])
    fake.fail("PATCH", REF, 422, message="Update is not a fast forward")
    closed(fake, bot, number)
    assert main_record(fake).status == "withdrawn"  # type: ignore[attr-defined]
    assert fake.count("PATCH", REF) == 2


def test_drafts_and_draft_records_are_not_motions(fake: FakeGitHub, bot: Bot) -> None:
    """A draft PR, or a PR whose records are drafts, put nothing to the vote."""
    draft_pr = fake.add_pull({RECORD: policy()}, login=HIRO[0], user_id=HIRO[1], draft=True)
    assert "it was still a draft" in closed(fake, bot, draft_pr)
    draft_record = fake.add_pull({RECORD: policy(status="draft")}, login=HIRO[0],
                                 user_id=HIRO[1])
    assert "it proposed no record" in closed(fake, bot, draft_record)
    assert RECORD not in fake.tree("main")


def test_an_invalid_motion_is_not_recorded(fake: FakeGitHub, bot: Bot) -> None:
    """Records with check findings cannot be recorded as they stand: nothing is written."""
    bad = policy().replace(b"## Consequences\n\ne\n", b"")
    number = fake.add_pull({RECORD: bad}, login=HIRO[0], user_id=HIRO[1])
    assert "1 check finding(s)" in closed(fake, bot, number)
    assert RECORD not in fake.tree("main")


def test_a_merged_pull_request_is_left_to_publish(fake: FakeGitHub, bot: Bot) -> None:
    """A merge is publish's to record: the closed handler writes nothing."""
    number = fake.add_pull({RECORD: policy()}, login=HIRO[0], user_id=HIRO[1])
    fake.merge(number)
    fake.reset_calls()
    assert "govbot publish records its decision" in ok(bot.pr_event(number, "closed")).output
    assert fake.calls == []


def test_a_dry_run_says_what_it_would_record(fake: FakeGitHub, bot: Bot) -> None:
    """`govbot run --dry-run` reads, judges and says; it commits nothing."""
    number = fake.add_pull({RECORD: policy()}, login=HIRO[0], user_id=HIRO[1])
    fake.close(number)
    result = ok(bot.run("pull_request_target", {"action": "closed", "number": number,
                                                "pull_request": bot.pull(number)},
                        "--dry-run"))
    assert f"would record {RECORD} as withdrawn (dry run)" in result.output
    assert fake.writes == []


def test_the_record_keeps_the_communitys_voice(fake: FakeGitHub, bot: Bot) -> None:
    """Voices of people not on the committee are kept apart in the record, as `community`,
    and never among the votes."""
    number = fake.add_pull({RECORD: policy()}, login=HIRO[0], user_id=HIRO[1])
    fake.add_comment(number, "a-funder", 5550001, "/govbot concern this costs too much")
    fake.tick(minutes=1)
    fake.add_review(number, "a-contributor", 5550002, "APPROVED")
    closed(fake, bot, number)
    record = parse_record(RECORD, fake.tree("main")[RECORD].decode())
    assert [v.member for v in record.votes] == ["hnakamura"]
    assert [(v["login"], v["voice"], v.get("reason")) for v in record.front["community"]] == [
        ("a-funder", "concern", "this costs too much"), ("a-contributor", "support", None)]
