"""Publishing against the stateful fake GitHub backed by real git: the records come from a
checkout (a clone of the fake's store), the merged PRs from the API, and the commit goes
through the Git Data API. Publish is a reconciliation: every run records every merged
record left proposed, and every decided record changed without a vote."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_github import FakeGitHub
from govbot.git.publish import Checkout
from govbot.github.client import GitHubClient
from govbot.github.publish import publish_github
from govbot.model.errors import UsageError
from govbot.model.records import parse_record
from govbot.publish.reconcile import NotStamped, Result, finish

ROOT = Path(__file__).resolve().parents[2]
CONFIG = (ROOT / "governance.yml").read_bytes()
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
BODY = "## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n"
OLD = ("---\nid: 1\ntitle: Old policy\nkind: policy\nstatus: accepted\ncreated: 2026-01-01\n"
       "authors: [amara-osei]\ndecided: 2026-01-10\npr: 1\nvotes: []\n---\n" + BODY).encode()
NEW = ("---\nid: 2\ntitle: New policy  # keep this comment\nkind: policy\nstatus: proposed\n"
       "created: 2026-11-20\nauthors: [amara-osei]\nsupersedes: [1]\n---\n" + BODY).encode()
MEMBERS = (("jvandenberg", 918273), ("priya-raman", 22604519), ("sofia-mendes", 41177026))
PATH2 = "decisions/0002-new-policy.md"
COMMITS = "/repos/{owner}/{repo}/git/commits"


def policy(number: int, title: str, **extra: str) -> bytes:
    """A proposed policy record."""
    lines = "".join(f"{key}: {value}\n" for key, value in extra.items())
    return (f"---\nid: {number}\ntitle: {title}\nkind: policy\nstatus: proposed\n"
            f"created: 2026-11-20\nauthors: [amara-osei]\n{lines}---\n" + BODY).encode()


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeGitHub]:
    """A repository with the example roster and one accepted policy record, its objects in
    a real git store."""
    files = {"governance.yml": CONFIG, "decisions/0001-old-policy.md": OLD}
    with FakeGitHub(files, now=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC),
                    git=tmp_path / "origin.git") as api:
        yield api


def _client() -> GitHubClient:
    return GitHubClient("org/governance", token="t", retry=None,
                        seconds_between_requests=None, seconds_between_writes=None)


def _checkout(fake: FakeGitHub) -> Checkout:
    """The workflow's checkout of the default branch as it is now."""
    assert fake.git is not None
    root = fake.git.path.parent
    return Checkout(fake.clone(root / f"checkout-{len(list(root.iterdir()))}"))


def _publish(fake: FakeGitHub, pr: int | None = None,
             checkout: Checkout | None = None) -> Result:
    return publish_github(_client(), checkout or _checkout(fake), "main", pr=pr, now=NOW)


def _merge(fake: FakeGitHub, approvals: int, files: dict[str, bytes] | None = None,
           method: str = "merge", head_ref: str = "proposal") -> int:
    number = fake.add_pull(files or {PATH2: NEW}, login="amara-osei", user_id=3184562,
                           head_ref=head_ref)
    fake.tick(hours=2)
    for login, user_id in MEMBERS[:approvals]:
        fake.add_review(number, login, user_id, "APPROVED")
    fake.tick(days=4)
    fake.merge(number, method)
    return number


def _record(fake: FakeGitHub, path: str = PATH2) -> object:
    return parse_record(path, fake.tree("main")[path].decode())


def test_merge_makes_exactly_one_commit_and_a_rerun_none(fake: FakeGitHub) -> None:
    """An approved merge gives one commit with the stamped record, the superseded one and
    the generated files; publishing again commits nothing."""
    number = _merge(fake, approvals=2)
    before = fake.branches["main"]
    fake.reset_calls()
    result = _publish(fake)
    assert result == Result(fake.branches["main"], ())
    assert fake.commits[fake.branches["main"]]["parents"] == [before]
    tree = fake.tree("main")
    assert sorted(tree) == ["CHANGELOG.md", "PLAN.md", "decisions.json",
                            "decisions/0001-old-policy.md", PATH2, "governance.yml"]
    new = parse_record("n", tree[PATH2].decode())
    old = parse_record("o", tree["decisions/0001-old-policy.md"].decode())
    assert (new.status, new.pr, new.decided) == ("accepted", number, dt.date(2026, 11, 24))
    assert [(v.member, v.id) for v in new.votes] == [  # ids from governance.yml's roster
        ("amara-osei", 3184562), ("jvandenberg", 918273), ("priya-raman", 22604519)]
    assert "override" not in new.front
    assert "title: New policy  # keep this comment\n" in tree[PATH2].decode()
    assert (old.status, old.superseded_by) == ("superseded", 2)
    assert b"Merged without an approved vote" not in tree["CHANGELOG.md"]
    assert fake.summary() == [
        "GET /repos/{owner}/{repo}/git/ref/{ref}",
        "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls",
        "GET /repos/{owner}/{repo}/pulls/{pull_number}/files", "POST /graphql GovbotPull",
        "POST /repos/{owner}/{repo}/git/trees", "POST /repos/{owner}/{repo}/git/commits",
        "PATCH /repos/{owner}/{repo}/git/refs/{ref}"]
    assert _publish(fake) == Result(None, ())
    assert fake.count("POST", COMMITS) == 1
    assert not fake.commits[fake.branches["main"]]["message"].startswith("Merge")


def test_every_record_a_failed_run_left_is_stamped_by_the_next(fake: FakeGitHub) -> None:
    """Two PRs merge and their publish runs fail (or are cancelled): the next run, for
    whatever push, stamps both records, each with its own PR's vote, in one commit."""
    first = _merge(fake, approvals=2)
    second = _merge(fake, approvals=0, files={"decisions/0003-third.md": policy(3, "Third")},
                    head_ref="third")
    fake.commit("main", {"README.md": b"unrelated\n"}, "Unrelated direct push")
    result = _publish(fake)
    assert result.sha == fake.branches["main"]
    assert result.left == ()
    new, third = _record(fake), _record(fake, "decisions/0003-third.md")
    assert (new.status, new.pr, "override" in new.front) == ("accepted", first, False)
    assert (third.status, third.pr) == ("accepted", second)
    assert third.front["override"] == {"merged_by": "jvandenberg", "outcome": "pending"}
    assert fake.count("POST", COMMITS) == 1
    assert fake.commits[result.sha]["message"].startswith(
        f"Record the decision of #{first}, #{second}\n")


def test_a_squash_merge_is_found_through_its_commit(fake: FakeGitHub) -> None:
    """A squash-merged PR is found from its single commit on main."""
    number = _merge(fake, approvals=2, method="squash")
    assert len(fake.commits[fake.branches["main"]]["parents"]) == 1
    assert _publish(fake).left == ()
    assert (_record(fake).status, _record(fake).pr) == ("accepted", number)


def test_a_direct_push_naming_an_open_pr_is_not_stamped_with_its_votes(
        fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A vote-less direct push whose message reads like a merge of an approved open PR is
    not that PR: nothing is stamped, and publish names the commit and what to do."""
    from govbot.github.publish import publish_actions

    number = fake.add_pull({PATH2: NEW}, login="amara-osei", user_id=3184562)
    for login, user_id in MEMBERS:
        fake.add_review(number, login, user_id, "APPROVED")
    fake.tick(days=4)
    sha = fake.commit("main", {PATH2: NEW}, f"Merge pull request #{number} from org/proposal",
                      author="mallory")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({
        "after": sha, "repository": {"default_branch": "main"},
        "head_commit": {"message": f"Merge pull request #{number} from org/proposal"},
        "commits": [{"message": f"Merge pull request #{number} from org/proposal"}]}))
    monkeypatch.setattr(GitHubClient, "from_env", classmethod(lambda cls, *a, **k: _client()))
    checkout = _checkout(fake)
    env = {"GITHUB_REPOSITORY": "org/governance", "GITHUB_EVENT_PATH": str(event)}
    result = publish_actions(checkout.root, None, env)
    assert _record(fake).status == "proposed"
    assert [(item.path, item.message[:80]) for item in result.left] == [
        (PATH2, f"no merged pull request brought it in: commit {sha[:12]} by mallory put it "
                "on main d"[:80])]
    with pytest.raises(NotStamped, match=rf"^committed {result.sha}, but these proposed "
                       rf"records were not stamped:\n{PATH2}: no merged pull request"):
        finish(result)
    with pytest.raises(UsageError, match=rf"pull request #{number} was not merged into main"):
        _publish(fake, pr=number)


def test_a_record_changed_after_the_vote_is_not_stamped(fake: FakeGitHub) -> None:
    """When the text on main is not the text the PR put to the vote (edited by a direct
    push after the merge), the PR's approvals do not decide it: it stays proposed."""
    _merge(fake, approvals=2)
    edited = NEW.replace(b"\nd\n", b"\nsomething else entirely\n")
    fake.commit("main", {PATH2: edited}, "Tweak the decision")
    result = _publish(fake)
    assert _record(fake).status == "proposed"
    assert [item.path for item in result.left] == [PATH2]
    assert "no merged pull request brought it in: commit" in result.left[0].message


def test_a_merge_commit_that_changed_the_text_is_not_stamped(fake: FakeGitHub) -> None:
    """A merge that resolved the record differently from the PR's head (here: a PR branch
    whose text main had already changed) is not stamped with the PR's vote."""
    number = fake.add_pull({PATH2: NEW}, login="amara-osei", user_id=3184562)
    for login, user_id in MEMBERS[:2]:
        fake.add_review(number, login, user_id, "APPROVED")
    fake.tick(days=4)
    fake.merge(number)
    fake.pulls[number].head_sha = fake.push(number, {PATH2: NEW + b"\nlater\n"})
    fake.pulls[number].merged = True
    result = _publish(fake, pr=number)
    assert _record(fake).status == "proposed"
    assert [(item.path, item.message.split(",")[0]) for item in result.left] == [
        (PATH2, f"its text on main is not the text pull request #{number} put to the vote "
                "(it changed after the vote")]


def test_moved_ref_is_fetched_and_redone_and_loses_nothing(
        fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    """When main moves between reading and committing, publish fetches the new tip,
    re-reads and redoes: the other commit stays and the stamp lands on top of it."""
    number = _merge(fake, approvals=2)
    checkout = _checkout(fake)
    client = _client()
    real = client.commit_files
    calls: list[str] = []

    def racing(branch: str, parent: str, files: dict[str, bytes | None], message: str,
               **options: str | None) -> str | None:
        if not calls:
            fake.commit("main", {"README.md": b"someone else's change\n"}, "other")
        calls.append(parent)
        return real(branch, parent, files, message, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(client, "commit_files", racing)
    result = publish_github(client, checkout, "main", now=NOW)
    assert len(calls) == 2
    assert calls[0] != calls[1]
    assert result.sha == fake.branches["main"]
    tree = fake.tree("main")
    assert tree["README.md"] == b"someone else's change\n"
    assert (_record(fake).status, _record(fake).pr) == ("accepted", number)


def test_a_tip_newer_than_the_checkout_is_fetched_first(fake: FakeGitHub) -> None:
    """A PR merged after the workflow's checkout is stamped by the same run: publish
    fetches the tip it is about to commit on."""
    checkout = _checkout(fake)
    number = _merge(fake, approvals=2)
    assert publish_github(_client(), checkout, "main", now=NOW).left == ()
    assert (_record(fake).status, _record(fake).pr) == ("accepted", number)


def test_a_ref_that_keeps_moving_fails_loudly(fake: FakeGitHub) -> None:
    """After the bounded retries publish raises and main is unchanged."""
    from govbot.model.errors import GitHubError

    _merge(fake, approvals=2)
    before = fake.branches["main"]
    fake.fail("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}", 422, times=3,
              message="Update is not a fast forward")
    with pytest.raises(GitHubError, match="kept moving while publishing"):
        _publish(fake)
    assert fake.branches["main"] == before


def test_override_is_recorded(fake: FakeGitHub) -> None:
    """A merge with too few approvals is stamped with `override` (naming who merged it)
    and marked in the changelog."""
    _merge(fake, approvals=0)
    _publish(fake)
    new = _record(fake)
    assert new.status == "accepted"
    assert new.front["override"] == {"merged_by": "jvandenberg", "outcome": "pending"}
    assert b"**Merged without an approved vote**" in fake.tree("main")["CHANGELOG.md"]


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
    assert _publish(fake).left == ()
    new = _record(fake)
    assert new.status == "accepted"
    assert new.front["override"]["outcome"] == "invalid"


def test_votes_after_the_merge_do_not_count(fake: FakeGitHub) -> None:
    """Members approving (by review) and objecting (by comment) after an override merge do
    not change the final tally: the record stays an override with the votes of merge time."""
    _merge(fake, approvals=0)
    fake.tick(hours=1)
    for login, user_id in MEMBERS:
        fake.add_review(number := fake.pulls[max(fake.pulls)].number, login, user_id,
                        "APPROVED")
    fake.add_comment(number, "hnakamura", 67281904, "/govbot object too late")
    _publish(fake)
    new = _record(fake)
    assert new.front["override"]["outcome"] == "pending"
    assert [(v.member, v.id, v.vote) for v in new.votes] == [
        ("amara-osei", 3184562, "approve")]
    assert b"**Merged without an approved vote** (outcome pending" in \
        fake.tree("main")["CHANGELOG.md"]


def test_the_audit_record_keeps_recusals_abstentions_and_reasons(fake: FakeGitHub) -> None:
    """A recusal and an abstention (comment commands) and an objection (a review) are
    stamped with the members' own words, next to the approvals."""
    number = fake.add_pull({PATH2: NEW}, login="amara-osei", user_id=3184562)
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
    _publish(fake)
    text = fake.tree("main")[PATH2].decode()
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
    _publish(fake)
    other = policy(2, "Other policy", related="[1]")
    second = _merge(fake, approvals=2, files={"decisions/0002-other-policy.md": other},
                    head_ref="other")
    before = fake.count("POST", COMMITS)
    _publish(fake)
    assert fake.count("POST", COMMITS) == before + 1
    tree = fake.tree("main")
    assert "decisions/0002-other-policy.md" not in tree
    moved = parse_record("m", tree["decisions/0003-other-policy.md"].decode())
    kept = parse_record("k", tree[PATH2].decode())
    assert (moved.id, moved.status, moved.pr) == (3, "accepted", second)
    assert (kept.id, kept.pr) == (2, first)


def test_two_unpublished_prs_with_the_same_id_keep_their_merge_order(fake: FakeGitHub) -> None:
    """Both merged before any publish run: the PR that merged first keeps the id."""
    first = _merge(fake, approvals=2)
    second = _merge(fake, approvals=2, head_ref="other", files={
        "decisions/0002-other-policy.md": policy(2, "Other policy")})
    assert _publish(fake).left == ()
    tree = fake.tree("main")
    assert parse_record("k", tree[PATH2].decode()).pr == first
    assert parse_record("m", tree["decisions/0003-other-policy.md"].decode()).pr == second


def test_a_pr_too_large_to_list_is_not_stamped_but_the_rest_is_published(
        fake: FakeGitHub) -> None:
    """A force-merged PR of 3,001 files (GitHub lists 3,000) cannot be read whole, so its
    records stay proposed, visibly undecided; the other merged PR is stamped and the outputs
    regenerated in the one commit, then publish fails (exit 1) naming the PR and the fix.
    A re-run commits nothing more and says so."""
    filler = {f"assets/{i:04d}.txt": b"x\n" for i in range(3000)}
    big = _merge(fake, approvals=0, files={PATH2: NEW, **filler})
    small = _merge(fake, approvals=2, head_ref="other", files={
        "decisions/0003-other-policy.md": policy(3, "Other policy")})
    before = fake.branches["main"]
    result = _publish(fake)
    sha = fake.branches["main"]
    assert (result.sha, fake.commits[sha]["parents"]) == (sha, [before])
    assert [item.path for item in result.left] == [PATH2]
    with pytest.raises(NotStamped) as info:
        finish(result)
    assert info.value.exit_code == 1
    assert str(info.value) == (
        f"committed {sha}, but these proposed records were not stamped:\n{PATH2}: govbot "
        f"could not list every file of pull request #{big} (3,001 changed; GitHub lists at "
        "most 3,000), so it did not stamp its records: they stay proposed and out of "
        "CHANGELOG.md, PLAN.md and decisions.json. Revert the merge and propose them in a "
        "smaller pull request (or record the decision by hand on main, which publish then "
        "lists as a change made without a vote)")
    tree = fake.tree("main")
    unstamped = parse_record("n", tree[PATH2].decode())
    stamped = parse_record("o", tree["decisions/0003-other-policy.md"].decode())
    assert (unstamped.status, unstamped.pr, "override" in unstamped.front) == (
        "proposed", None, False)
    assert (stamped.status, stamped.pr) == ("accepted", small)
    assert b"Other policy" in tree["CHANGELOG.md"]
    assert b"New policy" not in tree["CHANGELOG.md"]
    again = _publish(fake)
    assert (again.sha, [item.path for item in again.left]) == (None, [PATH2])
    with pytest.raises(NotStamped, match=r"^nothing else needed publishing, but "):
        finish(again)
    assert fake.branches["main"] == sha


# --- decided records changed without a vote -----------------------------------------------

def test_an_accepted_record_edited_or_deleted_without_a_vote_is_an_override(
        fake: FakeGitHub) -> None:
    """A direct edit of an accepted record, then a deletion of another, are each recorded
    once, naming the commit and its author, in decisions.json and the changelog; they
    stay on record through later runs and `govbot render`."""
    _merge(fake, approvals=2)
    _publish(fake)
    edit = fake.commit("main", {PATH2: fake.tree("main")[PATH2].replace(b"\nd\n", b"\nD!\n")},
                       "Fix a typo", author="mallory")
    result = _publish(fake)
    assert result.left == ()
    export = json.loads(fake.tree("main")["decisions.json"])
    assert export["overrides"] == [{"path": PATH2, "id": 2, "title": "New policy",
                                    "change": "edited", "commit": edit, "by": "mallory",
                                    "date": "2026-11-24"}]
    changelog = fake.tree("main")["CHANGELOG.md"].decode()
    web = "https://github.com/openinfra-foundation/governance"
    assert (f"- 2026-11-24: [#2 New policy]({web}/blob/HEAD/{PATH2}) was **edited without "
            f"a vote**, in commit [{edit[:12]}]({web}/commit/{edit}) by mallory") in changelog
    assert "Recorded as an override: decisions/0002-new-policy.md edited without a vote" \
        in fake.commits[result.sha]["message"]
    assert _publish(fake) == Result(None, ())
    gone = fake.commit("main", {"decisions/0001-old-policy.md": None}, "Tidy up",
                       author="mallory")
    _publish(fake)
    overrides = json.loads(fake.tree("main")["decisions.json"])["overrides"]
    assert [(o["path"], o["change"], o["commit"]) for o in overrides] == [
        (PATH2, "edited", edit), ("decisions/0001-old-policy.md", "deleted", gone)]


def test_an_accepted_record_added_directly_is_an_override(fake: FakeGitHub) -> None:
    """A record pushed straight to main as accepted, with votes nobody cast, is recorded
    as added without a vote; one `govbot import` brought in is history, not an override."""
    _merge(fake, approvals=2)
    _publish(fake)
    forged = OLD.replace(b"id: 1\n", b"id: 3\n").replace(b"Old policy", b"Forged")
    imported = OLD.replace(b"id: 1\n", b"id: 4\n").replace(
        b"votes: []\n", b"votes: []\nimported: {from: adr-tools, source: doc/adr/4.md}\n")
    sha = fake.commit("main", {"decisions/0003-forged.md": forged,
                               "decisions/0004-imported.md": imported}, "Add", author="eve")
    _publish(fake)
    overrides = json.loads(fake.tree("main")["decisions.json"])["overrides"]
    assert [(o["path"], o["change"], o["commit"], o["by"]) for o in overrides] == [
        ("decisions/0003-forged.md", "added", sha, "eve")]


def test_a_retirement_decided_by_an_approved_pr_is_not_an_override(fake: FakeGitHub) -> None:
    """An approved PR that retires an accepted record (its status, beside the new policy
    that lists it under related) changes a decided record with a vote."""
    _merge(fake, approvals=2)
    _publish(fake)
    retired = fake.tree("main")[PATH2].replace(b"status: accepted", b"status: retired")
    _merge(fake, approvals=2, head_ref="retire", files={
        PATH2: retired, "decisions/0003-retire.md": policy(3, "Retire it", related="[2]")})
    assert _publish(fake).left == ()
    assert _record(fake).status == "retired"
    assert _record(fake, "decisions/0003-retire.md").status == "accepted"
    export = json.loads(fake.tree("main")["decisions.json"])
    assert export["overrides"] == []


# --- stale approvals, and --pr --------------------------------------------------------------

@pytest.mark.parametrize("method", ["merge", "squash"])
def test_an_approval_of_an_older_text_is_stale_at_publish(fake: FakeGitHub, method: str) -> None:
    """Approvals given before the record changed do not count at publish either (the same
    reading of the PR as `govbot run`'s): the record is stamped as an override."""
    number = fake.add_pull({PATH2: NEW}, login="amara-osei", user_id=3184562)
    fake.tick(hours=2)
    for login, user_id in MEMBERS[:2]:
        fake.add_review(number, login, user_id, "APPROVED")
    fake.push(number, {PATH2: NEW.replace(b"\nd\n", b"\nchanged after the approvals\n")})
    fake.tick(days=4)
    fake.merge(number, method)
    del fake.branches[f"pr-{number}"]  # "delete the head branch" after merging
    assert _publish(fake).left == ()
    assert _record(fake).front["override"]["outcome"] == "pending"


def test_a_named_pr_records_what_the_history_cannot_attribute(fake: FakeGitHub) -> None:
    """A merged record edited on main and then restored by direct pushes has a direct push
    as its last change, so no PR is found; `--pr N` names the PR that proposed it, and since
    the text is the one voted on, its vote decides it."""
    number = _merge(fake, approvals=2)
    fake.commit("main", {PATH2: NEW + b"\noops\n"}, "Oops")
    fake.commit("main", {PATH2: NEW}, "Undo the oops")
    assert [item.path for item in _publish(fake).left] == [PATH2]
    assert _publish(fake, pr=number).left == ()
    assert (_record(fake).status, _record(fake).pr) == ("accepted", number)


# --- property: any merges, any failed runs, then one good run -------------------------------

FAILURES = {  # how a publish run can fail half-way: nothing reaches main
    "snapshot": ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", 502),
    "commit": ("POST", "/repos/{owner}/{repo}/git/commits", 502),
    "ref": ("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}", 500),
}
STEPS = st.one_of(
    st.tuples(st.just("merge"), st.integers(0, 3), st.sampled_from(["merge", "squash"]),
              st.booleans()),
    st.tuples(st.just("publish"), st.sampled_from([None, "cancelled", *FAILURES])),
    st.tuples(st.just("push"), st.just(0), st.just(""), st.just(False)),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEPS, min_size=1, max_size=6))
def test_any_merges_and_failed_runs_end_with_every_record_stamped_once(
        steps: list[tuple[object, ...]]) -> None:
    """For any sequence of merges (approved or not, merge or squash, some reusing an id),
    unrelated pushes and publish runs that succeed, fail half-way or never run, one good
    publish run leaves every merged record accepted exactly once, with its own PR's number,
    ids unique, and nothing proposed; a further run changes nothing."""
    import tempfile

    from govbot.model.errors import GovbotError

    with tempfile.TemporaryDirectory() as tmp, FakeGitHub(
            {"governance.yml": CONFIG, "decisions/0001-old-policy.md": OLD},
            now=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), git=Path(tmp) / "o.git") as fake:
        merged: list[int] = []
        for step in steps:
            if step[0] == "merge":
                _, approvals, method, reuse = step
                number_id = 2 if reuse else 10 + len(merged)
                path = f"decisions/{number_id:04d}-p{len(merged)}.md"
                files = {path: policy(number_id, f"P{len(merged)}")}
                merged.append(_merge(fake, int(str(approvals)), files, str(method),
                                     f"b{len(merged)}"))
            elif step[0] == "push":
                fake.commit("main", {"README.md": f"{len(fake.commits)}\n".encode()}, "docs")
            elif step[1] != "cancelled":
                if step[1] is not None:
                    method_, template, status = FAILURES[str(step[1])]
                    fake.fail(method_, template, status)
                try:
                    _publish(fake)
                except GovbotError:
                    assert step[1] is not None
                fake._failures.clear()
        assert _publish(fake).left == ()
        tree = fake.tree("main")
        records = [parse_record(p, d.decode()) for p, d in tree.items()
                   if p.startswith("decisions/")]
        assert sorted(r.pr or 0 for r in records if r.id != 1) == merged
        assert [r.path for r in records if r.status == "proposed"] == []
        assert len({r.id for r in records}) == len(records)
        for record in records:
            fields = [line.split(":")[0] for line in record.text.split("---")[1].splitlines()]
            assert all(fields.count(key) == 1 for key in ("status", "decided", "pr", "votes"))
        assert _publish(fake) == Result(None, ())
