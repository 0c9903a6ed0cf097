"""The GitHub adapter: the only module that imports PyGithub.

It speaks govbot, not PyGithub: every method returns plain data (dicts in the REST shapes of
DESIGN §5, numbers, strings), never PyGithub objects. PyGithub provides authentication
(token or GitHub App), bounded retries and throttling; requests go through its requester so
each one is a single, countable REST call (`lazy=True`, `per_page=100`).

Writes are idempotent rather than retried: the comment is re-listed and de-duplicated after a
create, a status is skipped when govbot's last-written state (kept in its comment, see
`comment.BotState`) or, when that is unknown, GitHub's combined status already shows the
same state and description, and statuses are never posted to a SHA that is no longer the
pull request's head.

The pure half (errors and their messages, request payloads, response → govbot data) is in
`ghdata`; its names stay importable from here.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

import github as pygithub
from github import Auth, GithubException, GithubIntegration, GithubRetry

from .comment import MARKER, fingerprint, split_state
from .errors import ConfigError, GitHubError
from .ghdata import LABELS as LABELS
from .ghdata import (
    NO_CREDENTIALS,
    api_error,
    approved_commits,
    dir_files,
    half_app_credentials,
    label_changes,
    label_payload,
    latest_ready,
    marked_issue,
    next_page,
    record_files,
    snapshot_data,
    status_payload,
    too_many_files,
    too_many_pages,
    touches_governance,
    tree_changes,
    tree_entry,
)
from .ghdata import SNAPSHOT_SCHEMA as SNAPSHOT_SCHEMA
from .ghdata import APIError as APIError
from .ghdata import NonFastForward as NonFastForward
from .ghdata import bot_comments as bot_comments
from .ghdata import git_blob_sha as git_blob_sha
from .ghdata import is_decision_path as is_decision_path
from .ghdata import shorten as shorten

DEFAULT_API = "https://api.github.com"
# Lists are read whole or not at all: a list that runs past MAX_PAGES pages of 100 raises
# rather than be judged on its first part (a hidden record, or an objection pushed past the
# cut by comment spam, would otherwise fail open). 100 pages = 10,000 comments, reviews or
# timeline events: far more than a real discussion (GitHub's own page struggles long
# before), yet bounded: 100 reads, a tenth of the workflow token's 1,000 requests an hour.
MAX_PAGES = 100
PER_PAGE = 100
MAX_FILES = 3000  # GitHub lists at most 3,000 files of a pull request


def _explain(exc: GithubException, method: str, path: str, need: str) -> APIError:
    return api_error(exc.status, exc.data, f"{method} {path}", need)


def _cut_short(files: list[dict[str, Any]], total: Any) -> bool:
    """Whether a PR's file listing misses files: fewer than `changed_files` (when known),
    else as many as GitHub ever lists."""
    return len(files) < total if isinstance(total, int) else len(files) >= MAX_FILES


class GitHubClient:
    """One repository on GitHub, as govbot needs it."""

    def __init__(self, repository: str, *, token: str | None = None,
                 auth: Auth.Auth | None = None, base_url: str = DEFAULT_API,
                 retry: Any = "default", seconds_between_requests: float | None = 0.25,
                 seconds_between_writes: float | None = 1.0) -> None:
        if retry == "default":
            retry = GithubRetry(total=3, backoff_factor=1, max_rate_limit_wait=60,
                                secondary_rate_wait=10,
                                allowed_methods=frozenset({"GET", "HEAD"}))
        if auth is None and token:
            auth = Auth.Token(token)
        self.repository = repository
        self._api = pygithub.Github(
            auth=auth, base_url=base_url, per_page=100, lazy=True, retry=retry,
            seconds_between_requests=seconds_between_requests,
            seconds_between_writes=seconds_between_writes)
        self._requester = self._api.requester
        self._repo = f"/repos/{repository}"

    @classmethod
    def from_env(cls, repository: str, env: Mapping[str, str] = os.environ,
                 **options: Any) -> GitHubClient:
        """A client from GITHUB_API_URL and GITHUB_TOKEN, or GitHub App credentials
        (GOVBOT_APP_ID + GOVBOT_APP_PRIVATE_KEY → an installation token for `repository`).
        ConfigError when only one of the two is set: falling back to the workflow token
        would quietly drop the gate that cannot be spoofed (DESIGN §9)."""
        base_url = env.get("GITHUB_API_URL") or DEFAULT_API
        app_id, key = env.get("GOVBOT_APP_ID"), env.get("GOVBOT_APP_PRIVATE_KEY")
        if bool(app_id) != bool(key):
            raise ConfigError(half_app_credentials(
                "GOVBOT_APP_PRIVATE_KEY" if app_id else "GOVBOT_APP_ID"))
        if app_id and key:
            app = Auth.AppAuth(app_id, key)
            owner, name = repository.split("/", 1)
            integration = GithubIntegration(auth=app, base_url=base_url)
            try:
                installation = integration.get_repo_installation(owner, name)
            except GithubException as exc:
                raise _explain(exc, "GET", f"/repos/{repository}/installation", "read") from None
            return cls(repository, auth=app.get_installation_auth(installation.id),
                       base_url=base_url, **options)
        token = env.get("GITHUB_TOKEN") or env.get("GH_TOKEN")
        if not token:
            raise GitHubError(NO_CREDENTIALS)
        return cls(repository, token=token, base_url=base_url, **options)

    # --- transport -------------------------------------------------------------------------
    def _call(self, method: str, path: str, *, need: str = "read",
              params: Mapping[str, Any] | None = None, body: Any = None,
              headers: Mapping[str, str] | None = None) -> tuple[dict[str, Any], Any]:
        try:
            return self._requester.requestJsonAndCheck(
                method, path, parameters=dict(params) if params else None,
                headers=dict(headers) if headers else None, input=body)
        except GithubException as exc:
            raise _explain(exc, method, path.split("?")[0], need) from None

    def _get(self, path: str, **params: Any) -> Any:
        return self._call("GET", self._repo + path, params=params or None)[1]

    def _get_all(self, path: str, what: str, **params: Any) -> list[dict[str, Any]]:
        """Every item of a list (`what` names it for the error): one read per 100 items.
        GitHubError when more than MAX_PAGES pages remain: govbot never judges part of
        a list."""
        headers, page = self._call("GET", self._repo + path,
                                   params={**params, "per_page": PER_PAGE})
        items, pages = list(page), 1
        while (link := next_page(headers)) is not None:
            if pages == MAX_PAGES:
                raise GitHubError(too_many_pages(what, MAX_PAGES, PER_PAGE))
            headers, page = self._call("GET", link)
            items.extend(page)
            pages += 1
        return items

    def _comments(self, number: int) -> list[dict[str, Any]]:
        return self._get_all(f"/issues/{number}/comments", f"the comments on #{number}")

    def _commit_pulls(self, sha: str) -> list[dict[str, Any]]:
        return self._get_all(f"/commits/{sha}/pulls", f"the pull requests of {sha[:7]}")

    # --- the pull request snapshot ---------------------------------------------------------
    def pull(self, number: int) -> dict[str, Any]:
        """The pull request as GitHub shows it now (one read)."""
        return dict(self._get(f"/pulls/{number}"))

    def snapshot(self, number: int, *, now: dt.datetime, protected: Iterable[str] = (),
                 compare: bool = True, pull: Mapping[str, Any] | None = None,
                 ready_at: str | None = None, read_ready: bool = True) -> dict[str, Any]:
        """The PR snapshot of DESIGN §5: the PR, its files, reviews and comments, the head
        text of each changed decision record, `ready_at` and `stale_commits`.

        Reads: 3, plus one for the PR unless `pull` (an event's or a listing's copy) is
        given, plus one per changed decision record, plus one per distinct approving review
        commit that is not the head (only when `compare`, i.e. stale_approvals: content),
        plus one for `ready_at` (see `ready_time`) unless it is given, the PR is a draft
        (null: no review period runs), or `read_ready` is false (null: the caller fills it
        in). Record texts come from the contents API as base64 JSON (exact bytes; one
        request each) rather than the raw media type, so bytes that are not UTF-8 survive
        (as surrogate escapes) for the checker to refuse.

        GitHubError when GitHub's listing holds fewer files than the PR changes (it lists
        at most 3,000): a PR must not be judged without the files past the cut. A copy of
        the PR given as `pull` may be older than the listing, so a short listing is first
        checked against a fresh read (one more read, only then)."""
        fresh = pull is None
        pull = dict(pull) if pull is not None else self.pull(number)
        head = pull["head"]["sha"]
        files = self._files(number, pull, fresh=fresh)
        reviews = self._get_all(f"/pulls/{number}/reviews", f"the reviews of #{number}")
        comments = self._comments(number)
        records = {}
        for path in record_files(files):
            data = self.read_file(path, head)
            if data is not None:
                # surrogateescape keeps bytes that are not UTF-8, so the checker can
                # refuse them (snapshot.record_bytes recovers them exactly)
                records[path] = data.decode("utf-8", "surrogateescape")
        patterns = tuple(protected)
        stale = ([c for c in approved_commits(reviews, head)
                  if self._content_changed(c, head, patterns)] if compare else [])
        if ready_at is None and read_ready and not pull.get("draft"):
            ready_at = self.ready_time(number, pull)
        return snapshot_data(self.repository, now, pull, ready_at, files, reviews, comments,
                             records, stale)

    def _files(self, number: int, pull: Mapping[str, Any], *, fresh: bool
               ) -> list[dict[str, Any]]:
        """The PR's whole file listing, or GitHubError when GitHub cut it short."""
        files = self._get_all(f"/pulls/{number}/files", f"the files of #{number}")
        total = pull.get("changed_files")  # absent from a listing's copy of the PR
        if _cut_short(files, total) and not fresh:
            total = self.pull(number).get("changed_files")
        if _cut_short(files, total):
            raise GitHubError(too_many_files(
                number, total if isinstance(total, int) else len(files), MAX_FILES))
        return files

    def ready_time(self, number: int, pull: Mapping[str, Any]) -> str:
        """When the PR was last marked ready for review (the latest `ready_for_review` event
        of its timeline), else when it was opened: one read per 100 timeline events. Used
        only when govbot has not recorded it (installed on an existing PR, or a draft marked
        ready while no run saw it)."""
        return latest_ready(self._get_all(f"/issues/{number}/timeline",
                                          f"the timeline events of #{number}"), pull)

    def _content_changed(self, commit: str, head: str, patterns: tuple[str, ...]) -> bool:
        try:
            diff = self._get(f"/compare/{commit}...{head}")
        except APIError as exc:
            if exc.status == 404:  # the reviewed commit is gone (force-push): stale
                return True
            raise
        return touches_governance(diff, patterns)

    def read_file(self, path: str, ref: str) -> bytes | None:
        """A file's bytes at a ref (one request; None when it does not exist there)."""
        try:
            body = self._get(f"/contents/{quote(path)}", ref=ref)
        except APIError as exc:
            if exc.status == 404:
                return None
            raise
        if not isinstance(body, dict) or body.get("type") != "file":
            return None
        if body.get("encoding") == "base64":
            return base64.b64decode(body.get("content") or "")
        blob = self._get(f"/git/blobs/{body['sha']}")  # over 1 MB: the blob API has it
        return base64.b64decode(blob.get("content") or "")

    def list_dir(self, path: str, ref: str) -> list[str]:
        """The paths of the files directly in a directory at a ref ([] when it is absent)."""
        try:
            body = self._get(f"/contents/{quote(path)}", ref=ref)
        except APIError as exc:
            if exc.status == 404:
                return []
            raise
        return dir_files(body)

    # --- the status comment ----------------------------------------------------------------
    def upsert_comment(self, number: int, body: str, *, marker: str, bot_login: str,
                       comments: list[dict[str, Any]] | None = None) -> str:
        """Create, update or leave the one status comment; "created", "updated" or
        "unchanged". `comments` (from the snapshot) saves re-listing them."""
        if comments is None:
            comments = self._comments(number)
        mine = bot_comments(comments, marker, bot_login)
        self._prune(mine)  # a racing run's duplicate that outlived its re-list
        if mine:
            if mine[0].get("body") == body:
                return "unchanged"
            self._edit_comment(mine[0]["id"], body)
            return "updated"
        created = self._call("POST", f"{self._repo}/issues/{number}/comments",
                             need="comment", body={"body": body})[1]
        mine = bot_comments(self._comments(number), marker, bot_login)
        self._prune(mine)
        if mine and mine[0]["id"] != created["id"] and mine[0].get("body") != body:
            self._edit_comment(mine[0]["id"], body)
        return "created" if not mine or mine[0]["id"] == created["id"] else "updated"

    def forget_state(self, number: int, bot_login: str, marker: str = MARKER) -> bool:
        """Remove govbot's state line from its comment (one read, and one write when there
        is a line), so the next run reads the real statuses instead of trusting it: the
        fail-closed path calls this after posting `error`. Whether it wrote."""
        mine = bot_comments(self._comments(number), marker, bot_login)
        if not mine:
            return False
        body, state = split_state(mine[0].get("body") or "")
        if state is None:
            return False
        self._edit_comment(mine[0]["id"], body)
        return True

    def _edit_comment(self, comment_id: int, body: str) -> None:
        self._call("PATCH", f"{self._repo}/issues/comments/{comment_id}", need="comment",
                   body={"body": body})

    def _prune(self, mine: list[dict[str, Any]]) -> None:
        """Delete every govbot comment but the first (`mine` is oldest first)."""
        for extra in mine[1:]:
            self._delete(f"/issues/comments/{extra['id']}", "comment")

    def _delete(self, path: str, need: str) -> None:
        try:
            self._call("DELETE", self._repo + path, need=need)
        except APIError as exc:
            if exc.status != 404:  # already gone (a racing run removed it): fine
                raise

    # --- statuses --------------------------------------------------------------------------
    def set_statuses(self, number: int, expected_head: str | None,
                     statuses: Mapping[str, tuple[str, str]], target_url: str | None
                     ) -> dict[str, bool]:
        """Post each `{context: (state, description)}` on the head, re-reading the PR first;
        nothing is posted when the head moved on from `expected_head` (None: post to
        whatever the head is, as the fail-closed `error` does). Skips a context whose latest
        status has the same state and description. Returns {context: written}."""
        head = self.pull(number)["head"]["sha"]
        if expected_head is not None and head != expected_head:
            return dict.fromkeys(statuses, False)
        return self.post_statuses(head, statuses, target_url)

    def post_statuses(self, head: str, statuses: Mapping[str, tuple[str, str]],
                      target_url: str | None,
                      known: Mapping[str, tuple[str, str]] | None = None) -> dict[str, bool]:
        """Post each `{context: (state, description)}` on `head`, which the caller has just
        confirmed is the PR's head, skipping a context whose last status is already the
        same. `known` is {context: (state, fingerprint(description))} as govbot last wrote
        them (from its comment's state); None means unknown: read the combined status (one
        read). Returns {context: written}."""
        if known is None:
            known = {s["context"]: (s["state"], fingerprint(s.get("description") or ""))
                     for s in self._get(f"/commits/{head}/status").get("statuses", [])}
        written = {}
        for context, (state, description) in statuses.items():
            text = shorten(description)
            written[context] = known.get(context) != (state, fingerprint(text))
            if written[context]:
                self._call("POST", f"{self._repo}/statuses/{head}", need="statuses",
                           body=status_payload(context, state, text, target_url))
        return written

    def set_status(self, sha: str, context: str, state: str, description: str,
                   target_url: str | None, *, number: int) -> bool:
        """One status on the PR's head (see set_statuses); whether it was written."""
        return self.set_statuses(number, sha, {context: (state, description)}, target_url)[
            context]

    # --- labels ----------------------------------------------------------------------------
    def set_labels(self, number: int, wanted: set[str], current: set[str]) -> bool:
        """Make the PR's govbot/* labels exactly `wanted`, creating a label the first time
        it is used; other labels are left alone. Whether anything was written."""
        add, remove = label_changes(wanted, current)
        if add:
            self._add_labels(number, add)
        for name in remove:
            self._delete(f"/issues/{number}/labels/{quote(name, safe='')}", "labels")
        return bool(add or remove)

    def _add_labels(self, number: int, names: list[str]) -> None:
        def add() -> None:
            self._call("POST", f"{self._repo}/issues/{number}/labels", need="labels",
                       body={"labels": names})

        try:
            add()
        except APIError as exc:
            if exc.status not in (404, 422):
                raise
            for name in names:
                try:
                    self._call("POST", f"{self._repo}/labels", need="labels",
                               body=label_payload(name))
                except APIError as again:
                    if again.status != 422:  # 422: it exists already
                        raise
            add()

    # --- finding pull requests -------------------------------------------------------------
    def open_pulls(self) -> list[dict[str, Any]]:
        """Every open PR, as the listing shows it (one read per 100 PRs): the schedule sweep
        judges each from this copy, so it need not read each PR before judging it."""
        return self._get_all("/pulls", "the open pull requests", state="open")

    def open_pull_numbers(self) -> list[int]:
        """Every open PR's number."""
        return [p["number"] for p in self.open_pulls()]

    def pulls_with_head(self, sha: str) -> list[dict[str, Any]]:
        """Open PRs whose head is `sha`; fork PRs, which GitHub's commit→pulls endpoint does
        not list, are found among the open PRs."""
        found = [p for p in self._commit_pulls(sha)
                 if p.get("state") == "open" and p["head"]["sha"] == sha]
        return found or [p for p in self.open_pulls() if p["head"]["sha"] == sha]

    def pulls_for_commit(self, sha: str) -> list[int]:
        """The numbers of the open PRs whose head is `sha` (see pulls_with_head)."""
        return [p["number"] for p in self.pulls_with_head(sha)]

    def merged_pulls_for_commit(self, sha: str) -> list[int]:
        """The merged PRs that brought default-branch commit `sha` in (merge, squash or
        rebase): GitHub lists them on the commit; only merged ones are returned."""
        return sorted(p["number"] for p in self._commit_pulls(sha)
                      if p.get("merged_at"))

    # --- merge-time writes (publish) -------------------------------------------------------
    def branch_tip(self, branch: str) -> str:
        """The commit sha a branch points at."""
        return str(self._get(f"/git/ref/heads/{quote(branch)}")["object"]["sha"])

    def commit_files(self, branch: str, parent_sha: str, files: Mapping[str, bytes | None],
                     message: str) -> str | None:
        """Commit `files` (None deletes) on top of `parent_sha` and move `branch` there
        (fast-forward only) through the Git Data API, with no author so GitHub signs it
        (Verified). None when nothing would change; NonFastForward when the branch moved."""
        tree = self._get(f"/git/commits/{parent_sha}")["tree"]["sha"]
        listing = self._get(f"/git/trees/{tree}", recursive="1")
        entries = [self._tree_entry(path, data) for path, data in tree_changes(files, listing)]
        if not entries:
            return None
        new_tree = self._call("POST", f"{self._repo}/git/trees", need="contents",
                              body={"base_tree": tree, "tree": entries})[1]["sha"]
        commit = self._call("POST", f"{self._repo}/git/commits", need="contents",
                            body={"message": message, "tree": new_tree,
                                  "parents": [parent_sha]})[1]["sha"]
        try:
            self._call("PATCH", f"{self._repo}/git/refs/heads/{quote(branch)}",
                       need="contents", body={"sha": commit, "force": False})
        except APIError as exc:
            if exc.status == 422 and "fast forward" in exc.message:
                raise NonFastForward(f"{branch} moved while govbot was committing; "
                                     "re-reading it") from None
            raise
        return str(commit)

    def _tree_entry(self, path: str, data: bytes | None) -> dict[str, Any]:
        if data is None:
            return tree_entry(path, None)
        try:
            return tree_entry(path, data)
        except UnicodeDecodeError:  # not text: upload the bytes as a blob first
            blob = self._call("POST", f"{self._repo}/git/blobs", need="contents",
                              body={"content": base64.b64encode(data).decode(),
                                    "encoding": "base64"})[1]
            return tree_entry(path, data, blob["sha"])

    def ensure_issue(self, marker: str, title: str, body: str) -> int:
        """The number of the open issue carrying `marker`, opening it (with the marker in
        its body) when there is none."""
        found = marked_issue(self._get_all("/issues", "the open issues", state="open"), marker)
        if found is not None:
            return found
        text = body if marker in body else f"{marker}\n{body}"
        created = self._call("POST", f"{self._repo}/issues", need="issue",
                             body={"title": title, "body": text})[1]
        return int(created["number"])

