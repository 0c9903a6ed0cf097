"""The publish run's edges: `govbot publish --local` in a real git repository, and finding the
merged PR in a push event."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from govbot.cli import main
from govbot.publish import FinalVote
from govbot.publisher import final_vote, prs_from_event
from govbot.records import StampedVote, parse_record

ROOT = Path(__file__).resolve().parents[1]
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


def test_local_publish_without_votes_marks_an_override(repo: Path) -> None:
    """Without a snapshot there are no votes to verify: the record says so with
    `override: {outcome: unknown}`, and the changelog marks it."""
    _publish(repo)
    record = parse_record(RECORD, (repo / RECORD).read_text())
    assert (record.status, record.pr, record.votes) == ("accepted", 41, ())
    assert record.front["override"] == {"merged_by": "Chair Person", "outcome": "unknown"}
    assert "**Merged without an approved vote** (outcome unknown" in (
        repo / "CHANGELOG.md").read_text()


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
    """Counted rows become audit votes; a review vote names its review's commit."""
    import datetime as dt
    from types import SimpleNamespace

    at = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    result = SimpleNamespace(outcome="approved", head_sha="head", votes=(
        SimpleNamespace(member="bob", vote="approve", counted=True, at=at),
        SimpleNamespace(member="eve", vote="object", counted=False, at=at),
        SimpleNamespace(member="amy", vote="abstain", counted=True, at=None)))
    reviews = [{"user": {"login": "Bob"}, "submitted_at": "2026-11-20T10:00:00Z",
                "commit_id": "c1"}]
    assert final_vote(result, reviews) == FinalVote("approved", (
        StampedVote("bob", "approve", "2026-11-20T10:00:00Z", "c1"),
        StampedVote("amy", "abstain", "", "head")))
