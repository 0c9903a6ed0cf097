"""The publish run's edges: `govbot publish --local` in a real git repository, the checkout
publishing reads, and the request budget of `govbot publish` against strict mocks."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import responses
from click.testing import CliRunner
from responses import matchers

from fake_github import FakeGitHub
from govbot.cli.main import main
from govbot.model.records import StampedVote, parse_record
from govbot.publish.reconcile import as_of, final_vote
from govbot.record.stamp import FinalVote

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "tests" / "snapshots" / "clean-majority.json"
RECORD = "decisions/0012-regional-convenings.md"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with the example history, then a merge commit adding record 12."""
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "config", "user.name", "Chair Person")
    _git(tmp_path, "config", "user.email", "chair@example.org")
    shutil.copy(ROOT / "governance.yml", tmp_path / "governance.yml")
    shutil.copytree(ROOT / "decisions", tmp_path / "decisions")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "history")
    data = json.loads(SNAPSHOT.read_text())
    (tmp_path / RECORD).write_text(data["records"][RECORD])
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "Merge pull request #41 from jvandenberg/convenings")
    return tmp_path


def _publish(repo: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["publish", "--local", "--repo", str(repo), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_local_publish_with_snapshot_records_the_votes(repo: Path) -> None:
    """With the PR's snapshot, the record is accepted with the counted votes, in one commit;
    a second run commits nothing."""
    before = _git(repo, "rev-parse", "HEAD").strip()
    output = _publish(repo, "--snapshot", str(SNAPSHOT))
    assert output.startswith("committed ")
    assert _git(repo, "rev-parse", "HEAD~1").strip() == before
    changed = _git(repo, "diff", "--name-only", "HEAD~1", "HEAD").split()
    assert changed == ["CHANGELOG.md", "PLAN.md", "decisions.json", RECORD]
    record = parse_record(RECORD, (repo / RECORD).read_text())
    assert (record.status, record.pr) == ("accepted", 41)
    assert record.votes
    assert "override" not in record.front
    assert _git(repo, "status", "--porcelain") == ""
    assert _publish(repo, "--snapshot", str(SNAPSHOT)) == (
        "nothing to publish: already up to date\n")


def test_local_publish_of_an_invalid_pr_records_an_override(repo: Path, tmp_path: Path
                                                             ) -> None:
    """`publish --local` judges with the same judgement as `govbot run`: the snapshot's
    record has an unknown front-matter key, so its approvals do not make it accepted
    without an override (the GitHub path is tested in test_publish_flow)."""
    data = json.loads(SNAPSHOT.read_text())
    text = data["records"][RECORD].replace("kind: plan\n", "kind: plan\nowner: finance\n")
    assert text != data["records"][RECORD]
    data["records"][RECORD] = text
    (repo / RECORD).write_text(text)
    _git(repo, "commit", "-q", "-am", "the record as merged")
    snapshot = tmp_path / "invalid.json"
    snapshot.write_text(json.dumps(data))
    _publish(repo, "--snapshot", str(snapshot))
    record = parse_record(RECORD, (repo / RECORD).read_text())
    assert record.status == "accepted"
    assert record.front["override"]["outcome"] == "invalid"


def test_local_publish_without_votes_marks_an_override(repo: Path) -> None:
    """Without a snapshot there are no votes to verify: the record says so with
    `override: {outcome: unknown}`, and the changelog marks it."""
    _publish(repo, "--pr", "41")
    record = parse_record(RECORD, (repo / RECORD).read_text())
    assert (record.status, record.pr, record.votes) == ("accepted", 41, ())
    assert record.front["override"] == {"merged_by": "Chair Person", "outcome": "unknown"}
    assert "**Merged without an approved vote** (outcome unknown" in (
        repo / "CHANGELOG.md").read_text()


@pytest.mark.parametrize(("env", "number"), [({"GOVBOT_PR": "41"}, 41), ({"GOVBOT_PR": ""}, None)])
def test_publish_reads_the_pr_from_the_environment(repo: Path, env: dict[str, str],
                                                   number: int | None) -> None:
    """`--pr` falls back to $GOVBOT_PR (the action's `pr` input); an empty value is no PR."""
    _git(repo, "commit", "-q", "--amend", "-m", "add record 12")
    result = CliRunner().invoke(main, ["publish", "--local", "--repo", str(repo)], env=env)
    assert result.exit_code == (0 if number else 2), result.output
    assert ("pass --pr N" in result.output) == (number is None)
    record = parse_record(RECORD, (repo / RECORD).read_text())
    assert record.pr == number


def test_local_publish_ignores_votes_after_the_merge(repo: Path, tmp_path: Path) -> None:
    """A member who turns an objection into an approval after the merge is still recorded
    with the objection they had when the PR merged."""
    data = json.loads(SNAPSHOT.read_text())
    data["pull_request"]["merged_at"] = "2026-11-27T12:00:00Z"
    late = dict(data["reviews"][-1], id=999, state="APPROVED", body="",
                submitted_at="2026-11-28T08:00:00Z")
    assert late["user"]["login"] == "sofia-mendes"
    data["reviews"].append(late)
    snapshot = tmp_path / "late.json"
    snapshot.write_text(json.dumps(data))
    _publish(repo, "--snapshot", str(snapshot))
    record = parse_record(RECORD, (repo / RECORD).read_text())
    assert [(v.member, v.vote) for v in record.votes if v.member == "sofia-mendes"] == [
        ("sofia-mendes", "object")]


@pytest.mark.parametrize(("review_at", "comment_at", "kept"), [
    ("2026-11-20T10:00:00Z", "2026-11-20T11:59:59Z", (1, 1)),
    ("2026-11-20T12:00:00Z", "2026-11-20T12:00:00Z", (1, 1)),
    ("2026-11-20T12:00:01Z", "2026-11-21T00:00:00Z", (0, 0)),
    (None, "2026-11-20T13:00:00Z", (1, 0)),
])
def test_as_of_drops_votes_after_the_merge(review_at: str | None, comment_at: str,
                                           kept: tuple[int, int]) -> None:
    """Reviews and comments later than the merge time are dropped; the rest is kept."""
    import datetime as dt

    merged = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    data = {"taken_at": "x", "reviews": [{"submitted_at": review_at}],
            "comments": [{"created_at": comment_at}]}
    out = as_of(data, merged)
    assert (len(out["reviews"]), len(out["comments"]), out["taken_at"]) == (*kept, "x")
    assert len(data["reviews"]) == 1


def test_local_publish_never_takes_the_pr_from_the_commit_message(repo: Path) -> None:
    """HEAD's message names PR #41, but a message proves nothing: with proposed records
    waiting and no PR given, local publish asks for one (exit 2) and writes nothing."""
    before = _git(repo, "rev-parse", "HEAD")
    result = CliRunner().invoke(main, ["publish", "--local", "--repo", str(repo)])
    assert result.exit_code == 2
    assert "pass --pr N" in result.output
    assert _git(repo, "rev-parse", "HEAD") == before


def test_final_vote_takes_commits_from_reviews() -> None:
    """Counted rows and recusals (not a lapsed member's) become audit votes with their
    reasons and `via`; a review vote names its review's commit."""
    import datetime as dt
    from types import SimpleNamespace

    at = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    result = SimpleNamespace(outcome="approved", head_sha="head", recused=("rob",), bodies=(),
                             community=(),
                             deciding_rows=(
        SimpleNamespace(member="bob", vote="approve", counted=True, at=at, id=None, reason="",
                        via=""),
        SimpleNamespace(member="eve", vote="object", counted=False, at=at, id=None,
                        reason="stale", via=""),
        SimpleNamespace(member="amy", vote="abstain", counted=True, at=None, id=None,
                        reason="", via="chair"),
        SimpleNamespace(member="rob", vote="recuse", counted=False, at=at, id=3,
                        reason="I work for the vendor", via=""),
        SimpleNamespace(member="ann", vote="recuse", counted=False, at=at, id=4,
                        reason="lapsed term", via="")))
    reviews = [{"user": {"login": "Bob"}, "submitted_at": "2026-11-20T10:00:00Z",
                "commit_id": "c1"}]
    assert final_vote(result, reviews) == FinalVote("approved", (
        StampedVote("bob", "approve", "2026-11-20T10:00:00Z", "c1"),
        StampedVote("amy", "abstain", "", "head", via="chair"),
        StampedVote("rob", "recuse", "2026-11-20T10:00:00Z", "head", 3,
                    "I work for the vendor")))


def test_final_vote_stamps_the_members_id() -> None:
    """A row's roster id goes into the audit vote, and finds the review's commit even when
    the reviewer's login on GitHub no longer matches the roster's."""
    import datetime as dt
    from types import SimpleNamespace

    at = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    result = SimpleNamespace(outcome="approved", head_sha="head", recused=(), bodies=(),
                             community=(),
                             deciding_rows=(
        SimpleNamespace(member="bob", vote="approve", counted=True, at=at, id=7, reason="",
                        via=""),
        SimpleNamespace(member="amy", vote="approve", counted=True, at=at, id=None, reason="",
                        via="")))
    reviews = [{"user": {"login": "bob-renamed", "id": 7},
                "submitted_at": "2026-11-20T10:00:00Z", "commit_id": "c1"}]
    assert final_vote(result, reviews) == FinalVote("approved", (
        StampedVote("bob", "approve", "2026-11-20T10:00:00Z", "c1", 7),
        StampedVote("amy", "approve", "2026-11-20T10:00:00Z", "head")))


@pytest.mark.parametrize("path", [".github/workflows/govbot-publish.yml",
                                  "src/govbot/cli/scaffold_files/workflows/govbot-publish.yml"])
def test_the_action_hands_publish_its_token_and_pr(path: str) -> None:
    """The composite action gives `govbot publish`/`run` the token as GITHUB_TOKEN and its
    `pr` input as GOVBOT_PR; the publish workflows pass a dispatch's `pr` input through
    `with:` (never inside `run:`)."""
    import yaml

    action = yaml.safe_load((ROOT / "action.yml").read_text())
    step = next(s for s in action["runs"]["steps"] if "GOVBOT_COMMAND" in s.get("env", {}))
    assert step["env"]["GITHUB_TOKEN"] == "${{ inputs.github-token }}"
    assert step["env"]["GOVBOT_PR"] == "${{ inputs.pr }}"
    assert "run | publish) exec govbot" in step["run"]
    assert action["inputs"]["pr"]["default"] == ""
    workflow = yaml.safe_load((ROOT / path).read_text())
    assert workflow[True]["workflow_dispatch"]["inputs"]["pr"]["type"] == "string"
    uses = next(s for s in workflow["jobs"]["publish"]["steps"]
                if s.get("with", {}).get("command") == "publish")
    assert uses["with"]["pr"] == "${{ inputs.pr }}"


# --- the request budget: ≤ 10 requests whatever the number of records (DESIGN §10) --------

API = "https://api.github.com:443/repos/org/governance"


def _policy(number: int, status: str = "accepted") -> str:
    decided = ("decided: 2026-01-10\npr: 1\nvotes: []\n" if status == "accepted" else "")
    return (f"---\nid: {number}\ntitle: Policy {number}\nkind: policy\nstatus: {status}\n"
            f"created: 2026-01-01\nauthors: [amara-osei]\n{decided}---\n## Context\n\nc\n\n"
            "## Decision\n\nd\n\n## Consequences\n\ne\n")


@pytest.mark.parametrize("records", [10, 10_000])
def test_publish_costs_at_most_ten_requests_at_any_size(tmp_path: Path, records: int) -> None:
    """Publishing a merged PR costs the same 7 requests at 10 and at 10,000 records: the
    records come from the checkout; the API gives the tip, the commit's PR, the PR's file
    listing and one query (reviews, comments, texts, when it was marked ready), and takes one
    tree, one commit and the ref. Strict mocks, answered by the fake's state: nothing else
    may be requested, and each of these exactly once."""
    from govbot.git.publish import Checkout
    from govbot.github.client import GitHubClient
    from govbot.github.publish import publish_github

    ids = [n for n in range(1, records + 2) if n != 5000][:records]
    files = {"governance.yml": (ROOT / "governance.yml").read_bytes(),
             **{f"decisions/{n:04d}-policy-{n}.md": _policy(n).encode() for n in ids}}
    fake = FakeGitHub(files, git=tmp_path / "origin.git",
                      now=dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC))  # never started
    new = "decisions/5000-policy-5000.md"
    number = fake.add_pull({new: _policy(5000, "proposed").encode()}, login="amara-osei",
                           user_id=3184562)
    fake.tick(hours=1)
    for login, uid in [("jvandenberg", 918273), ("priya-raman", 22604519),
                       ("sofia-mendes", 41177026), ("dkowalczyk", 14093385)]:
        fake.add_review(number, login, uid, "APPROVED")
    fake.tick(days=19)
    merge = fake.merge(number)
    checkout = Checkout(fake.clone(tmp_path / "checkout"))

    def answer(request: Any) -> tuple[int, dict[str, str], str | bytes]:
        return fake._dispatch(request)

    page = [matchers.query_param_matcher({"per_page": "100"})]
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.add_callback("GET", f"{API}/git/ref/heads/main", callback=answer)
        mock.add_callback("GET", f"{API}/commits/{merge}/pulls", callback=answer, match=page)
        mock.add_callback("GET", f"{API}/pulls/{number}/files", callback=answer, match=page)
        mock.add_callback("POST", "https://api.github.com:443/graphql", callback=answer)
        for method, path in (("POST", "git/trees"), ("POST", "git/commits"),
                             ("PATCH", "git/refs/heads/main")):
            mock.add_callback(method, f"{API}/{path}", callback=answer)
        client = GitHubClient("org/governance", token="t", retry=None,
                              seconds_between_requests=None, seconds_between_writes=None)
        result = publish_github(client, checkout, "main",
                                now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
        assert len(mock.calls) == 7
        posted = [json.loads(call.request.body) for call in mock.calls
                  if call.request.url.endswith("/git/trees")]
    assert result.sha == fake.branches["main"]
    assert result.left == ()
    assert sorted(entry["path"] for entry in posted[0]["tree"]) == [
        "CHANGELOG.md", "PLAN.md", "decisions.json", new]
    assert posted[0]["base_tree"] == checkout.git("rev-parse", "HEAD^{tree}").decode().strip()
    stamped = parse_record(new, fake.tree("main")[new].decode())
    assert (stamped.status, stamped.pr, len(stamped.votes)) == ("accepted", number, 5)
    assert fake.commits[result.sha]["parents"] == [merge]
    assert fake.commits[result.sha]["verified"]


# --- the checkout publish reads, and `check --default-branch` -----------------------------

def test_check_on_the_default_branch_reports_a_merged_record_left_unstamped(repo: Path) -> None:
    """Told it is the default branch, `govbot check` reports the merged record still
    proposed (a publish run failed or is still queued) and how to fix it; without the flag
    the same tree is clean; with --base the flag makes no sense."""
    plain = CliRunner().invoke(main, ["check", "--repo", str(repo), "--format", "text"])
    assert plain.exit_code == 0, plain.output
    result = CliRunner().invoke(main, ["check", "--default-branch", "--repo", str(repo),
                                       "--format", "text"])
    assert result.exit_code == 1
    line = (repo / RECORD).read_text().splitlines().index("status: proposed") + 1
    assert result.stdout == (
        f"{RECORD}:{line}: status: proposed on the default branch: this record was merged, "
        "but its decision is not recorded yet (govbot publish stamps every merged record with "
        "its vote). Run the govbot-publish workflow (Actions → govbot-publish → Run "
        "workflow); if it ran, its log says why it left this record proposed and what to "
        "do\n")
    _publish(repo, "--snapshot", str(SNAPSHOT))
    again = CliRunner().invoke(main, ["check", "--default-branch", "--repo", str(repo)])
    assert again.exit_code == 0, again.output
    both = CliRunner().invoke(main, ["check", "--default-branch", "--base", "HEAD~1",
                                     "--repo", str(repo)])
    assert both.exit_code == 2
    assert "give one or the other" in both.output


def test_publish_needs_a_whole_git_checkout(tmp_path: Path, repo: Path) -> None:
    """Publish reads the records and their history from git: a folder that is not a
    checkout, or a shallow clone (actions/checkout's default), is refused with the fix."""
    from govbot.git.publish import Checkout
    from govbot.model.errors import UsageError

    with pytest.raises(UsageError, match=r"is not a git checkout with a commit: .*fetch-depth"):
        Checkout(tmp_path / "nowhere")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
                   check=True, capture_output=True)
    with pytest.raises(UsageError, match=r"is a shallow clone: .*fetch-depth: 0"):
        Checkout(shallow)


def test_a_failed_fetch_commits_nothing_and_says_so(repo: Path) -> None:
    """When the branch moved on and cannot be fetched (here: no `origin`), publish fails
    (exit 3) without committing, and says to re-run the workflow."""
    from govbot.git.publish import Checkout
    from govbot.model.errors import GitHubError

    with pytest.raises(GitHubError, match=r"^main moved on after this checkout and fetching "
                       r"it failed \(git fetch --quiet failed: .*\); nothing was committed\. "
                       "Re-run the govbot-publish workflow$") as info:
        Checkout(repo).fetch("main")
    assert info.value.exit_code == 3


@pytest.mark.parametrize(("token", "server", "expected"), [
    (None, "https://github.com", {}),
    ("", "https://github.com", {}),
    ("t0k", "https://ghe.example.com/", {
        "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "http.https://ghe.example.com/.extraheader",
        "GIT_CONFIG_VALUE_0": "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46dDBr",
        "GIT_TERMINAL_PROMPT": "0"}),
])
def test_fetch_credentials_stay_in_the_environment(token: str | None, server: str,
                                                   expected: dict[str, str]) -> None:
    """The token reaches git as an HTTP header through the environment (as actions/checkout
    passes it), never on a command line or in .git/config."""
    from govbot.git.publish import fetch_credentials

    assert fetch_credentials(token, server) == expected


def test_local_publish_leaves_a_record_whose_text_was_not_voted_on(repo: Path,
                                                                   tmp_path: Path) -> None:
    """A snapshot whose head text differs from the record on HEAD cannot decide it: local
    publish stamps nothing, says why, and exits 1."""
    data = json.loads(SNAPSHOT.read_text())
    data["records"][RECORD] = data["records"][RECORD].replace("## Context", "## Context\n\nx")
    snapshot = tmp_path / "other.json"
    snapshot.write_text(json.dumps(data))
    result = CliRunner().invoke(main, ["publish", "--local", "--repo", str(repo),
                                       "--snapshot", str(snapshot)])
    assert result.exit_code == 1
    assert f"{RECORD}: its text on HEAD is not the text pull request #41 put to the vote" \
        in result.output
    assert parse_record(RECORD, (repo / RECORD).read_text()).status == "proposed"


def test_local_publish_records_a_decided_record_edited_without_a_vote(repo: Path) -> None:
    """After a publish, an accepted record edited in a later commit is recorded as an
    override naming that commit and its author; `govbot render` keeps it afterwards."""
    _publish(repo, "--snapshot", str(SNAPSHOT))
    (repo / RECORD).write_text((repo / RECORD).read_text().replace("## Context",
                                                                   "## Context\n\nQuietly."))
    _git(repo, "-c", "user.name=Quiet Editor", "commit", "-q", "-am", "Quiet edit")
    edit = _git(repo, "rev-parse", "HEAD").strip()
    assert _publish(repo).startswith("committed ")
    overrides = json.loads((repo / "decisions.json").read_text())["overrides"]
    assert [(o["path"], o["change"], o["commit"], o["by"]) for o in overrides] == [
        (RECORD, "edited", edit, "Quiet Editor")]
    check = CliRunner().invoke(main, ["render", "--check", "--repo", str(repo)])
    assert check.exit_code == 0, check.output
    assert _publish(repo) == "nothing to publish: already up to date\n"
