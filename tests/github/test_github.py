"""The GitHub adapter against strict `responses` mocks: exact requests, exact counts."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
import responses
from responses import matchers

import fake_github_shapes as shapes
from govbot.github.client import GitHubClient
from govbot.github.payloads import APIError, NonFastForward
from govbot.model.errors import ConfigError, GitHubError
from govbot.model.vocab import git_blob_sha
from govbot.vote.snapshot import load_snapshot

API = "https://api.github.com:443/repos/org/governance"
REPO_URL = "https://api.github.com/repos/org/governance"
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
HEAD, OLD = "a" * 40, "b" * 40
PAGE = matchers.query_param_matcher({"per_page": "100"})
MARKER = "<!-- govbot:status -->"
BOT = ("github-actions[bot]", 41898282)


class _Pull:
    number, title, body, login, user_id = 7, "Add a decision", "", "alice", 1
    head_ref, head_sha, base_ref, base_sha = "proposal", HEAD, "main", "c" * 40
    created_at = updated_at = "2026-11-20T08:00:00Z"
    draft, state, merged = False, "open", False


def pull(head: str = HEAD) -> dict[str, Any]:
    """A pull request body with the given head."""
    repo = shapes.repository("org/governance", 100, 200)
    pr = _Pull()
    pr.head_sha = head
    return shapes.pull(pr, repo, repo, [])


def review(state: str, commit: str, review_id: int = 1, login: str = "bob") -> dict[str, Any]:
    """A review body."""
    return shapes.review(REPO_URL, 7, review_id, login, 2, state, "", commit,
                         "2026-11-20T08:30:00Z")


def comment(comment_id: int, body: str, login: str = BOT[0]) -> dict[str, Any]:
    """A comment body."""
    at = f"2026-11-20T08:{comment_id:02d}:00Z"
    return shapes.comment(REPO_URL, 7, comment_id, login, 5, body, at, at)


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


def files(*names: str) -> list[dict[str, Any]]:
    """Diff entries for the given paths."""
    return [shapes.diff_entry(REPO_URL, name, "added", "d" * 40, HEAD) for name in names]


TIMELINE = [shapes.issue_event(REPO_URL, 7, 1, "convert_to_draft", shapes.user("alice", 1),
                                "2026-11-20T08:10:00Z"),
            shapes.issue_event(REPO_URL, 7, 2, "ready_for_review", shapes.user("alice", 1),
                               "2026-11-20T08:20:00Z")]


def test_snapshot_reads_four_plus_one_per_record(rsps: responses.RequestsMock,
                                                 client: GitHubClient) -> None:
    """A typical PR (all reviews on the head) costs 4 reads plus one per decision record,
    plus one timeline read for `ready_at` when the caller does not know it."""
    rsps.get(f"{API}/issues/7/timeline", json=TIMELINE, match=[PAGE])
    rsps.get(f"{API}/pulls/7", json=pull())
    rsps.get(f"{API}/pulls/7/files", json=files("decisions/0012-x.md", "README.md"),
             match=[PAGE])
    rsps.get(f"{API}/pulls/7/reviews", json=[review("APPROVED", HEAD)], match=[PAGE])
    rsps.get(f"{API}/issues/7/comments", json=[comment(1, "hi", "carol")], match=[PAGE])
    text = "---\nid: 12\n---\n"
    rsps.get(f"{API}/contents/decisions/0012-x.md",
             json=shapes.content_file(REPO_URL, "decisions/0012-x.md", "e" * 40,
                                      base64.b64encode(text.encode()).decode(), len(text), HEAD),
             match=[matchers.query_param_matcher({"ref": HEAD})])
    snap = client.snapshot(7, now=NOW)
    assert len(rsps.calls) == 6
    assert snap["schema"] == "govbot.snapshot/1"
    assert snap["records"] == {"decisions/0012-x.md": text}
    assert snap["ready_at"] == "2026-11-20T08:20:00Z"
    assert snap["taken_at"] == "2026-11-20T09:00:00Z"
    assert snap["stale_commits"] == []
    assert [f["filename"] for f in snap["files"]] == ["decisions/0012-x.md", "README.md"]
    loaded = load_snapshot(json.loads(json.dumps(snap)), "snapshot.json")
    assert (loaded.number, loaded.head_sha, len(loaded.reviews)) == (7, HEAD, 1)


RECORD, WORKFLOW = "decisions/0012-x.md", ".github/workflows/govbot.yml"
V1, V2 = "1" * 40, "2" * 40


def tree(entries: dict[str, str], *, truncated: bool = False) -> dict[str, Any]:
    """A recursive tree listing of {path: blob sha}."""
    return shapes.git_tree(REPO_URL, "e" * 40, entries, truncated=truncated)


RECURSIVE = matchers.query_param_matcher({"recursive": "1"})


def _stale_setup(rsps: responses.RequestsMock, reviews: list[dict[str, Any]],
                 listing: list[str]) -> None:
    rsps.get(f"{API}/pulls/7", json=pull())
    rsps.get(f"{API}/pulls/7/files", json=files(*listing), match=[PAGE])
    rsps.get(f"{API}/pulls/7/reviews", json=reviews, match=[PAGE])
    rsps.get(f"{API}/issues/7/comments", json=[], match=[PAGE])
    if RECORD in listing:
        text = base64.b64encode(b"---\nid: 12\n---\n").decode()
        rsps.get(f"{API}/contents/{RECORD}", match=[matchers.query_param_matcher({"ref": HEAD})],
                 json=shapes.content_file(REPO_URL, RECORD, V1, text, 13, HEAD))


@pytest.mark.parametrize(("old", "now", "stale"), [
    ({RECORD: V2, "README.md": V1}, {RECORD: V1, "README.md": V1}, [OLD]),
    ({RECORD: V1, WORKFLOW: V1}, {RECORD: V1, WORKFLOW: V2}, [OLD]),
    ({RECORD: V1}, {RECORD: V1, WORKFLOW: V1}, [OLD]),
    ({RECORD: V1, "README.md": V1}, {RECORD: V1, "README.md": V2}, []),
    ({RECORD: V1, "decisions/0001-other.md": V1}, {RECORD: V1}, []),
], ids=["record forced back to v1", "protected path changed", "protected path added",
        "only README changed", "other records are not the PR's"])
def test_staleness_compares_the_governed_content_at_both_commits(
        rsps: responses.RequestsMock, client: GitHubClient, old: dict[str, str],
        now: dict[str, str], stale: list[str]) -> None:
    """Approvals on an older commit are stale when a governed path the PR touches (under
    decisions/ or protected) has other content at the head than at the reviewed commit:
    one tree read for the head and one per distinct approved commit, never a compare (a
    merge-base diff is empty when the head is forced back to an ancestor)."""
    _stale_setup(rsps, [review("APPROVED", OLD, 1), review("APPROVED", OLD, 2, "carol"),
                        review("CHANGES_REQUESTED", "f" * 40, 3, "dan"),
                        review("APPROVED", HEAD, 4, "erin")],
                 [RECORD, WORKFLOW, "README.md"])
    rsps.get(f"{API}/git/trees/{HEAD}", json=tree(now), match=[RECURSIVE])
    rsps.get(f"{API}/git/trees/{OLD}", json=tree(old), match=[RECURSIVE])
    snap = client.snapshot(7, now=NOW, protected=[".github/**", "governance.yml"],
                           ready_at="2026-11-20T08:00:00Z")
    assert snap["stale_commits"] == stale
    assert len(rsps.calls) == 7


def test_a_change_among_300_other_files_is_seen(rsps: responses.RequestsMock,
                                                client: GitHubClient) -> None:
    """The record changed in a push that touched 300 other files (past a compare's cap of
    300 files): the trees show it, so the approval is stale."""
    filler = {f"assets/{n:04d}.txt": V1 for n in range(300)}
    _stale_setup(rsps, [review("APPROVED", OLD)], [RECORD, *filler])
    rsps.get(f"{API}/git/trees/{HEAD}", match=[RECURSIVE],
             json=tree({**dict.fromkeys(filler, V2), RECORD: V2}))
    rsps.get(f"{API}/git/trees/{OLD}", json=tree({**filler, RECORD: V1}), match=[RECURSIVE])
    snap = client.snapshot(7, now=NOW, ready_at="2026-11-20T08:00:00Z")
    assert snap["stale_commits"] == [OLD]


@pytest.mark.parametrize(("head_tree", "old_tree", "reads"), [
    ({"json": tree({RECORD: V1}, truncated=True)}, None, 6),
    ({"json": tree({RECORD: V1})}, {"json": tree({RECORD: V1}, truncated=True)}, 7),
    ({"json": tree({RECORD: V1})}, {"status": 404, "json": {"message": "Not Found"}}, 7),
    ({"json": tree({RECORD: V1})}, {"status": 422, "json": {"message": "Invalid"}}, 7),
], ids=["head tree truncated", "reviewed tree truncated", "reviewed commit gone",
        "reviewed commit invalid"])
def test_an_undecidable_comparison_is_stale(
        rsps: responses.RequestsMock, client: GitHubClient, head_tree: dict[str, Any],
        old_tree: dict[str, Any] | None, reads: int) -> None:
    """When either tree cannot be read whole (GitHub cut the listing short, or the reviewed
    commit is gone), the approval is stale: fail closed. A cut-short head tree makes every
    approval stale without reading the others."""
    _stale_setup(rsps, [review("APPROVED", OLD)], [RECORD])
    rsps.get(f"{API}/git/trees/{HEAD}", match=[RECURSIVE], **head_tree)
    if old_tree is not None:
        rsps.get(f"{API}/git/trees/{OLD}", match=[RECURSIVE], **old_tree)
    snap = client.snapshot(7, now=NOW, ready_at="2026-11-20T08:00:00Z")
    assert snap["stale_commits"] == [OLD]
    assert len(rsps.calls) == reads


def test_a_failing_tree_read_fails_the_snapshot(rsps: responses.RequestsMock,
                                                client: GitHubClient) -> None:
    """A tree read that fails for another reason (GitHub's 5xx) is an error, not a guess."""
    _stale_setup(rsps, [review("APPROVED", OLD)], [RECORD])
    rsps.get(f"{API}/git/trees/{HEAD}", status=502, json={"message": "Bad Gateway"})
    with pytest.raises(APIError, match="502: Bad Gateway"):
        client.snapshot(7, now=NOW, ready_at="2026-11-20T08:00:00Z")


@pytest.mark.parametrize("reviews", [
    [review("APPROVED", HEAD)],
    [{**review("APPROVED", OLD), "commit_id": None}],
    [review("CHANGES_REQUESTED", OLD), review("COMMENTED", OLD, 2)],
], ids=["approved on the head", "reviewed commit null", "no approval on an old commit"])
def test_no_tree_is_read_when_nothing_needs_comparing(
        rsps: responses.RequestsMock, client: GitHubClient,
        reviews: list[dict[str, Any]]) -> None:
    """No tree is read when every approval is on the head, or its commit_id is null (the
    tally counts that one stale: there is nothing to compare, and no `/compare/None…`)."""
    _stale_setup(rsps, reviews, [RECORD])
    snap = client.snapshot(7, now=NOW, ready_at="2026-11-20T08:00:00Z")
    assert snap["stale_commits"] == []
    assert len(rsps.calls) == 5
    loaded = load_snapshot(json.loads(json.dumps(snap)), "snapshot.json")
    assert [r.commit_id for r in loaded.reviews] == [r["commit_id"] for r in reviews]


@pytest.mark.parametrize(("draft", "read_ready", "ready_at"), [
    (False, False, None),
    (True, True, None),
])
def test_snapshot_of_a_pull_at_hand_reads_three(
        rsps: responses.RequestsMock, client: GitHubClient, draft: bool, read_ready: bool,
        ready_at: str | None) -> None:
    """Given the event's copy of the PR, the snapshot reads only files, reviews and
    comments; a draft has no ready_at (no review period runs), so no timeline read."""
    rsps.get(f"{API}/pulls/7/files", json=files("README.md"), match=[PAGE])
    rsps.get(f"{API}/pulls/7/reviews", json=[], match=[PAGE])
    rsps.get(f"{API}/issues/7/comments", json=[], match=[PAGE])
    snap = client.snapshot(7, now=NOW, pull={**pull(), "draft": draft}, read_ready=read_ready)
    assert (snap["ready_at"], len(rsps.calls)) == (ready_at, 3)


@pytest.mark.parametrize(("events", "expected"), [
    (TIMELINE, "2026-11-20T08:20:00Z"),
    ([], "2026-11-20T08:00:00Z"),
])
def test_ready_time_is_the_latest_ready_for_review(
        rsps: responses.RequestsMock, client: GitHubClient, events: list[dict[str, Any]],
        expected: str) -> None:
    """The timeline's latest ready_for_review event, else the PR's opening: one read."""
    rsps.get(f"{API}/issues/7/timeline", json=events, match=[PAGE])
    assert client.ready_time(7, pull()) == expected


def test_pages_are_followed(rsps: responses.RequestsMock, client: GitHubClient) -> None:
    """Lists follow GitHub's Link header to the next page."""
    rsps.get(f"{API}/pulls", json=[pull()], match=[
        matchers.query_param_matcher({"state": "open", "per_page": "100"})],
        headers={"Link": f'<{REPO_URL}/pulls?state=open&per_page=100&page=2>; rel="next"'})
    second = pull()
    second["number"] = 8
    rsps.get(f"{API}/pulls", json=[second], match=[
        matchers.query_param_matcher({"state": "open", "per_page": "100", "page": "2"})])
    assert client.open_pull_numbers() == [7, 8]


def _pages(rsps: responses.RequestsMock, path: str, count: int, *, more: bool) -> None:
    """`count` pages of one comment each at `path`, each linking the next; the last links
    one more only when `more`."""
    for number in range(1, count + 1):
        query = {"per_page": "100"} if number == 1 else {"per_page": "100",
                                                         "page": str(number)}
        link = f'<{REPO_URL}{path}?per_page=100&page={number + 1}>; rel="next"'
        rsps.get(f"{API}{path}", json=[comment(number, f"comment {number}", "carol")],
                 match=[matchers.query_param_matcher(query)],
                 headers={"Link": link} if number < count or more else {})


@pytest.mark.parametrize(("pages", "more"), [(3, False), (3, True)],
                         ids=["exactly the cap", "past the cap"])
def test_a_list_is_read_whole_or_not_at_all(
        rsps: responses.RequestsMock, client: GitHubClient, monkeypatch: pytest.MonkeyPatch,
        pages: int, more: bool) -> None:
    """A list of MAX_PAGES pages is read whole; one with a next page after the cap raises
    (naming the list and what to do) instead of silently dropping its newest items, such
    as a `/govbot object` pushed past the cut by comment spam."""
    monkeypatch.setattr("govbot.github.client.MAX_PAGES", 3)
    _pages(rsps, "/issues/7/comments", pages, more=more)
    if not more:
        assert client.forget_state(7, BOT[0]) is False  # read all three: none is govbot's
    else:
        with pytest.raises(GitHubError) as info:
            client.forget_state(7, BOT[0])
        assert str(info.value) == (
            "the comments on #7 run past 3 pages (300 items): govbot judges a list whole or "
            "not at all, so it stopped. Delete the spam or noise (or move the proposal to a "
            "new pull request) and re-run the job")
    assert len(rsps.calls) == pages


@pytest.mark.parametrize(("given", "fresh_total", "reads", "error"), [
    (None, 3, ["pulls/7", "pulls/7/files"], True),
    (3, 3, ["pulls/7/files", "pulls/7"], True),
    (3, 2, ["pulls/7/files", "pulls/7", "pulls/7/reviews", "issues/7/comments"], False),
    ("listing", 3, ["pulls/7/files", "pulls/7"], True),
], ids=["read now", "event copy", "stale event copy", "listing copy at the cap"])
def test_snapshot_refuses_a_cut_short_file_listing(
        rsps: responses.RequestsMock, client: GitHubClient, monkeypatch: pytest.MonkeyPatch,
        given: int | str | None, fresh_total: int, reads: list[str], error: bool) -> None:
    """When GitHub lists fewer files than the PR changes (it stops at 3,000, here lowered to
    2), the snapshot raises rather than judge the PR without the files past the cut; a copy
    of the PR at hand is checked against a fresh read first, since it may be older."""
    monkeypatch.setattr("govbot.github.client.MAX_FILES", 2)
    rsps.get(f"{API}/pulls/7/files", json=files("README.md", "a.txt"), match=[PAGE])
    rsps.get(f"{API}/pulls/7", json={**pull(), "changed_files": fresh_total})
    if not error:
        rsps.get(f"{API}/pulls/7/reviews", json=[], match=[PAGE])
        rsps.get(f"{API}/issues/7/comments", json=[], match=[PAGE])
    copy = None if given is None else {**pull(), "changed_files": given}
    if given == "listing":
        copy = {k: v for k, v in pull().items() if k != "changed_files"}
    if error:
        with pytest.raises(GitHubError) as info:
            client.snapshot(7, now=NOW, pull=copy, read_ready=False)
        assert str(info.value) == (
            "this pull request (#7) changes 3 files; GitHub lists at most 2, so govbot "
            "cannot see them all and will not judge it: split it into smaller pull requests "
            "(decision records apart from bulk changes)")
    else:
        assert len(client.snapshot(7, now=NOW, pull=copy, read_ready=False)["files"]) == 2
    assert [c.request.url.split("/governance/")[1].split("?")[0]
            for c in rsps.calls] == reads


@pytest.mark.parametrize(("existing", "result", "writes"), [
    ([comment(1, MARKER + "\nsame\n")], "unchanged", []),
    ([comment(1, MARKER + "\nold\n")], "updated", [("PATCH", "/issues/comments/1")]),
    ([comment(1, MARKER + "\nspoof\n", "mallory")], "created",
     [("POST", "/issues/7/comments")]),
])
def test_upsert_comment(rsps: responses.RequestsMock, client: GitHubClient,
                        existing: list[dict[str, Any]], result: str,
                        writes: list[tuple[str, str]]) -> None:
    """The comment is found by marker and bot author, patched only when its body changed,
    and created when missing (a marker in someone else's comment does not count)."""
    for method, path in writes:
        body = comment(2, MARKER + "\nsame\n")
        rsps.add(method, f"{API}{path}", json=body, status=201 if method == "POST" else 200,
                 match=[matchers.json_params_matcher({"body": MARKER + "\nsame\n"})])
    if result == "created":
        rsps.get(f"{API}/issues/7/comments", match=[PAGE],
                 json=[*existing, comment(2, MARKER + "\nsame\n")])
    got = client.upsert_comment(7, MARKER + "\nsame\n", marker=MARKER, bot_login=BOT[0],
                                comments=existing)
    assert got == result
    assert len(rsps.calls) == len(writes) + (result == "created")


def test_upsert_comment_removes_a_leftover_duplicate(rsps: responses.RequestsMock,
                                                     client: GitHubClient) -> None:
    """A duplicate that outlived a race is deleted the next time the comment is upserted."""
    rsps.delete(f"{API}/issues/comments/2", status=204)
    body = MARKER + "\nsame\n"
    assert client.upsert_comment(7, body, marker=MARKER, bot_login=BOT[0],
                                 comments=[comment(1, body), comment(2, body)]) == "unchanged"
    assert len(rsps.calls) == 1


STATE = ('\n<!-- govbot:state {"at":"2026-11-20T08:01:00Z","ready_at":null,"sha":"'
         + HEAD + '","statuses":{}} -->\n')


@pytest.mark.parametrize(("body", "writes"), [
    (MARKER + "\nbody\n" + STATE, True),
    (MARKER + "\nbody\n", False),
])
def test_forget_state(rsps: responses.RequestsMock, client: GitHubClient, body: str,
                      writes: bool) -> None:
    """After a failed run the state line is removed (one read, one write when present)."""
    rsps.get(f"{API}/issues/7/comments", match=[PAGE], json=[comment(1, body)])
    if writes:
        rsps.patch(f"{API}/issues/comments/1", json=comment(1, MARKER + "\nbody\n"), match=[
            matchers.json_params_matcher({"body": MARKER + "\nbody\n"})])
    assert client.forget_state(7, BOT[0]) is writes


def test_forget_state_without_a_comment(rsps: responses.RequestsMock,
                                        client: GitHubClient) -> None:
    """With no govbot comment there is nothing to forget."""
    rsps.get(f"{API}/issues/7/comments", match=[PAGE], json=[])
    assert client.forget_state(7, BOT[0]) is False


def test_upsert_comment_after_a_race_keeps_the_oldest(rsps: responses.RequestsMock,
                                                      client: GitHubClient) -> None:
    """After a create, duplicates from a racing run are deleted and the oldest kept."""
    body = MARKER + "\nnew\n"
    rsps.get(f"{API}/issues/7/comments", match=[PAGE], json=[])
    rsps.post(f"{API}/issues/7/comments", status=201, json=comment(3, body))
    rsps.get(f"{API}/issues/7/comments", match=[PAGE],
             json=[comment(2, body), comment(3, body)])
    rsps.delete(f"{API}/issues/comments/3", status=204)
    assert client.upsert_comment(7, body, marker=MARKER, bot_login=BOT[0]) == "updated"
    assert [c.request.method for c in rsps.calls] == ["GET", "POST", "GET", "DELETE"]


def _combined(statuses: list[tuple[str, str, str]]) -> dict[str, Any]:
    bot = shapes.user(*BOT)
    repo = shapes.repository("org/governance", 100, 200)
    return shapes.combined(repo, HEAD, [
        shapes.status(REPO_URL, i, HEAD, state, context, text, None, "2026-11-20T08:00:00Z",
                      bot) for i, (context, state, text) in enumerate(statuses)])


def test_statuses_skip_what_github_already_shows(rsps: responses.RequestsMock,
                                                 client: GitHubClient) -> None:
    """Only the status whose state or description changed is posted, truncated to 140."""
    long = "x" * 200
    rsps.get(f"{API}/pulls/7", json=pull())
    rsps.get(f"{API}/commits/{HEAD}/status",
             json=_combined([("govbot/check", "success", "All records pass the checks")]))
    rsps.post(f"{API}/statuses/{HEAD}", status=201, json={}, match=[
        matchers.json_params_matcher({"state": "pending", "context": "govbot/vote",
                                      "description": "x" * 139 + "…",
                                      "target_url": "https://github.com/run/1"})])
    written = client.set_statuses(7, HEAD, {
        "govbot/check": ("success", "All records pass the checks"),
        "govbot/vote": ("pending", long)}, "https://github.com/run/1")
    assert written == {"govbot/check": False, "govbot/vote": True}
    assert len(rsps.calls) == 3


def test_known_statuses_need_no_read(rsps: responses.RequestsMock,
                                     client: GitHubClient) -> None:
    """With govbot's last-written statuses known, only a changed one is posted, no read."""
    from govbot.github.botstate import fingerprint

    rsps.post(f"{API}/statuses/{HEAD}", status=201, json={})
    written = client.post_statuses(HEAD, {"govbot/check": ("success", "ok"),
                                          "govbot/vote": ("pending", "needs 1")}, None,
                                   {"govbot/check": ("success", fingerprint("ok")),
                                    "govbot/vote": ("pending", fingerprint("needs 2"))})
    assert written == {"govbot/check": False, "govbot/vote": True}
    assert len(rsps.calls) == 1


def test_statuses_never_go_to_an_old_head(rsps: responses.RequestsMock,
                                          client: GitHubClient) -> None:
    """When the PR's head moved on, nothing is posted."""
    rsps.get(f"{API}/pulls/7", json=pull(head=OLD))
    assert not client.set_status(HEAD, "govbot/vote", "success", "ok", None, number=7)
    assert len(rsps.calls) == 1


def test_labels_are_created_on_first_use(rsps: responses.RequestsMock,
                                         client: GitHubClient) -> None:
    """Adding a label that does not exist creates it, then adds it; a stale govbot label
    is removed and other labels are left alone."""
    add = matchers.json_params_matcher({"labels": ["govbot/approved"]})
    rsps.post(f"{API}/issues/7/labels", status=422, json={"message": "Validation Failed"},
              match=[add])
    rsps.post(f"{API}/labels", status=201, json={}, match=[matchers.json_params_matcher({
        "name": "govbot/approved", "color": "0e8a16",
        "description": "govbot: the committee approved this proposal"})])
    rsps.post(f"{API}/issues/7/labels", json=[], match=[add])
    rsps.delete(f"{API}/issues/7/labels/govbot%2Fpending", json=[])
    assert client.set_labels(7, {"govbot/approved"}, {"govbot/pending", "docs"})
    assert len(rsps.calls) == 4


def test_labels_unchanged_means_no_request(rsps: responses.RequestsMock,
                                           client: GitHubClient) -> None:
    """When the labels are already right, nothing is sent."""
    assert not client.set_labels(7, {"govbot/pending"}, {"govbot/pending"})
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(("status", "message", "expected"), [
    (403, "Resource not accessible by integration",
     "GitHub refused POST /repos/org/governance/statuses/" + HEAD + ": the token lacks a "
     "permission. Grant `permissions: statuses: write` to this job in the workflow file"),
    (401, "Bad credentials",
     "GitHub rejected the credentials (401 Bad credentials): pass the workflow token as "
     "GITHUB_TOKEN (env: GITHUB_TOKEN: ${{ github.token }}) or set GOVBOT_APP_ID and "
     "GOVBOT_APP_PRIVATE_KEY"),
    (502, "Bad Gateway",
     "GitHub failed on POST /repos/org/governance/statuses/" + HEAD
     + " (502: Bad Gateway); re-run the job"),
    (403, "You have exceeded a secondary rate limit",
     "GitHub's rate limit stopped POST /repos/org/governance/statuses/" + HEAD
     + " (403: You have exceeded a secondary rate limit); the next event or the scheduled "
     "sweep will bring the PR up to date"),
])
def test_errors_say_what_to_do(rsps: responses.RequestsMock, client: GitHubClient,
                               status: int, message: str, expected: str) -> None:
    """GitHub's errors become one line naming the request and the fix."""
    rsps.get(f"{API}/pulls/7", json=pull())
    rsps.get(f"{API}/commits/{HEAD}/status", json=_combined([]))
    rsps.post(f"{API}/statuses/{HEAD}", status=status, json={"message": message})
    with pytest.raises(APIError) as info:
        client.set_statuses(7, HEAD, {"govbot/vote": ("pending", "x")}, None)
    assert str(info.value) == expected
    assert info.value.status == status


def test_read_file_missing_is_none(rsps: responses.RequestsMock, client: GitHubClient) -> None:
    """A file absent at the ref reads as None."""
    rsps.get(f"{API}/contents/governance.yml", status=404, json={"message": "Not Found"})
    assert client.read_file("governance.yml", "main") is None


def _git_setup(rsps: responses.RequestsMock, existing: dict[str, bytes]) -> None:
    rsps.get(f"{API}/git/commits/{HEAD}", json={"tree": {"sha": "t" * 40}})
    rsps.get(f"{API}/git/trees/{'t' * 40}", match=[
        matchers.query_param_matcher({"recursive": "1"})], json={
        "sha": "t" * 40, "truncated": False,
        "tree": [{"path": p, "type": "blob", "sha": git_blob_sha(d)} for p, d in existing.items()]})


def test_commit_files_refuses_an_empty_commit(rsps: responses.RequestsMock,
                                              client: GitHubClient) -> None:
    """When every file already has the wanted content, nothing is written."""
    _git_setup(rsps, {"PLAN.md": b"plan\n"})
    assert client.commit_files("main", HEAD, {"PLAN.md": b"plan\n", "gone.md": None},
                               "msg") is None
    assert len(rsps.calls) == 2


def test_commit_files_makes_an_unsigned_commit_and_fast_forwards(
        rsps: responses.RequestsMock, client: GitHubClient) -> None:
    """Changed files go into one tree and one commit with no author, and the branch moves
    only by fast-forward."""
    _git_setup(rsps, {"PLAN.md": b"plan\n", "old.md": b"x"})
    rsps.post(f"{API}/git/trees", status=201, json={"sha": "n" * 40}, match=[
        matchers.json_params_matcher({"base_tree": "t" * 40, "tree": [
            {"path": "PLAN.md", "mode": "100644", "type": "blob", "content": "plan v2\n"},
            {"path": "old.md", "mode": "100644", "type": "blob", "sha": None}]})])
    rsps.post(f"{API}/git/commits", status=201, json={"sha": "m" * 40}, match=[
        matchers.json_params_matcher({"message": "msg", "tree": "n" * 40,
                                      "parents": [HEAD]})])
    rsps.patch(f"{API}/git/refs/heads/main", json={}, match=[
        matchers.json_params_matcher({"sha": "m" * 40, "force": False})])
    assert client.commit_files("main", HEAD, {"PLAN.md": b"plan v2\n", "old.md": None},
                               "msg") == "m" * 40
    assert len(rsps.calls) == 5


def test_commit_files_reports_a_moved_branch(rsps: responses.RequestsMock,
                                             client: GitHubClient) -> None:
    """A 422 'not a fast forward' becomes NonFastForward so publish can redo its work."""
    _git_setup(rsps, {})
    rsps.post(f"{API}/git/trees", status=201, json={"sha": "n" * 40})
    rsps.post(f"{API}/git/commits", status=201, json={"sha": "m" * 40})
    rsps.patch(f"{API}/git/refs/heads/main", status=422,
               json={"message": "Update is not a fast forward"})
    with pytest.raises(NonFastForward):
        client.commit_files("main", HEAD, {"PLAN.md": b"p"}, "msg")


@pytest.mark.parametrize("found", [True, False])
def test_ensure_issue_is_idempotent(rsps: responses.RequestsMock, client: GitHubClient,
                                    found: bool) -> None:
    """An open issue carrying the marker is reused; otherwise one is opened."""
    existing = shapes.issue(REPO_URL, 3, "Annual review", "<!-- govbot:review:2026 -->",
                            BOT[0], BOT[1], "2026-11-01T00:00:00Z")
    pr_issue = {**existing, "number": 4, "pull_request": {}}
    rsps.get(f"{API}/issues", json=[pr_issue, existing] if found else [pr_issue], match=[
        matchers.query_param_matcher({"state": "open", "per_page": "100"})])
    if not found:
        rsps.post(f"{API}/issues", status=201, json={**existing, "number": 9}, match=[
            matchers.json_params_matcher({"title": "Annual review",
                                          "body": "<!-- govbot:review:2026 -->"})])
    assert client.ensure_issue("<!-- govbot:review:2026 -->", "Annual review",
                               "<!-- govbot:review:2026 -->") == (3 if found else 9)


def test_pulls_for_commit_falls_back_to_open_pulls(rsps: responses.RequestsMock,
                                                   client: GitHubClient) -> None:
    """A fork PR, which the commit→pulls endpoint does not list, is found among open PRs."""
    rsps.get(f"{API}/commits/{HEAD}/pulls", json=[], match=[PAGE])
    rsps.get(f"{API}/pulls", json=[pull(head=OLD), pull()], match=[
        matchers.query_param_matcher({"state": "open", "per_page": "100"})])
    assert client.pulls_for_commit(HEAD) == [7]


def test_from_env_needs_credentials() -> None:
    """Without a token or App credentials the message says how to pass one."""
    with pytest.raises(GitHubError, match="pass the workflow token to govbot as GITHUB_TOKEN"):
        GitHubClient.from_env("org/governance", {})


@pytest.mark.parametrize(("present", "missing"), [
    ("GOVBOT_APP_ID", "GOVBOT_APP_PRIVATE_KEY"),
    ("GOVBOT_APP_PRIVATE_KEY", "GOVBOT_APP_ID"),
])
def test_from_env_refuses_half_the_app_credentials(present: str, missing: str) -> None:
    """With only one of the App variables set, govbot stops with a configuration error
    (exit 2) naming the missing one, instead of quietly posting with the workflow token
    (which any workflow in the repository can also post with)."""
    with pytest.raises(ConfigError) as info:
        GitHubClient.from_env("org/governance", {present: "1", missing: "",
                                                 "GITHUB_TOKEN": "t0ken"})
    assert info.value.exit_code == 2
    assert str(info.value) == (
        f"{present} is set but {missing} is not: govbot signs in as the GitHub App only with "
        f"both, and will not quietly fall back to GITHUB_TOKEN. Pass {missing} too (the "
        "action's app-id and app-private-key inputs, from secrets), or neither to post as "
        "github-actions[bot]")


def test_from_env_uses_the_enterprise_api_url(rsps: responses.RequestsMock) -> None:
    """GITHUB_API_URL points the client at GitHub Enterprise Server, with the token."""
    rsps.get("https://ghe.example.com:443/api/v3/repos/org/governance/git/ref/heads/main",
             json={"object": {"sha": HEAD}},
             match=[matchers.header_matcher({"Authorization": "token s3cret"})])
    client = GitHubClient.from_env(
        "org/governance", {"GITHUB_API_URL": "https://ghe.example.com/api/v3",
                           "GITHUB_TOKEN": "s3cret"},
        retry=None, seconds_between_requests=None, seconds_between_writes=None)
    assert client.branch_tip("main") == HEAD


def test_app_credentials_use_an_installation_token(rsps: responses.RequestsMock) -> None:
    """GOVBOT_APP_ID + GOVBOT_APP_PRIVATE_KEY: find the installation, mint its token, and
    use that token for the repository's requests."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    rsps.get(f"{API}/installation", json={"id": 55, "app_id": 1, "account": None})
    rsps.post("https://api.github.com:443/app/installations/55/access_tokens", status=201,
              json={"token": "ghs_installation", "expires_at": "2099-01-01T00:00:00Z"})
    rsps.get(f"{API}/git/ref/heads/main", json={"object": {"sha": HEAD}},
             match=[matchers.header_matcher({"Authorization": "token ghs_installation"})])
    client = GitHubClient.from_env(
        "org/governance", {"GOVBOT_APP_ID": "1", "GOVBOT_APP_PRIVATE_KEY": pem},
        retry=None, seconds_between_requests=None, seconds_between_writes=None)
    assert client.branch_tip("main") == HEAD


@pytest.mark.parametrize(("pull_ok", "ref_ok", "heads", "posted"), [
    (True, None, [OLD], [HEAD]),
    (False, True, [OLD], [HEAD, OLD]),
    (False, False, [OLD], [OLD]),
], ids=["the PR reads", "from its head ref", "only the event's head"])
def test_post_error_finds_the_head_wherever_it_can(
        rsps: responses.RequestsMock, client: GitHubClient, pull_ok: bool,
        ref_ok: bool | None, heads: list[str], posted: list[str]) -> None:
    """`error` goes on the head of a fresh read of the PR; when that read fails, on the
    head of `refs/pull/N/head` and the SHAs the caller knows (the event's copy)."""
    if pull_ok:
        rsps.get(f"{API}/pulls/7", json=pull())
    else:
        rsps.get(f"{API}/pulls/7", status=502, json={"message": "Bad Gateway"})
    if ref_ok is not None:
        rsps.get(f"{API}/git/ref/pull/7/head",
                 json=shapes.git_ref(REPO_URL, "refs/pull/7/head", HEAD) if ref_ok else
                 {"message": "Bad Gateway"}, status=200 if ref_ok else 502)
    for sha in posted:
        rsps.post(f"{API}/statuses/{sha}", json={}, status=201, match=[matchers.json_params_matcher(
            {"state": "error", "context": "govbot/vote", "description": "broken"})])
    assert client.post_error(7, heads, "govbot/vote", "broken", None) == posted


def test_post_error_without_any_head_raises(rsps: responses.RequestsMock,
                                            client: GitHubClient) -> None:
    """With neither the PR, its head ref nor a known SHA, there is nowhere to post: the
    caller gets the error and says so."""
    rsps.get(f"{API}/pulls/7", status=502, json={"message": "Bad Gateway"})
    rsps.get(f"{API}/git/ref/pull/7/head", status=404, json={"message": "Not Found"})
    with pytest.raises(APIError, match="pull/7/head"):
        client.post_error(7, [], "govbot/vote", "broken", None)


@pytest.mark.parametrize(("status", "expected"), [
    (502, "GitHub kept failing on GET /repos/org/governance/pulls/7 (502 on every retry); "
          "GitHub may be having an outage (https://www.githubstatus.com): re-run the job later"),
    (503, "GitHub kept failing on GET /repos/org/governance/pulls/7 (503 on every retry); "
          "GitHub may be having an outage (https://www.githubstatus.com): re-run the job later"),
])
def test_retries_used_up_give_one_clear_line(rsps: responses.RequestsMock, status: int,
                                             expected: str) -> None:
    """After its retries, a read that keeps failing raises APIError with one clear line,
    not requests' RetryError."""
    from github import GithubRetry

    retrying = GitHubClient("org/governance", token="t0ken", seconds_between_requests=None,
                            seconds_between_writes=None,
                            retry=GithubRetry(total=2, backoff_factor=0,
                                              secondary_rate_wait=0, max_rate_limit_wait=0,
                                              allowed_methods=frozenset({"GET"})))
    rsps.get(f"{API}/pulls/7", status=status, json={"message": "Server Error"})
    with pytest.raises(APIError) as info:
        retrying.pull(7)
    assert (str(info.value), info.value.status) == (expected, status)


def test_no_connection_gives_one_clear_line(rsps: responses.RequestsMock,
                                            client: GitHubClient) -> None:
    """A network failure (no answer at all) is one line too."""
    import requests

    rsps.get(f"{API}/pulls/7", body=requests.ConnectionError("Connection refused"))
    with pytest.raises(APIError) as info:
        client.pull(7)
    assert str(info.value) == ("could not reach GitHub for GET /repos/org/governance/pulls/7 "
                               "(no answer: a network error or a timeout); re-run the job")


def test_a_rate_limit_that_outlasts_the_retries_says_so() -> None:
    """requests' text for retries used up on 403s reads as the rate limit it is."""
    from govbot.github.payloads import transport_error

    error = transport_error("Max retries exceeded with url: /x (Caused by ResponseError("
                            "'too many 403 error responses'))", "GET /repos/o/r/pulls/7")
    assert (str(error), error.status) == (
        "GitHub's rate limit kept stopping GET /repos/o/r/pulls/7 (403 on every retry); the "
        "next event or the scheduled sweep will bring the PR up to date", 403)
