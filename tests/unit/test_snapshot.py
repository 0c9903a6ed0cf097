"""Tests for govbot.snapshot: loading PR snapshots, their errors, and GitHub's own shapes."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import load_shared, needs_shared
from govbot.cli.main import main
from govbot.model.config import load_config
from govbot.model.errors import ConfigError
from govbot.vote.snapshot import RecordedVote, load_snapshot
from govbot.vote.tally import OUTCOMES, tally

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"


def base() -> dict[str, Any]:
    return json.loads((SNAPSHOTS / "clean-majority.json").read_text(encoding="utf-8"))


def test_loads_an_example() -> None:
    """An example snapshot becomes typed, frozen data."""
    snap = load_snapshot(base(), "s.json")
    assert (snap.repository, snap.number, snap.author_login, snap.author_id, snap.base_ref) == (
        "example-org/governance", 41, "jvandenberg", 918273, "main")
    assert snap.ready_at == dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    assert [r.state for r in snap.reviews] == ["APPROVED", "COMMENTED", "APPROVED",
                                               "CHANGES_REQUESTED"]
    assert list(snap.records) == ["decisions/0012-regional-convenings.md"]
    assert snap.comments[0].edited is False
    assert snap.comments[0].edited_by is None  # a snapshot from before GitHub said who
    edited = load_snapshot(_set(base(), ("comments", 0, "edited_by"), ["m", "mallory"]), "s")
    assert edited.comments[0].edited_by == ("m", "mallory")


def _set(doc: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@pytest.mark.parametrize(("path", "value", "message"), [
    (("schema",), "govbot.snapshot/2",
     "schema: 'govbot.snapshot/2' is not 'govbot.snapshot/1'"),
    (("repository",), "not a repo", "repository: 'not a repo' is not owner/name"),
    (("pull_request", "head", "sha"), KeyError,
     "pull_request.head.sha: missing; expected a commit SHA"),
    (("pull_request", "number"), "41", "pull_request.number: '41' is not the pull request "
     "number"),
    (("pull_request", "draft"), "no", "pull_request.draft: 'no' is not true or false"),
    (("reviews", 1, "submitted_at"), "yesterday", "reviews[1].submitted_at: 'yesterday' is "
     "not a date-time such as 2026-11-20T10:00:00Z"),
    (("reviews", 3, "submitted_at"), None, "reviews[3].submitted_at: missing; a "
     "CHANGES_REQUESTED review is a vote, which needs the time GitHub says it was cast"),
    (("comments", 0, "created_at"), "2026-11-22T19:00:00", "comments[0].created_at: "
     "'2026-11-22T19:00:00' has no time zone; end it with Z"),
    (("reviews", 0, "user", "login"), 7, "reviews[0].user.login: 7 is not a GitHub login"),
    (("files", 0), "x.md", "files[0]: 'x.md' is not an object"),
    (("records", "decisions/0012-regional-convenings.md"), 5,
     "records.decisions/0012-regional-convenings.md: 5 is not the record's text"),
    (("config_files",), ["governance.yml"], "config_files: ['governance.yml'] is not an "
     "object"),
    (("config_files",), {"governance.yml": 5}, "config_files.governance.yml: 5 is not the "
     "file's text"),
    (("comments", 0, "edited_by"), "mallory", "comments[0].edited_by: 'mallory' is not a "
     "list of logins"),
    (("comments", 0, "edited_by"), ["ok", ""], "comments[0].edited_by: ['ok', ''] is not a "
     "list of logins"),
    (("stale_commits",), "abc", "stale_commits: 'abc' is not a list"),
    (("stale_commits",), [1], "stale_commits[0]: 1 is not a commit SHA"),
    (("taken_at",), KeyError, "taken_at: missing; expected a date-time such as "
     "2026-11-20T10:00:00Z"),
    (("recorded_votes",), [], "recorded_votes: [] is not an object"),
    (("recorded_votes",), {"x1": ["object"]}, "recorded_votes.x1: 'x1' is not c<comment id> "
     "or r<review id>"),
    (("recorded_votes",), {"r1": "object"}, "recorded_votes.r1: 'object' is not a list"),
    (("recorded_votes",), {"r1": ["abstain"]}, "recorded_votes.r1: ['abstain'] is not "
     "[approve] or [object]"),
    (("recorded_votes",), {"c1": ["approve", "0" * 16, "m", 1, "2026-11-20T10:00:00Z"]},
     "recorded_votes.c1: expected [verb (object, abstain, recuse or retract), line digest "
     "(16 hex digits), login, user id or null, time]"),
    (("recorded_votes",), {"c1": ["object", "0" * 16, "m", True, "2026-11-20T10:00:00Z"]},
     "recorded_votes.c1: expected [verb (object, abstain, recuse or retract), line digest "
     "(16 hex digits), login, user id or null, time]"),
    (("recorded_votes",), {"c1": ["object", "0" * 16, "m", None, "then"]},
     "recorded_votes.c1.at: 'then' is not a date-time such as 2026-11-20T10:00:00Z"),
])
def test_errors_name_the_key_path(path: tuple[str | int, ...], value: Any,
                                  message: str) -> None:
    """A malformed snapshot raises ConfigError (exit 2) naming the key path."""
    with pytest.raises(ConfigError) as err:
        load_snapshot(_set(base(), path, value), "s.json")
    assert err.value.exit_code == 2
    assert str(err.value) == (f"s.json: {message}; take the snapshot again with "
                              "`govbot snapshot`, or fix the file")


def test_recorded_votes_load() -> None:
    """govbot's record of the votes it counted (optional) loads into typed data."""
    doc = _set(base(), ("recorded_votes",), {
        "c5001": ["object", "0123456789abcdef", "sofia-mendes", 41177026,
                  "2026-11-23T10:00:00Z"], "r1002": ["approve"]})
    snap = load_snapshot(doc, "s.json")
    assert snap.recorded_comments == {5001: RecordedVote(
        "object", "0123456789abcdef", "sofia-mendes", 41177026,
        dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC))}
    assert snap.recorded_reviews == {1002: "approve"}
    assert load_snapshot(base(), "s.json").recorded_reviews == {}


def test_not_an_object() -> None:
    """A snapshot that is not a JSON object is refused."""
    with pytest.raises(ConfigError, match=r"^s\.json: the snapshot: \[\] is not an object"):
        load_snapshot([], "s.json")


def test_defaults_and_deleted_accounts() -> None:
    """Optional GitHub fields default sensibly; a deleted account (user null) is `ghost`."""
    doc = _set(base(), ("reviews", 0, "user"), None)
    doc = _set(doc, ("ready_at",), KeyError)
    doc = _set(doc, ("comments", 0, "updated_at"), KeyError)
    snap = load_snapshot(doc, "s.json")
    assert (snap.reviews[0].user_login, snap.reviews[0].user_id) == ("ghost", None)
    assert snap.ready_at == dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)  # created_at
    assert snap.comments[0].edited is False
    assert snap.comments[0].edited_by is None  # a snapshot from before GitHub said who
    edited = load_snapshot(_set(base(), ("comments", 0, "edited_by"), ["m", "mallory"]), "s")
    assert edited.comments[0].edited_by == ("m", "mallory")


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["tally", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_tally_json(repo_root: Path) -> None:
    """`govbot tally --format json` prints the outcome and exits 0."""
    code, out, _ = _cli("--snapshot", str(SNAPSHOTS / "quorum-miss.json"), "--repo",
                        str(repo_root), "--format", "json")
    doc = json.loads(out)
    assert (code, doc["outcome"], doc["needs"]) == (0, "pending", ["quorum: 2 of 3 votes"])


def test_cli_tally_now_moves_time(repo_root: Path) -> None:
    """`--now` replays the snapshot at another time (here: before the review period ends)."""
    code, out, _ = _cli("--snapshot", str(SNAPSHOTS / "clean-majority.json"), "--repo",
                        str(repo_root), "--now", "2026-11-25T00:00:00Z")
    assert code == 0
    assert "outcome: pending" in out
    assert "needs: review period ends 2026-11-27 10:00 UTC" in out


def test_cli_tally_now_counts_only_votes_cast_by_then(repo_root: Path) -> None:
    """Issue 11: `--now T` counts only the votes cast at or before T (here: the author's and
    Priya's approvals, not Amara's of 23 November or Sofia's objection of the 24th)."""
    code, out, _ = _cli("--snapshot", str(SNAPSHOTS / "clean-majority.json"), "--repo",
                        str(repo_root), "--now", "2026-11-22T00:00:00Z", "--format", "json")
    doc = json.loads(out)
    assert (code, doc["approvals"], doc["objections"]) == (0, 2, 0)
    assert [r["member"] for r in doc["votes"] if r["at"]] == ["jvandenberg", "priya-raman"]


@pytest.mark.parametrize(("content", "args", "message"), [
    ("{", (), "not a JSON snapshot"),
    ('{"schema": "x"}', (), "schema: 'x' is not 'govbot.snapshot/1'"),
    (None, ("--now", "soon"), "--now 'soon' is not a time"),
])
def test_cli_tally_errors(tmp_path: Path, repo_root: Path, content: str | None,
                          args: tuple[str, ...], message: str) -> None:
    """A bad snapshot or option exits 2 with a message saying what is wrong."""
    path = tmp_path / "s.json"
    path.write_text(content if content is not None else json.dumps(base()))
    code, _, err = _cli("--snapshot", str(path), "--repo", str(repo_root), *args)
    assert code == 2
    assert message in err


def test_cli_tally_without_governance(tmp_path: Path) -> None:
    """Without governance.yml in --repo the command exits 2 and says how to get one."""
    code, _, err = _cli("--snapshot", str(SNAPSHOTS / "veto.json"), "--repo", str(tmp_path))
    assert code == 2
    assert "no governance.yml" in err


@needs_shared
def test_github_examples_tally(repo_root: Path) -> None:
    """A snapshot built from GitHub's own REST examples (PR, files, reviews, comments) loads
    and tallies without error."""
    examples = load_shared("rest-jsonschema-subset.json")["components"]["examples"]
    pull = examples["pull-request"]["value"]
    comments = examples["issue-comment-items"]["value"] + [examples["issue-comment"]["value"]]
    reviews = (examples["pull-request-review-items"]["value"]
               + [examples["pull-request-review-4"]["value"]])
    doc = {"schema": "govbot.snapshot/1", "repository": "octocat/Hello-World",
           "taken_at": "2026-11-28T09:00:00Z", "pull_request": pull,
           "ready_at": pull["created_at"], "files": examples["diff-entry-items"]["value"],
           "reviews": reviews, "comments": comments,
           "records": base()["records"],
           "stale_commits": [reviews[0]["commit_id"]]}
    snap = load_snapshot(doc, "github-examples")
    cfg = load_config("governance.yml", (repo_root / "governance.yml").read_text())
    result = tally(snap, cfg, snap.taken_at)
    assert result.outcome in OUTCOMES
    assert [r.member for r in result.non_binding] == ["octocat"]
    assert snap.reviews[0].commit_id == "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091"
