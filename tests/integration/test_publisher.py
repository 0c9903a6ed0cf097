"""The publish run's edges: `govbot publish --local` in a real git repository, and finding the
merged PR in a push event."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from govbot.cli.main import main
from govbot.github.publish import prs_from_event
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
    _publish(repo)
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


def test_local_publish_refuses_to_guess_the_pr(repo: Path) -> None:
    """A HEAD that names no PR while records wait for a decision is a usage error."""
    _git(repo, "commit", "-q", "--amend", "-m", "add record 12")
    result = CliRunner().invoke(main, ["publish", "--local", "--repo", str(repo)])
    assert result.exit_code == 2
    assert "pass --pr N" in result.output


@pytest.mark.parametrize(("event", "expected"), [
    ({"head_commit": {"message": "Merge pull request #12 from a/b\n\nTitle"}}, [12]),
    ({"head_commit": {"message": "Add an objective (#34)"}}, [34]),
    ({"commits": [{"message": "Merge pull request #3 from x"},
                  {"message": "Fix (#4)\n\nbody (#5)"}]}, [3, 4]),
    ({"head_commit": {"message": "Direct push mentioning #7 in passing"}}, []),
    ({}, []),
])
def test_prs_from_event(event: dict[str, object], expected: list[int]) -> None:
    """Merge and squash commit subjects name the merged PR; other mentions do not."""
    assert prs_from_event(event) == expected


def test_final_vote_takes_commits_from_reviews() -> None:
    """Counted rows and recusals (not a lapsed member's) become audit votes with their
    reasons and `via`; a review vote names its review's commit."""
    import datetime as dt
    from types import SimpleNamespace

    at = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    result = SimpleNamespace(outcome="approved", head_sha="head", recused=("rob",), votes=(
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
    result = SimpleNamespace(outcome="approved", head_sha="head", recused=(), votes=(
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



def test_not_stamped_names_each_pr_too_large_to_read() -> None:
    """Each PR publishing could not read whole gets its own sentence, after what was done."""
    from govbot.github.payloads import TooManyFiles
    from govbot.github.publish import not_stamped

    text = not_stamped([TooManyFiles(7, 3001, 3000), TooManyFiles(9, 12000, 3000)], None,
                       "trunk")
    assert text.startswith("nothing else needed publishing, but govbot could not list every "
                           "file of pull request #7 (3,001 changed; GitHub lists at most "
                           "3,000)")
    assert "smaller pull request; and govbot could not list every file of pull request #9 " \
           "(12,000 changed;" in text
    assert text.count("commit its records to trunk directly") == 2
