"""The adapter's GraphQL reads against strict `responses` mocks: exact requests, exact counts.

The answers to queries are computed by the fake's GraphQL executor from a `FakeGitHub`
state that is never started (so nothing else answers): every request must be registered
here, every registered one must be made.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
import responses
from responses import matchers

from fake_github import FakeGitHub
from fake_github_graphql import execute
from fake_github_routes import _diff
from govbot.github.client import GitHubClient
from govbot.github.payloads import APIError
from govbot.model.errors import GitHubError
from govbot.vote.snapshot import load_snapshot

REST = "https://api.github.com:443/repos/org/governance"
GRAPHQL = "https://api.github.com:443/graphql"
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
RECORD = "decisions/0012-x.md"
TEXT = b"---\nid: 12\ntitle: x\n---\nbody\n"
PAGE = matchers.query_param_matcher({"per_page": "100"})


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    """Strict mocks: every registered response must be requested."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def client() -> GitHubClient:
    """An adapter without retries or throttling."""
    return GitHubClient("org/governance", token="t0ken", retry=None,
                        seconds_between_requests=None, seconds_between_writes=None)


def answer(fake: FakeGitHub, names: list[str]) -> Any:
    """A callback answering queries from the fake's state, checking their names in order."""
    def callback(request: Any) -> tuple[int, dict[str, str], str]:
        body = json.loads(request.body)
        name = body["query"].split("(", 1)[0].split()[-1]
        assert name == names.pop(0), name
        return 200, {}, json.dumps(execute(fake, body["query"], body["variables"]))
    return callback


def files(rsps: responses.RequestsMock, fake: FakeGitHub, number: int) -> None:
    """The PR's file listing (REST), once."""
    pr = fake.pulls[number]
    rsps.get(f"{REST}/pulls/{number}/files", match=[PAGE],
             json=_diff(fake, pr.base_sha, pr.head_sha))


def test_a_pull_request_is_two_requests(rsps: responses.RequestsMock,
                                        client: GitHubClient) -> None:
    """The file listing and one query give the whole snapshot: the record's text, a stale
    approval, ready_at from the timeline, the statuses on the head, the proposed config."""
    fake = FakeGitHub({"governance.yml": b"x: 1\n"})
    number = fake.add_pull({RECORD: TEXT, "governance.yml": b"y: 2\n"}, draft=True)
    old = fake.add_review(number, "bob", 2, "APPROVED")
    fake.push(number, {RECORD: TEXT + b"more\n"})
    fake.add_review(number, "carol", 3, "APPROVED")
    fake.tick(hours=2)
    fake.set_draft(number, False)
    fake.statuses[fake.pulls[number].head_sha] = [
        {"context": "govbot/vote", "state": "pending", "description": "waiting"}]
    files(rsps, fake, number)
    rsps.add_callback("POST", GRAPHQL, callback=answer(fake, ["GovbotPull"]))
    read = client.read_pull(number, now=NOW, protected=["governance.yml"])
    assert len(rsps.calls) == 2
    snap = read.snapshot
    assert snap["records"] == {RECORD: (TEXT + b"more\n").decode()}
    assert snap["config_files"] == {"governance.yml": "y: 2\n"}
    assert snap["stale_commits"] == [old["commit_id"]]
    assert snap["ready_at"] == fake.stamp()
    assert read.statuses == {"govbot/vote": ("pending", "waiting")}
    assert load_snapshot(json.loads(json.dumps(snap)), "s").number == number


@pytest.mark.parametrize(("edits", "expected"), [
    (None, None),
    ({"totalCount": 0, "nodes": []}, []),
    ({"totalCount": 2, "nodes": [{"editor": {"login": "mallory", "__typename": "User"},
                                  "deletedBy": None},
                                 {"editor": {"login": "sofia", "__typename": "User"},
                                  "deletedBy": None}]}, ["mallory", "sofia"]),
    ({"totalCount": 2, "nodes": [{"editor": {"login": "github-actions",
                                             "__typename": "Bot"},
                                  "deletedBy": {"login": "mallory", "__typename": "User"}},
                                 {"editor": None, "deletedBy": None}]},
     ["github-actions[bot]", "mallory", "ghost"]),
    ({"totalCount": 51, "nodes": [{"editor": {"login": "sofia", "__typename": "User"},
                                   "deletedBy": None}]}, None),
    ({"totalCount": None, "nodes": [{"editor": {"login": "sofia", "__typename": "User"},
                                     "deletedBy": None}]}, None),
], ids=["not read", "never edited", "two editors", "bot, deleter, deleted account",
        "more than read", "no count"])
def test_a_comment_carries_who_github_says_edited_it(edits: Any, expected: Any) -> None:
    # "no count": a null where GitHub gives the size cannot show the list is whole
    """`edited_by`: every editor and deleter of a revision GitHub's history names; None
    (unknown) when the history was not read whole."""
    from govbot.github.queries import rest_comment

    node = {"databaseId": 7, "body": "x", "createdAt": "2026-11-20T09:00:00Z",
            "author": {"login": "sofia", "__typename": "User"}, "userContentEdits": edits}
    assert rest_comment(node)["edited_by"] == expected


def test_a_writers_edit_reaches_the_snapshot(rsps: responses.RequestsMock,
                                            client: GitHubClient) -> None:
    """The query reads each comment's edit history: the snapshot names the writer who
    edited a member's comment."""
    fake = FakeGitHub()
    number = fake.add_pull({RECORD: TEXT})
    said = fake.add_comment(number, "sofia", 4, "/govbot object")
    plain = fake.add_comment(number, "sofia", 4, "/govbot abstain")
    fake.tick(minutes=1)
    fake.edit_comment(said["id"], "mallory", 6, "never mind")
    files(rsps, fake, number)
    rsps.add_callback("POST", GRAPHQL, callback=answer(fake, ["GovbotPull"]))
    snap = load_snapshot(client.read_pull(number, now=NOW).snapshot, "s")
    assert {c.id: c.edited_by for c in snap.comments} == {
        said["id"]: ("mallory", "sofia"), plain["id"]: ()}


@pytest.mark.parametrize(("setup", "extra"), [
    ("mangled", [("GET", f"/contents/{RECORD}")]),
    ("binary", [("GET", f"/contents/{RECORD}")]),
    ("symlink", []),
    ("head not listed", [("POST", "GovbotHead")]),
])
def test_what_the_query_cannot_give_is_read_apart(rsps: responses.RequestsMock,
                                                  client: GitHubClient, setup: str,
                                                  extra: list[tuple[str, str]]) -> None:
    """Text GraphQL cannot give byte for byte is read through the contents API (exact
    bytes); a symbolic link is not read as a record; a head past the listed commits is
    read by a second query."""
    fake = FakeGitHub()
    data = TEXT.replace(b"x", "caf\xe9".encode("latin-1")) if setup == "binary" else TEXT
    number = fake.add_pull({RECORD: data})
    head = fake.pulls[number].head_sha
    fake.graphql_mangles_text = setup == "mangled"
    fake.head_commit_not_listed = setup == "head not listed"
    if setup == "symlink":
        fake.modes[head] = {RECORD: "120000"}
    files(rsps, fake, number)
    names = ["GovbotPull"] + [name for method, name in extra if method == "POST"]
    rsps.add_callback("POST", GRAPHQL, callback=answer(fake, names))
    for method, path in extra:
        if method == "GET":
            from fake_github import b64
            from fake_github_shapes import content_file

            rsps.get(f"{REST}{path}", match=[matchers.query_param_matcher({"ref": head})],
                     json=content_file(fake.url, RECORD, "e" * 40, b64(data), len(data), head))
    snap = client.read_pull(number, now=NOW).snapshot
    assert len(rsps.calls) == 2 + len(extra)
    expected = {} if setup == "symlink" else {RECORD: data.decode("utf-8", "surrogateescape")}
    assert snap["records"] == expected


def test_lists_past_one_page_are_read_through_rest(rsps: responses.RequestsMock,
                                                   client: GitHubClient) -> None:
    """More than 100 reviews or comments: those lists are read whole through REST, and the
    staleness of old approvals is then decided tree by tree."""
    fake = FakeGitHub()
    number = fake.add_pull({RECORD: TEXT})
    for n in range(101):
        fake.add_review(number, f"user{n}", 100 + n, "COMMENTED")
    old = fake.add_review(number, "bob", 2, "APPROVED")
    fake.push(number, {RECORD: TEXT + b"v2\n"})
    for n in range(101):
        fake.add_comment(number, f"user{n}", 100 + n, f"comment {n}")
    pr = fake.pulls[number]
    files(rsps, fake, number)
    rsps.add_callback("POST", GRAPHQL, callback=answer(fake, ["GovbotPull"]))
    web = "https://api.github.com/repos/org/governance"
    link = {"Link": f'<{web}/pulls/{number}/reviews?per_page=100&page=2>; rel="next"'}
    rsps.get(f"{REST}/pulls/{number}/reviews", match=[PAGE], json=pr.reviews[:100],
             headers=link)
    rsps.get(f"{REST}/pulls/{number}/reviews", json=pr.reviews[100:],
             match=[matchers.query_param_matcher({"per_page": "100", "page": "2"})])
    comments = fake.comments_on(number)
    link = {"Link": f'<{web}/issues/{number}/comments?per_page=100&page=2>; rel="next"'}
    rsps.get(f"{REST}/issues/{number}/comments", match=[PAGE], json=comments[:100],
             headers=link)
    rsps.get(f"{REST}/issues/{number}/comments", json=comments[100:],
             match=[matchers.query_param_matcher({"per_page": "100", "page": "2"})])
    from fake_github_shapes import git_tree

    for sha in (pr.head_sha, old["commit_id"]):
        tree = fake.commits[sha]["tree"]
        rsps.get(f"{REST}/git/trees/{sha}", match=[matchers.query_param_matcher(
            {"recursive": "1"})], json=git_tree(fake.url, tree, fake.trees[tree]))
    snap = client.read_pull(number, now=NOW).snapshot
    assert (len(snap["reviews"]), len(snap["comments"])) == (102, 101)
    assert snap["stale_commits"] == [old["commit_id"]]
    assert len(rsps.calls) == 8


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"data": None, "errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]},
     200, "GitHub's rate limit stopped POST /graphql (GovbotPull) (API rate limit exceeded); "
          "the next event or the scheduled sweep will bring the PR up to date"),
    ({"data": {"repository": None}, "errors": [{"type": "FORBIDDEN", "message": "no"}]}, 200,
     "GitHub refused POST /graphql (GovbotPull) (FORBIDDEN: no)"),
    ({"data": {"repository": {"pullRequest": None}}}, 200,
     "GitHub refused POST /graphql (pull request #1) (404: Not Found)"),
    ({"message": "Bad credentials"}, 401, "GitHub rejected the credentials (401 Bad "
     "credentials)"),
    ({"errors": "odd"}, 200, "GitHub refused POST /graphql (GovbotPull) (400: no message)"),
], ids=["rate limited", "partial answer", "no such PR", "credentials", "no data"])
def test_a_query_that_fails_is_an_error(rsps: responses.RequestsMock, client: GitHubClient,
                                        body: dict[str, Any], status: int,
                                        message: str) -> None:
    """GraphQL errors — a partial answer among them — are errors with one clear line:
    govbot never judges part of an answer."""
    fake = FakeGitHub()
    number = fake.add_pull({RECORD: TEXT})
    files(rsps, fake, number)
    rsps.post(GRAPHQL, json=body, status=status)
    with pytest.raises(APIError) as info:
        client.read_pull(number, now=NOW)
    assert str(info.value).startswith(message)


def test_a_query_is_retried_like_a_get(rsps: responses.RequestsMock) -> None:
    """A query is a POST, which urllib3 never retries: the adapter retries it itself on
    5xx (reads only), then gives up with one line."""
    from github import GithubRetry

    retrying = GitHubClient("org/governance", token="t0ken", seconds_between_requests=None,
                            seconds_between_writes=None,
                            retry=GithubRetry(total=2, backoff_factor=0,
                                              allowed_methods=frozenset({"GET"})))
    fake = FakeGitHub()
    number = fake.add_pull({RECORD: TEXT})
    files(rsps, fake, number)
    rsps.post(GRAPHQL, status=502, json={"message": "Bad Gateway"})
    rsps.post(GRAPHQL, status=502, json={"message": "Bad Gateway"})
    rsps.add_callback("POST", GRAPHQL, callback=answer(fake, ["GovbotPull"]))
    assert retrying.read_pull(number, now=NOW).snapshot["records"] == {RECORD: TEXT.decode()}
    assert len(rsps.calls) == 4
    rsps.post(GRAPHQL, status=503, json={"message": "Unavailable"})
    rsps.get(f"{REST}/pulls/{number}/files", match=[PAGE], json=[])
    with pytest.raises(APIError, match=r"GitHub failed on POST /graphql \(GovbotPull\) "
                                       r"\(503: Unavailable\)"):
        retrying.read_pull(number, now=NOW)


@pytest.mark.parametrize(("count", "pages"), [(50, 1), (120, 3)])
def test_the_sweep_lists_open_pulls_in_pages_of_50(rsps: responses.RequestsMock,
                                                   client: GitHubClient, count: int,
                                                   pages: int) -> None:
    """One query per 50 open PRs, and one for the bodies of govbot's comments (per 100):
    the sweep of 50 open PRs is 2 requests, of 120 it is 4."""
    fake = FakeGitHub()
    for n in range(count):
        number = fake.add_pull({f"decisions/{n:04d}-x.md": TEXT})
        fake.add_comment(number, "github-actions[bot]", 41898282,
                         "<!-- govbot:status -->\nreport\n")
        fake.add_comment(number, "mallory", 9, "<!-- govbot:status -->\nspoof\n")
    names = ["GovbotSweep"] * pages + ["GovbotComments"] * (1 + (count - 1) // 100)
    expected = len(names)
    rsps.add_callback("POST", GRAPHQL, callback=answer(fake, names))
    found = client.open_pulls_state("github-actions[bot]")
    assert len(rsps.calls) == expected
    assert [p.number for p in found] == sorted(fake.pulls)
    assert all(p.comment is not None and p.comment["body"].endswith("report\n")
               for p in found)
    assert found[0].files == (("decisions/0000-x.md", "ADDED"),)


def test_a_network_failure_of_a_query_is_retried_then_one_line(
        rsps: responses.RequestsMock) -> None:
    """No answer at all (a connection error) is retried too, then reported in one line."""
    import requests

    from github import GithubRetry

    retrying = GitHubClient("org/governance", token="t0ken", seconds_between_requests=None,
                            seconds_between_writes=None,
                            retry=GithubRetry(total=1, backoff_factor=0,
                                              allowed_methods=frozenset({"GET"})))
    fake = FakeGitHub()
    number = fake.add_pull({RECORD: TEXT})
    files(rsps, fake, number)
    for _ in range(2):
        rsps.post(GRAPHQL, body=requests.ConnectionError("reset"))
    with pytest.raises(APIError, match=r"could not reach GitHub for POST /graphql "
                                       r"\(GovbotPull\) \(no answer"):
        retrying.read_pull(number, now=NOW)


def test_a_head_github_does_not_give_is_an_error(rsps: responses.RequestsMock,
                                                 client: GitHubClient) -> None:
    """When neither the PR's commits nor a lookup by id give its head commit, the read
    fails (closed) rather than judge without the records' text."""
    fake = FakeGitHub()
    number = fake.add_pull({RECORD: TEXT})
    fake.head_commit_not_listed = True
    files(rsps, fake, number)
    rsps.add_callback("POST", GRAPHQL, callback=answer(fake, ["GovbotPull"]))
    rsps.post(GRAPHQL, json={"data": {"repository": {"object": None}}})
    with pytest.raises(GitHubError, match="GitHub did not give the head commit"):
        client.read_pull(number, now=NOW)


def test_a_push_between_the_listing_and_the_query_lists_again(
        rsps: responses.RequestsMock, client: GitHubClient) -> None:
    """The listing holds fewer files than the query's count (a push landed in between, far
    from GitHub's cap): the files are listed once more, not refused."""
    fake = FakeGitHub()
    number = fake.add_pull({RECORD: TEXT})
    rsps.get(f"{REST}/pulls/{number}/files", match=[PAGE], json=[])
    files(rsps, fake, number)
    rsps.add_callback("POST", GRAPHQL, callback=answer(fake, ["GovbotPull", "GovbotPull"]))
    snap = client.read_pull(number, now=NOW).snapshot
    assert [f["filename"] for f in snap["files"]] == [RECORD]
    assert snap["records"] == {RECORD: TEXT.decode()}
    assert len(rsps.calls) == 4


def test_reopening_does_not_restart_or_shorten_the_review_period(
        rsps: responses.RequestsMock, client: GitHubClient) -> None:
    """The review period starts at GitHub's latest `ready_for_review` (else the opening):
    closing and reopening the PR (an event with a later `updated_at`) moves nothing."""
    fake = FakeGitHub()
    number = fake.add_pull({RECORD: TEXT}, draft=True)
    fake.tick(days=2)
    fake.set_draft(number, False)
    ready = fake.stamp()
    fake.tick(days=3)
    pr = fake.pulls[number]
    pr.state, pr.updated_at = "closed", fake.stamp()
    fake.tick(hours=1)
    pr.state, pr.updated_at = "open", fake.stamp()
    files(rsps, fake, number)
    rsps.add_callback("POST", GRAPHQL, callback=answer(fake, ["GovbotPull"]))
    assert client.read_pull(number, now=NOW).snapshot["ready_at"] == ready


@pytest.mark.parametrize("connection", [
    None,
    {"nodes": [{}], "pageInfo": None, "totalCount": None},
    {"nodes": [{}], "pageInfo": {"hasNextPage": None}, "totalCount": 1},
    {"nodes": [{}], "pageInfo": {"hasNextPage": False}, "totalCount": 2},
    {"nodes": None, "pageInfo": {"hasNextPage": False}, "totalCount": 0},
], ids=["null", "null size and page", "null next page", "more than given", "null nodes"])
def test_a_list_github_answers_with_nulls_is_not_whole(connection: Any) -> None:
    """A null where GitHub says how long a list is, or whether more pages follow, cannot
    show the first page is all of it: the list is then read through REST, paged."""
    from govbot.github.queries import whole

    assert not whole(connection)
    assert whole({"nodes": [{}], "pageInfo": {"hasNextPage": False}, "totalCount": 1})
