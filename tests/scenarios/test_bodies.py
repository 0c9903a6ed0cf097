"""Two governing bodies through `govbot run` against the stateful fake, on the example
repository's own governance.yml: the steering committee, and the Community Oversight
Council that must also approve changes to the code of conduct (`council.policy`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_github import FakeGitHub
from scenariokit import (
    BODY,
    HIRO,
    JOOST,
    PRIYA,
    SOFIA,
    Bot,
    bot_comments,
    checkout,
    fake_for,
    ok,
    vote,
)

RECORD = "decisions/0012-a-code-of-conduct-for-meetings.md"
ROSA, TOBI = ("rosa-lindqvist", 7720431), ("tadeyemi", 30518266)


def policy() -> bytes:
    return ("---\nid: 12\ntitle: A code of conduct for meetings\nkind: policy\n"
            "status: proposed\ncreated: 2026-11-20\nauthors: [hnakamura]\n---\n"
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


def test_a_change_to_the_code_of_conduct_needs_both_bodies(fake: FakeGitHub,
                                                           bot: Bot) -> None:
    """The steering committee's policy rule passes after 3 days, but the PR stays pending
    until the council's own rule passes too (two council approvals, 14 days); the comment
    shows each body's vote under its own heading, and Sofia, on both, counts in both."""
    number = fake.add_pull({RECORD: policy(), "CODE_OF_CONDUCT.md": b"Be kind.\n"},
                           login=HIRO[0], user_id=HIRO[1])
    fake.add_review(number, *JOOST, "APPROVED")
    fake.add_review(number, *SOFIA, "APPROVED")
    fake.add_review(number, *ROSA, "APPROVED")
    fake.tick(days=4)
    ok(bot.pr_event(number))
    assert vote(fake, number) == ("pending", "Pending (steering: 3 approve, 0 object; "
                                  "council: 2 approve, 0 object): needs council.policy rule: "
                                  "review period ends 2026-12-04 09:00 UTC")
    body = bot_comments(fake, number)[0]["body"]
    steering, council = body.split("### Steering Committee\n", 1)[1].split(
        "### Community Oversight Council\n", 1)
    assert "#### Rule: policy (approved)" in steering
    assert "#### Rule: council.policy (pending)" in council
    assert "Rosa Lindqvist" not in steering
    assert "Sofia Mendes (sofia-mendes)" in steering
    assert "Sofia Mendes (sofia-mendes)" in council
    fake.tick(days=11)
    ok(bot.schedule())
    assert vote(fake, number)[0] == "success"


def test_a_council_member_cannot_vote_in_the_steering_committee(fake: FakeGitHub,
                                                                 bot: Bot) -> None:
    """Hostile: two council members who do not sit on the steering committee approve a
    steering policy; their approvals are non-binding and the steering vote stays pending."""
    number = fake.add_pull({RECORD: policy()}, login=HIRO[0], user_id=HIRO[1])
    fake.add_review(number, *ROSA, "APPROVED")
    fake.add_review(number, *TOBI, "APPROVED")
    fake.tick(days=4)
    ok(bot.pr_event(number))
    assert vote(fake, number) == ("pending", "Pending (1 approve, 0 object, 0 abstain): needs "
                                  "quorum: 1 of 3 votes; 1 more approval")
    body = bot_comments(fake, number)[0]["body"]
    assert "### Community Oversight Council" not in body
    assert "a member of the Community Oversight Council, which does not decide this pull " \
        "request" in body
    fake.add_review(number, *PRIYA, "APPROVED")
    fake.add_review(number, *JOOST, "APPROVED")
    ok(bot.pr_event(number, "synchronize"))
    assert vote(fake, number)[0] == "success"


def test_a_motion_past_its_deadline_expires_and_is_recorded_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With `deadline: 5d` on the policy rule: the sweep after the deadline marks the PR
    expired (govbot/vote failure, saying when voting closed); an approval after it changes
    nothing; closing the PR records the motion as expired."""
    from govbot.model.records import parse_record
    from scenariokit import ROOT

    text = (ROOT / "governance.yml").read_bytes().replace(
        b"policy:     {quorum: 0.5,  threshold: majority, min_approvals: 2, review_period: 3d,",
        b"policy:     {quorum: 0.5,  threshold: majority, min_approvals: 2, review_period: 3d,"
        b" deadline: 5d,")
    assert b"deadline: 5d" in text
    gov = checkout(tmp_path / "gov", text)
    with fake_for(gov, monkeypatch) as fake:
        bot = Bot(fake, gov, tmp_path)
        number = fake.add_pull({RECORD: policy()}, login=HIRO[0], user_id=HIRO[1])
        ok(bot.pr_event(number))
        fake.tick(days=6)
        ok(bot.schedule())
        expired = ("failure", "Expired: voting closed 2026-11-25 09:00 UTC without approval")
        assert vote(fake, number) == expired
        assert fake.pulls[number].labels == ["govbot/blocked"]
        fake.add_review(number, *JOOST, "APPROVED")
        fake.add_review(number, *PRIYA, "APPROVED")
        ok(bot.pr_event(number, "synchronize"))
        assert vote(fake, number) == expired
        fake.close(number)
        ok(bot.pr_event(number, "closed"))
        record = parse_record(RECORD, fake.tree("main")[RECORD].decode())
        assert record.status == "expired"
        assert [v.member for v in record.votes] == ["hnakamura"]


def test_the_sweep_reminds_non_voters_once(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """With `remind: 1d` on the policy rule, the sweep a day before the review period ends
    posts one reminder naming only the roster logins that have not voted (not the author,
    who approves, nor Joost, who voted, nor Priya, who recused, nor anyone a comment names);
    the status comment says so; the next sweeps post nothing more."""
    from scenariokit import AMARA, DAWID, ROOT

    text = (ROOT / "governance.yml").read_bytes().replace(
        b"policy:     {quorum: 0.5,  threshold: majority, min_approvals: 2, review_period: 3d,",
        b"policy:     {quorum: 0.5,  threshold: majority, min_approvals: 2, review_period: 3d,"
        b" remind: 1d,")
    assert b"remind: 1d" in text
    gov = checkout(tmp_path / "gov", text)
    with fake_for(gov, monkeypatch) as fake:
        bot = Bot(fake, gov, tmp_path)
        number = fake.add_pull({RECORD: policy()}, login=HIRO[0], user_id=HIRO[1])
        ok(bot.pr_event(number))
        fake.add_review(number, *JOOST, "APPROVED")
        fake.add_comment(number, *PRIYA, "/govbot recuse I drafted the text")
        fake.add_comment(number, "mallory", 6660666, "/govbot object cc @victim @org/team")
        fake.tick(days=1)
        ok(bot.schedule())
        assert [c for c in fake.comments_on(number) if "govbot:reminder" in c["body"]] == []
        fake.tick(days=1, hours=1)
        ok(bot.schedule())
        reminders = [c for c in fake.comments_on(number) if "govbot:reminder" in c["body"]]
        assert len(reminders) == 1
        body = reminders[0]["body"]
        mentions = sorted(w.strip(".,") for w in body.split() if w.startswith("@"))
        assert mentions == sorted(f"@{m[0]}" for m in (AMARA, DAWID, SOFIA))
        assert "the review period ends 2026-11-23 09:00 UTC" in body
        assert "were reminded" in bot_comments(fake, number)[0]["body"]
        fake.tick(hours=2)
        fake.reset_calls()
        ok(bot.schedule())
        ok(bot.pr_event(number, "synchronize"))
        assert [c for c in fake.comments_on(number) if "govbot:reminder" in c["body"]] == \
            reminders
        assert fake.writes == [], fake.summary()


def test_the_secretary_records_a_meeting_vote_and_no_one_else_can(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through issue_comment events: with a secretary on the roster and `recorded_votes:
    true` on the policy rule, the secretary's `/govbot record` counts as the member's vote
    (shown 'recorded by'); the same command from a member who is not an officer is shown as
    ignored and counts nothing; an edit of the secretary's comment changes nothing."""
    from scenariokit import DAWID, ROOT, SOFIA

    text = (ROOT / "governance.yml").read_bytes().replace(
        b"policy:     {quorum: 0.5,  threshold: majority, min_approvals: 2, review_period: 3d,",
        b"policy:     {quorum: 0.5,  threshold: majority, min_approvals: 2, review_period: 3d,"
        b" recorded_votes: true,").replace(
        b"committee:\n  - login: amara-osei\n",
        b"committee:\n  - {login: mbrandt, id: 8801234, name: Martina Brandt, role: secretary,"
        b" from: 2025-01-01}\n  - login: amara-osei\n")
    assert b"recorded_votes: true" in text
    assert b"mbrandt" in text
    gov = checkout(tmp_path / "gov", text)
    with fake_for(gov, monkeypatch) as fake:
        bot = Bot(fake, gov, tmp_path)
        number = fake.add_pull({RECORD: policy()}, login=HIRO[0], user_id=HIRO[1])
        ok(bot.pr_event(number))
        forged = fake.add_comment(number, *DAWID, "/govbot record sofia-mendes approve")
        ok(bot.comment_event(number, forged))
        body = bot_comments(fake, number)[0]["body"]
        assert "only the secretary or the chair of the Committee may record" not in body
        assert "only the secretary or the chair of the Steering Committee may record" in body
        assert "1 approve" in vote(fake, number)[1]
        minutes = fake.add_comment(number, "mbrandt", 8801234,
                                   "/govbot record sofia-mendes approve minutes of 2026-11-20")
        ok(bot.comment_event(number, minutes))
        body = bot_comments(fake, number)[0]["body"]
        assert "| counted | [2026-11-20 09:00 UTC](https://github.com/org/governance/pull/1" \
            "#issuecomment-1006) | cast outside GitHub, recorded by mbrandt: minutes of " \
            "2026-11-20 |" in body
        assert "2 approve" in vote(fake, number)[1]
        fake.tick(minutes=5)
        fake.edit_comment(minutes["id"], "mallory", 6660666,
                          "/govbot record sofia-mendes object")
        ok(bot.comment_event(number, fake.comments[minutes["id"]], "edited"))
        assert "2 approve, 0 object" in vote(fake, number)[1]
        assert SOFIA[0] in body
