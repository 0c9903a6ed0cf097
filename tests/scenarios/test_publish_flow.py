"""Publishing a merge against the stateful fake GitHub: one commit, idempotent reruns,
retries on a moved ref, and overrides recorded visibly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_github import FakeGitHub
from govbot.github.client import GitHubClient
from govbot.github.publish import publish_github
from govbot.model.records import parse_record

ROOT = Path(__file__).resolve().parents[2]
CONFIG = (ROOT / "governance.yml").read_bytes()
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
BODY = "## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n"
OLD = ("---\nid: 1\ntitle: Old policy\nkind: policy\nstatus: accepted\ncreated: 2026-01-01\n"
       "authors: [amara-osei]\ndecided: 2026-01-10\npr: 1\nvotes: []\n---\n" + BODY).encode()
NEW = ("---\nid: 2\ntitle: New policy  # keep this comment\nkind: policy\nstatus: proposed\n"
       "created: 2026-11-20\nauthors: [amara-osei]\nsupersedes: [1]\n---\n" + BODY).encode()
MEMBERS = (("jvandenberg", 918273), ("priya-raman", 22604519), ("sofia-mendes", 41177026))


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    """A repository with the example roster and one accepted policy record."""
    files = {"governance.yml": CONFIG, "decisions/0001-old-policy.md": OLD}
    with FakeGitHub(files, now=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)) as api:
        yield api


def _client() -> GitHubClient:
    return GitHubClient("org/governance", token="t", retry=None,
                        seconds_between_requests=None, seconds_between_writes=None)


def _merge(fake: FakeGitHub, approvals: int) -> int:
    number = fake.add_pull({"decisions/0002-new-policy.md": NEW}, login="amara-osei",
                           user_id=3184562)
    fake.tick(hours=2)
    for login, user_id in MEMBERS[:approvals]:
        fake.add_review(number, login, user_id, "APPROVED")
    fake.tick(days=4)
    fake.merge(number)
    return number


def test_merge_makes_exactly_one_commit_and_a_rerun_none(fake: FakeGitHub) -> None:
    """An approved merge gives one commit with the stamped record, the superseded one and
    the generated files; publishing again commits nothing."""
    number = _merge(fake, approvals=2)
    before = fake.branches["main"]
    sha = publish_github(_client(), "main", numbers=[number], now=NOW)
    assert sha == fake.branches["main"]
    assert fake.commits[sha]["parents"] == [before]
    tree = fake.tree("main")
    assert sorted(tree) == ["CHANGELOG.md", "PLAN.md", "decisions.json",
                            "decisions/0001-old-policy.md", "decisions/0002-new-policy.md",
                            "governance.yml"]
    new = parse_record("n", tree["decisions/0002-new-policy.md"].decode())
    old = parse_record("o", tree["decisions/0001-old-policy.md"].decode())
    assert (new.status, new.pr, new.decided) == ("accepted", number, dt.date(2026, 11, 24))
    assert [(v.member, v.id) for v in new.votes] == [  # ids from governance.yml's roster
        ("amara-osei", 3184562), ("jvandenberg", 918273), ("priya-raman", 22604519)]
    assert "override" not in new.front
    assert "title: New policy  # keep this comment\n" in tree[
        "decisions/0002-new-policy.md"].decode()
    assert (old.status, old.superseded_by) == ("superseded", 2)
    assert b"Merged without an approved vote" not in tree["CHANGELOG.md"]
    assert publish_github(_client(), "main", numbers=[number], now=NOW) is None
    assert fake.branches["main"] == sha
    assert fake.count("POST", "/repos/{owner}/{repo}/git/commits") == 1


def test_merged_pr_is_found_through_the_api_when_the_event_names_none(
        fake: FakeGitHub) -> None:
    """With no PR number given (a dispatch, or a push whose messages name none), publish
    asks GitHub which merged PR brought the tip in, and stamps that PR's record."""
    number = _merge(fake, approvals=2)
    sha = publish_github(_client(), "main", numbers=None, now=NOW)
    assert sha == fake.branches["main"]
    new = parse_record("n", fake.tree("main")["decisions/0002-new-policy.md"].decode())
    assert (new.status, new.pr) == ("accepted", number)
    assert fake.count("GET", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls") == 1


def test_open_pr_heads_are_not_taken_for_merged_prs(fake: FakeGitHub) -> None:
    """An open PR whose head is the tip commit is not a merge: nothing is stamped."""
    number = fake.add_pull({"decisions/0002-new-policy.md": NEW}, login="amara-osei",
                           user_id=3184562)
    assert _client().merged_pulls_for_commit(fake.pulls[number].head_sha) == []


def test_moved_ref_is_retried_and_loses_nothing(fake: FakeGitHub,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """When main moves between reading and committing, publish re-reads and redoes: the
    other commit stays and the stamp lands on top of it."""
    number = _merge(fake, approvals=2)
    client = _client()
    real = client.commit_files
    calls: list[str] = []

    def racing(branch: str, parent: str, files: dict[str, bytes | None], message: str
               ) -> str | None:
        if not calls:
            fake.commit("main", {"README.md": b"someone else's change\n"}, "other")
        calls.append(parent)
        return real(branch, parent, files, message)

    monkeypatch.setattr(client, "commit_files", racing)
    sha = publish_github(client, "main", numbers=[number], now=NOW)
    assert len(calls) == 2
    assert sha == fake.branches["main"]
    tree = fake.tree("main")
    assert tree["README.md"] == b"someone else's change\n"
    assert parse_record("n", tree["decisions/0002-new-policy.md"].decode()).status == "accepted"


def test_a_ref_that_keeps_moving_fails_loudly(fake: FakeGitHub) -> None:
    """After the bounded retries publish raises and main is unchanged."""
    from govbot.model.errors import GitHubError

    number = _merge(fake, approvals=2)
    before = fake.branches["main"]
    fake.fail("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}", 422, times=3,
              message="Update is not a fast forward")
    with pytest.raises(GitHubError, match="kept moving while publishing"):
        publish_github(_client(), "main", numbers=[number], now=NOW)
    assert fake.branches["main"] == before


def test_override_is_recorded(fake: FakeGitHub) -> None:
    """A merge with too few approvals is stamped with `override` and marked in the changelog."""
    number = _merge(fake, approvals=0)
    publish_github(_client(), "main", numbers=[number], now=NOW)
    tree = fake.tree("main")
    new = parse_record("n", tree["decisions/0002-new-policy.md"].decode())
    assert new.status == "accepted"
    assert new.front["override"]["outcome"] == "pending"
    assert b"**Merged without an approved vote**" in tree["CHANGELOG.md"]


def test_an_invalid_pr_with_enough_approvals_is_stamped_as_an_override(fake: FakeGitHub) -> None:
    """Publish judges the merged PR with the same judgement as `govbot run` (checks, then
    tally): a record with a check finding (an unknown front-matter key) is `invalid` on the
    PR however many approve, so merging it anyway is an override, never plain accepted."""
    bad = NEW.replace(b"kind: policy\n", b"kind: policy\nowner: finance\n")
    number = fake.add_pull({"decisions/0002-new-policy.md": bad}, login="amara-osei",
                           user_id=3184562)
    fake.tick(hours=2)
    for login, user_id in MEMBERS:
        fake.add_review(number, login, user_id, "APPROVED")
    fake.tick(days=4)
    fake.merge(number)
    publish_github(_client(), "main", numbers=[number], now=NOW)
    new = parse_record("n", fake.tree("main")["decisions/0002-new-policy.md"].decode())
    assert new.status == "accepted"
    assert new.front["override"]["outcome"] == "invalid"


def test_votes_after_the_merge_do_not_count(fake: FakeGitHub) -> None:
    """Members approving (by review) and objecting (by comment) after an override merge do
    not change the final tally: the record stays an override with the votes of merge time."""
    number = _merge(fake, approvals=0)
    fake.tick(hours=1)
    for login, user_id in MEMBERS:
        fake.add_review(number, login, user_id, "APPROVED")
    fake.add_comment(number, "hnakamura", 67281904, "/object too late")
    publish_github(_client(), "main", numbers=[number], now=NOW)
    tree = fake.tree("main")
    new = parse_record("n", tree["decisions/0002-new-policy.md"].decode())
    assert new.front["override"]["outcome"] == "pending"
    assert [(v.member, v.id, v.vote) for v in new.votes] == [
        ("amara-osei", 3184562, "approve")]
    assert b"**Merged without an approved vote** (outcome pending" in tree["CHANGELOG.md"]


def test_the_audit_record_keeps_recusals_abstentions_and_reasons(fake: FakeGitHub) -> None:
    """A recusal and an abstention (comment commands) and an objection (a review) are
    stamped with the members' own words, next to the approvals."""
    number = fake.add_pull({"decisions/0002-new-policy.md": NEW}, login="amara-osei",
                           user_id=3184562)
    fake.tick(hours=1)
    fake.add_comment(number, "priya-raman", 22604519,
                     '/govbot recuse I advise the vendor "Acme" (see minutes 2026-11)')
    fake.tick(minutes=1)
    fake.add_comment(number, "hnakamura", 67281904, "/govbot abstain")
    fake.tick(minutes=1)
    fake.add_review(number, "sofia-mendes", 41177026, "CHANGES_REQUESTED",
                    "Too costly.\n\nSee #12.")
    fake.tick(minutes=1)
    fake.add_review(number, "jvandenberg", 918273, "APPROVED")
    fake.tick(days=4)
    fake.merge(number)
    publish_github(_client(), "main", numbers=[number], now=NOW)
    text = fake.tree("main")["decisions/0002-new-policy.md"].decode()
    record = parse_record("n", text)
    assert [(v.member, v.vote, v.reason) for v in record.votes] == [
        ("amara-osei", "approve", ""),
        ("priya-raman", "recuse", 'I advise the vendor "Acme" (see minutes 2026-11)'),
        ("hnakamura", "abstain", ""),
        ("sofia-mendes", "object", "Too costly.\n\nSee #12."),
        ("jvandenberg", "approve", "")]
    assert 'reason: "I advise the vendor \\"Acme\\" (see minutes 2026-11)"}' in text


def test_two_prs_that_picked_the_same_id(fake: FakeGitHub) -> None:
    """Two PRs both add record 2: the one published first keeps it, the second is renamed
    to the next free id in the same single commit as its stamp."""
    first = _merge(fake, approvals=2)
    publish_github(_client(), "main", numbers=[first], now=NOW)
    other = NEW.replace(b"title: New policy  # keep this comment", b"title: Other policy") \
        .replace(b"supersedes: [1]\n", b"related: [1]\n")
    second = fake.add_pull({"decisions/0002-other-policy.md": other}, login="amara-osei",
                           user_id=3184562, head_ref="other")
    fake.add_review(second, "jvandenberg", 918273, "APPROVED")
    fake.add_review(second, "priya-raman", 22604519, "APPROVED")
    fake.tick(days=4)
    fake.merge(second)
    before = fake.count("POST", "/repos/{owner}/{repo}/git/commits")
    publish_github(_client(), "main", numbers=[second], now=NOW)
    assert fake.count("POST", "/repos/{owner}/{repo}/git/commits") == before + 1
    tree = fake.tree("main")
    assert "decisions/0002-other-policy.md" not in tree
    moved = parse_record("m", tree["decisions/0003-other-policy.md"].decode())
    kept = parse_record("k", tree["decisions/0002-new-policy.md"].decode())
    assert (moved.id, moved.status, moved.pr) == (3, "accepted", second)
    assert (kept.id, kept.pr) == (2, first)


def test_publish_in_actions_reads_the_push_event(fake: FakeGitHub, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`govbot publish` finds the merged PR in the push event's merge commit message."""
    import json

    from govbot.github.publish import publish_actions

    number = _merge(fake, approvals=2)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({
        "after": fake.branches["main"], "repository": {"default_branch": "main"},
        "head_commit": {"message": f"Merge pull request #{number} from org/proposal"}}))
    monkeypatch.setattr(GitHubClient, "from_env", classmethod(lambda cls, *a, **k: _client()))
    env = {"GITHUB_REPOSITORY": "org/governance", "GITHUB_EVENT_PATH": str(event)}
    sha = publish_actions(None, None, env)
    assert sha == fake.branches["main"]
    record = parse_record("n", fake.tree("main")["decisions/0002-new-policy.md"].decode())
    assert (record.status, record.pr) == ("accepted", number)


def test_a_pr_too_large_to_list_is_not_stamped_but_the_rest_is_published(
        fake: FakeGitHub) -> None:
    """A force-merged PR of 3,001 files (GitHub lists 3,000) cannot be read whole, so its
    records stay proposed, visibly undecided; the other merged PR is stamped and the outputs
    regenerated in the one commit, then publish fails (exit 1) naming the PR and the fix.
    A re-run commits nothing more and says so."""
    from govbot.github.publish import NotStamped

    filler = {f"assets/{i:04d}.txt": b"x\n" for i in range(3000)}
    big = fake.add_pull({"decisions/0002-new-policy.md": NEW, **filler}, login="amara-osei",
                        user_id=3184562)
    fake.tick(days=4)
    fake.merge(big)
    other = NEW.replace(b"id: 2", b"id: 3").replace(b"supersedes: [1]\n", b"") \
        .replace(b"title: New policy  # keep this comment", b"title: Other policy")
    small = fake.add_pull({"decisions/0003-other-policy.md": other}, login="amara-osei",
                          user_id=3184562, head_ref="other")
    fake.add_review(small, "jvandenberg", 918273, "APPROVED")
    fake.add_review(small, "priya-raman", 22604519, "APPROVED")
    fake.tick(days=4)
    fake.merge(small)
    before = fake.branches["main"]
    with pytest.raises(NotStamped) as info:
        publish_github(_client(), "main", numbers=[big, small], now=NOW)
    sha = fake.branches["main"]
    assert fake.commits[sha]["parents"] == [before]
    assert info.value.exit_code == 1
    assert str(info.value) == (
        f"committed {sha}, but govbot could not list every file of pull request #{big} "
        "(3,001 changed; GitHub lists at most 3,000), so it did not stamp its records: they "
        "stay proposed and out of CHANGELOG.md, PLAN.md and decisions.json. To record the "
        "decision, commit its records to main directly with status: accepted, decided, "
        f"pr: {big}, votes and override: {{merged_by: <who merged it>, outcome: unknown}}, "
        "or revert the merge and propose them in a smaller pull request")
    tree = fake.tree("main")
    unstamped = parse_record("n", tree["decisions/0002-new-policy.md"].decode())
    stamped = parse_record("o", tree["decisions/0003-other-policy.md"].decode())
    assert (unstamped.status, unstamped.pr, "override" in unstamped.front) == (
        "proposed", None, False)
    assert (stamped.status, stamped.pr) == ("accepted", small)
    assert b"Other policy" in tree["CHANGELOG.md"]
    assert b"New policy" not in tree["CHANGELOG.md"]
    assert parse_record("x", tree["decisions/0001-old-policy.md"].decode()).status == "accepted"

    with pytest.raises(NotStamped, match=r"^nothing else needed publishing, but govbot could "):
        publish_github(_client(), "main", numbers=[big], now=NOW)
    assert fake.branches["main"] == sha
