"""The GitHub adapter's pure half: error texts, limits, credentials, payloads, conversions."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from govbot.github import payloads as ghdata
from govbot.github.botstate import BotState, fingerprint, with_state, without_state
from govbot.model.errors import ConfigError, GitHubError
from govbot.model.vocab import MAX_DESCRIPTION, git_blob_sha, is_record_path, shorten

WHERE = "POST /repos/org/governance/x"
FORBIDDEN = "Resource not accessible by integration"


@pytest.mark.parametrize(("need", "where", "permission"), [
    ("statuses", "POST /repos/org/gov/statuses/abc", "statuses: write"),
    ("comment", "POST /repos/org/gov/issues/7/comments", "pull-requests: write"),
    ("comment", "PATCH /repos/org/gov/issues/comments/9", "pull-requests: write"),
    ("labels", "POST /repos/org/gov/issues/7/labels", "issues: write"),
    ("labels", "POST /repos/org/gov/labels", "issues: write"),
    ("issue", "POST /repos/org/gov/issues", "issues: write"),
    ("contents", "POST /repos/org/gov/git/trees", "contents: write"),
    ("contents", "PATCH /repos/org/gov/git/refs/heads/main", "contents: write"),
    ("read", "GET /repos/org/gov/pulls/7", "pull-requests: read"),
])
def test_a_missing_permission_names_the_one_to_grant(need: str, where: str,
                                                     permission: str) -> None:
    """GitHub's 403 for a token without a permission names the request and the exact
    `permissions:` line to add to the job."""
    error = ghdata.api_error(403, {"message": FORBIDDEN}, where, need)
    assert str(error) == (f"GitHub refused {where}: the token lacks a permission. Grant "
                          f"`permissions: {permission}` to this job in the workflow file")
    assert (error.status, error.exit_code) == (403, 3)


@pytest.mark.parametrize(("status", "data", "expected"), [
    (401, {"message": "Bad credentials"},
     "GitHub rejected the credentials (401 Bad credentials): pass the workflow token as "
     "GITHUB_TOKEN (env: GITHUB_TOKEN: ${{ github.token }}) or set GOVBOT_APP_ID and "
     "GOVBOT_APP_PRIVATE_KEY"),
    (403, {"message": "API rate limit exceeded for installation ID 1."},
     f"GitHub's rate limit stopped {WHERE} (403: API rate limit exceeded for installation "
     "ID 1.); the next event or the scheduled sweep will bring the PR up to date"),
    (429, {"message": "You have exceeded a secondary rate limit"},
     f"GitHub's rate limit stopped {WHERE} (429: You have exceeded a secondary rate limit); "
     "the next event or the scheduled sweep will bring the PR up to date"),
    (500, {"message": "Server Error"},
     f"GitHub failed on {WHERE} (500: Server Error); re-run the job"),
    (503, "<html>unavailable</html>",
     f"GitHub failed on {WHERE} (503: no message); re-run the job"),
    (422, {"message": "Validation Failed"}, f"GitHub refused {WHERE} (422: Validation Failed)"),
    (403, {"message": "Forbidden"}, f"GitHub refused {WHERE} (403: Forbidden)"),
], ids=["401", "rate limit 403", "rate limit 429", "500", "503 not JSON", "422", "other 403"])
def test_errors_say_what_to_do(status: int, data: Any, expected: str) -> None:
    """Each kind of failure becomes one line naming the request and the fix."""
    error = ghdata.api_error(status, data, WHERE, "statuses")
    assert (str(error), error.status) == (expected, status)


@pytest.mark.parametrize(("length", "expected"), [
    (0, ""), (139, "a" * 139), (140, "a" * 140), (141, "a" * 139 + "…"),
    (1000, "a" * 139 + "…"),
])
def test_shorten(length: int, expected: str) -> None:
    """Descriptions longer than 140 characters end with an ellipsis at 140."""
    assert shorten("a" * length) == expected
    assert len(shorten("a" * length)) <= MAX_DESCRIPTION == 140


@pytest.mark.parametrize(("path", "decision"), [
    ("decisions/0001-x.md", True),
    ("decisions/README.md", True),
    ("decisions/drafts/0002-y.md", False),
    ("decisions/0001-x.txt", False),
    ("decisions.json", False),
    ("docs/decisions/0001-x.md", False),
    ("PLAN.md", False),
])
def test_is_decision_path(path: str, decision: bool) -> None:
    """A decision record is a Markdown file directly in decisions/."""
    assert is_record_path(path) is decision


@pytest.mark.parametrize("data", [b"", b"plan\n", b"a\r\nb\r\n", bytes(range(256)),
                                  "Déjà vu ✓\n".encode()],
                         ids=["empty", "text", "CRLF", "binary", "UTF-8"])
def test_git_blob_sha_matches_git(data: bytes) -> None:
    """The blob id is the one `git hash-object` computes for the same bytes."""
    expected = subprocess.run(["git", "hash-object", "--stdin"], input=data,
                              capture_output=True, check=True).stdout.decode().strip()
    assert git_blob_sha(data) == expected


@pytest.mark.parametrize(("env", "expected"), [
    ({"GITHUB_TOKEN": "t"}, ghdata.Credentials("https://api.github.com", token="t")),
    ({"GH_TOKEN": "g", "GITHUB_API_URL": "https://ghe.example.com/api/v3"},
     ghdata.Credentials("https://ghe.example.com/api/v3", token="g")),
    ({"GOVBOT_APP_ID": "1", "GOVBOT_APP_PRIVATE_KEY": "k", "GITHUB_TOKEN": "t"},
     ghdata.Credentials("https://api.github.com", app_id="1", app_key="k")),
], ids=["workflow token", "GH_TOKEN on Enterprise", "App first"])
def test_credentials(env: dict[str, str], expected: ghdata.Credentials) -> None:
    """GitHub App credentials win over a token; GITHUB_API_URL picks the server."""
    assert ghdata.credentials(env) == expected


@pytest.mark.parametrize(("env", "error"), [
    ({}, GitHubError), ({"GOVBOT_APP_ID": "1", "GITHUB_TOKEN": "t"}, ConfigError),
], ids=["none", "half an App"])
def test_credentials_refused(env: dict[str, str], error: type[Exception]) -> None:
    """No credentials, or only half of the App's, stop govbot before any request."""
    with pytest.raises(error):
        ghdata.credentials(env)


@pytest.mark.parametrize(("count", "total", "short"), [
    (2, 3, True), (3, 3, False), (3000, None, True), (2999, None, False), (3000, 3000, False),
])
def test_cut_short(count: int, total: int | None, short: bool) -> None:
    """A listing misses files when it holds fewer than `changed_files`, or, when that is
    unknown, as many as GitHub ever lists."""
    assert ghdata.cut_short([{}] * count, total, 3000) is short


def test_too_many_files() -> None:
    """The message names the PR, its size and GitHub's limit, and says to split it."""
    assert ghdata.too_many_files(7, 3412, 3000) == (
        "this pull request (#7) changes 3,412 files; GitHub lists at most 3,000, so govbot "
        "cannot see them all and will not judge it: split it into smaller pull requests "
        "(decision records apart from bulk changes)")


def test_record_texts_keep_bytes_that_are_not_utf8() -> None:
    """Records missing at the head are left out; undecodable bytes survive as escapes."""
    texts = ghdata.record_texts({"decisions/1.md": b"ok\xff", "decisions/2.md": None})
    assert texts == {"decisions/1.md": "ok\udcff"}


def test_posted_statuses_fingerprint_the_descriptions() -> None:
    """A combined status becomes {context: (state, fingerprint)}."""
    combined = {"statuses": [{"context": "govbot/vote", "state": "pending",
                              "description": "open"},
                             {"context": "ci", "state": "success", "description": None}]}
    assert ghdata.posted_statuses(combined) == {
        "govbot/vote": ("pending", fingerprint("open")), "ci": ("success", fingerprint(""))}


def test_without_state() -> None:
    """Only govbot's first comment with a state line has a line to remove."""
    state = BotState("a" * 40, {}, None, "2026-11-29T10:00:00Z")
    body = "<!-- govbot:status -->\nhi\n"
    assert without_state([{"id": 3, "body": with_state(body, state)}]) == (3, body)
    assert without_state([{"id": 3, "body": body}]) is None
    assert without_state([]) is None


def test_pull_filters() -> None:
    """Open heads and merged PRs are picked from a commit's pull-request listing."""
    pulls = [{"number": 9, "state": "closed", "merged_at": "x", "head": {"sha": "h"}},
             {"number": 4, "state": "open", "merged_at": None, "head": {"sha": "h"}},
             {"number": 5, "state": "open", "merged_at": None, "head": {"sha": "o"}},
             {"number": 2, "state": "closed", "merged_at": "y", "head": {"sha": "h"}}]
    assert [p["number"] for p in ghdata.open_heads(pulls, "h")] == [4]
    assert [p["number"] for p in ghdata.merged_pulls(pulls)] == [2, 9]


@pytest.mark.parametrize(("body", "expected"), [
    ("text", "<!-- m -->\ntext"), ("<!-- m --> text", "<!-- m --> text"),
])
def test_issue_payload_carries_the_marker(body: str, expected: str) -> None:
    """A duty issue's body always carries its marker, added once."""
    assert ghdata.issue_payload("<!-- m -->", "T", body) == {"title": "T", "body": expected}


def test_blob_payload_round_trip() -> None:
    """Bytes uploaded as a blob read back as the same bytes."""
    data = bytes(range(256))
    assert ghdata.content_bytes(ghdata.blob_payload(data)) == data


def test_moved_branch() -> None:
    """A moved branch is a NonFastForward naming it."""
    error = ghdata.moved_branch("main")
    assert isinstance(error, ghdata.NonFastForward)
    assert str(error) == "main moved while govbot was committing; re-reading it"
