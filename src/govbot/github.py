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
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

import github as pygithub
from github import Auth, GithubException, GithubIntegration, GithubRetry

from .comment import MARKER, fingerprint, split_state
from .errors import GitHubError
from .tally import path_matches

DEFAULT_API = "https://api.github.com"
SNAPSHOT_SCHEMA = "govbot.snapshot/1"
DECISIONS = "decisions/"
MAX_DESCRIPTION = 140
MAX_PAGES = 30  # 3,000 items of one kind: more than any governance PR should have
LABELS = {
    "govbot/approved": ("0e8a16", "govbot: the committee approved this proposal"),
    "govbot/pending": ("fbca04", "govbot: the vote is still open"),
    "govbot/blocked": ("b60205", "govbot: a committee member vetoed this proposal"),
}


class APIError(GitHubError):
    """GitHub answered a request with an error status."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.status = status


class NonFastForward(GitHubError):
    """The branch moved while govbot was preparing its commit; re-read and redo."""


def is_decision_path(path: str) -> bool:
    """Whether a path is a decision record (`decisions/*.md`, not in a subdirectory)."""
    return path.startswith(DECISIONS) and path.endswith(".md") and path.count("/") == 1


def shorten(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """`text` cut to `limit` characters, ending with … when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def git_blob_sha(data: bytes) -> str:
    """The git object id of a blob with this content (to skip unchanged files)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


_PERMISSIONS = {"statuses": "statuses: write", "comment": "pull-requests: write",
                "labels": "issues: write", "issue": "issues: write",
                "contents": "contents: write", "read": "pull-requests: read"}


def bot_comments(comments: Iterable[Mapping[str, Any]], marker: str, bot: str
                 ) -> list[dict[str, Any]]:
    """The comments carrying `marker` AND written by `bot`, oldest first (a marker in
    anyone else's comment does not count)."""
    found = [dict(c) for c in comments if marker in (c.get("body") or "")
             and (c.get("user") or {}).get("login", "").lower() == bot.lower()]
    return sorted(found, key=lambda c: (c.get("created_at") or "", c["id"]))


def _explain(exc: GithubException, method: str, path: str, need: str) -> APIError:
    data = exc.data if isinstance(exc.data, dict) else {}
    message = str(data.get("message") or "no message")
    where = f"{method} {path}"
    if exc.status == 401:
        text = ("GitHub rejected the credentials (401 Bad credentials): pass the workflow "
                "token as GITHUB_TOKEN (env: GITHUB_TOKEN: ${{ github.token }}) or set "
                "GOVBOT_APP_ID and GOVBOT_APP_PRIVATE_KEY")
    elif exc.status == 403 and "not accessible by integration" in message:
        text = (f"GitHub refused {where}: the token lacks a permission. Grant "
                f"`permissions: {_PERMISSIONS[need]}` to this job in the workflow file")
    elif exc.status in (403, 429) and "rate limit" in message.lower():
        text = (f"GitHub's rate limit stopped {where} ({exc.status}: {message}); the next "
                "event or the scheduled sweep will bring the PR up to date")
    elif exc.status >= 500:
        text = f"GitHub failed on {where} ({exc.status}: {message}); re-run the job"
    else:
        text = f"GitHub refused {where} ({exc.status}: {message})"
    return APIError(text, status=exc.status)


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
        (GOVBOT_APP_ID + GOVBOT_APP_PRIVATE_KEY → an installation token for `repository`)."""
        base_url = env.get("GITHUB_API_URL") or DEFAULT_API
        app_id, key = env.get("GOVBOT_APP_ID"), env.get("GOVBOT_APP_PRIVATE_KEY")
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
            raise GitHubError("no GitHub credentials: pass the workflow token to govbot as "
                              "GITHUB_TOKEN (env: GITHUB_TOKEN: ${{ github.token }}), or set "
                              "GOVBOT_APP_ID and GOVBOT_APP_PRIVATE_KEY for a GitHub App")
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

    def _get_all(self, path: str, **params: Any) -> list[dict[str, Any]]:
        headers, page = self._call("GET", self._repo + path, params={**params, "per_page": 100})
        items = list(page)
        for _ in range(MAX_PAGES):
            match = re.search(r'<([^>]+)>;\s*rel="next"', str(headers.get("link", "")))
            if not match:
                break
            headers, page = self._call("GET", match[1])
            items.extend(page)
        return items

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
        (as surrogate escapes) for the checker to refuse."""
        pull = dict(pull) if pull is not None else self.pull(number)
        head = pull["head"]["sha"]
        files = self._get_all(f"/pulls/{number}/files")
        reviews = self._get_all(f"/pulls/{number}/reviews")
        comments = self._get_all(f"/issues/{number}/comments")
        records = {}
        for entry in files:
            if is_decision_path(entry["filename"]) and entry["status"] != "removed":
                data = self.read_file(entry["filename"], head)
                if data is not None:
                    # surrogateescape keeps bytes that are not UTF-8, so the checker can
                    # refuse them (snapshot.record_bytes recovers them exactly)
                    records[entry["filename"]] = data.decode("utf-8", "surrogateescape")
        patterns = tuple(protected)
        stale = []
        if compare:
            commits = sorted({r["commit_id"] for r in reviews
                              if r.get("state") == "APPROVED" and r.get("commit_id") != head})
            stale = [c for c in commits if self._content_changed(c, head, patterns)]
        if ready_at is None and read_ready and not pull.get("draft"):
            ready_at = self.ready_time(number, pull)
        return {"schema": SNAPSHOT_SCHEMA, "repository": self.repository,
                "taken_at": now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "pull_request": pull, "ready_at": ready_at, "files": files,
                "reviews": reviews, "comments": comments, "records": records,
                "stale_commits": stale}

    def ready_time(self, number: int, pull: Mapping[str, Any]) -> str:
        """When the PR was last marked ready for review (the latest `ready_for_review` event
        of its timeline), else when it was opened: one read per 100 timeline events. Used
        only when govbot has not recorded it (installed on an existing PR, or a draft marked
        ready while no run saw it)."""
        events = self._get_all(f"/issues/{number}/timeline")
        marked = [str(e["created_at"]) for e in events
                  if e.get("event") == "ready_for_review" and e.get("created_at")]
        return max(marked, default=str(pull["created_at"]))

    def _content_changed(self, commit: str, head: str, patterns: tuple[str, ...]) -> bool:
        try:
            diff = self._get(f"/compare/{commit}...{head}")
        except APIError as exc:
            if exc.status == 404:  # the reviewed commit is gone (force-push): stale
                return True
            raise
        return any(is_decision_path(f["filename"]) or f["filename"].startswith(DECISIONS)
                   or any(path_matches(f["filename"], p) for p in patterns)
                   for f in diff.get("files", []))

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
        if not isinstance(body, list):
            return []
        return sorted(str(e["path"]) for e in body if e.get("type") == "file")

    # --- the status comment ----------------------------------------------------------------
    def upsert_comment(self, number: int, body: str, *, marker: str, bot_login: str,
                       comments: list[dict[str, Any]] | None = None) -> str:
        """Create, update or leave the one status comment; "created", "updated" or
        "unchanged". `comments` (from the snapshot) saves re-listing them."""
        if comments is None:
            comments = self._get_all(f"/issues/{number}/comments")
        mine = bot_comments(comments, marker, bot_login)
        for extra in mine[1:]:  # a racing run's duplicate that outlived its re-list
            self._delete(f"/issues/comments/{extra['id']}", "comment")
        if mine:
            first = mine[0]
            if first.get("body") == body:
                return "unchanged"
            self._call("PATCH", f"{self._repo}/issues/comments/{first['id']}", need="comment",
                       body={"body": body})
            return "updated"
        created = self._call("POST", f"{self._repo}/issues/{number}/comments",
                             need="comment", body={"body": body})[1]
        mine = bot_comments(self._get_all(f"/issues/{number}/comments"), marker, bot_login)
        for extra in mine[1:]:
            self._delete(f"/issues/comments/{extra['id']}", "comment")
        if mine and mine[0]["id"] != created["id"] and mine[0].get("body") != body:
            self._call("PATCH", f"{self._repo}/issues/comments/{mine[0]['id']}",
                       need="comment", body={"body": body})
        return "created" if not mine or mine[0]["id"] == created["id"] else "updated"

    def forget_state(self, number: int, bot_login: str, marker: str = MARKER) -> bool:
        """Remove govbot's state line from its comment (one read, and one write when there
        is a line), so the next run reads the real statuses instead of trusting it: the
        fail-closed path calls this after posting `error`. Whether it wrote."""
        mine = bot_comments(self._get_all(f"/issues/{number}/comments"), marker, bot_login)
        if not mine:
            return False
        body, state = split_state(mine[0].get("body") or "")
        if state is None:
            return False
        self._call("PATCH", f"{self._repo}/issues/comments/{mine[0]['id']}", need="comment",
                   body={"body": body})
        return True

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
                payload = {"state": state, "description": text, "context": context}
                if target_url:
                    payload["target_url"] = target_url
                self._call("POST", f"{self._repo}/statuses/{head}", need="statuses",
                           body=payload)
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
        add = sorted(wanted - current)
        remove = sorted((current & set(LABELS)) - wanted)
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
                color, description = LABELS.get(name, ("ededed", "govbot"))
                try:
                    self._call("POST", f"{self._repo}/labels", need="labels",
                               body={"name": name, "color": color, "description": description})
                except APIError as again:
                    if again.status != 422:  # 422: it exists already
                        raise
            add()

    # --- finding pull requests -------------------------------------------------------------
    def open_pulls(self) -> list[dict[str, Any]]:
        """Every open PR, as the listing shows it (one read per 100 PRs): the schedule sweep
        judges each from this copy, so it need not read each PR before judging it."""
        return self._get_all("/pulls", state="open")

    def open_pull_numbers(self) -> list[int]:
        """Every open PR's number."""
        return [p["number"] for p in self.open_pulls()]

    def pulls_with_head(self, sha: str) -> list[dict[str, Any]]:
        """Open PRs whose head is `sha`; fork PRs, which GitHub's commit→pulls endpoint does
        not list, are found among the open PRs."""
        found = [p for p in self._get_all(f"/commits/{sha}/pulls")
                 if p.get("state") == "open" and p["head"]["sha"] == sha]
        return found or [p for p in self.open_pulls() if p["head"]["sha"] == sha]

    def pulls_for_commit(self, sha: str) -> list[int]:
        """The numbers of the open PRs whose head is `sha` (see pulls_with_head)."""
        return [p["number"] for p in self.pulls_with_head(sha)]

    def merged_pulls_for_commit(self, sha: str) -> list[int]:
        """The merged PRs that brought default-branch commit `sha` in (merge, squash or
        rebase): GitHub lists them on the commit; only merged ones are returned."""
        return sorted(p["number"] for p in self._get_all(f"/commits/{sha}/pulls")
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
        existing = {e["path"]: e["sha"] for e in listing.get("tree", [])
                    if e.get("type") == "blob"}
        entries: list[dict[str, Any]] = []
        for path, data in sorted(files.items()):
            if data is None:
                if path in existing or listing.get("truncated"):
                    entries.append({"path": path, "mode": "100644", "type": "blob", "sha": None})
            elif existing.get(path) != git_blob_sha(data):
                entries.append(self._tree_entry(path, data))
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

    def _tree_entry(self, path: str, data: bytes) -> dict[str, Any]:
        entry: dict[str, Any] = {"path": path, "mode": "100644", "type": "blob"}
        try:
            entry["content"] = data.decode("utf-8")
        except UnicodeDecodeError:
            blob = self._call("POST", f"{self._repo}/git/blobs", need="contents",
                              body={"content": base64.b64encode(data).decode(),
                                    "encoding": "base64"})[1]
            entry["sha"] = blob["sha"]
        return entry

    def ensure_issue(self, marker: str, title: str, body: str) -> int:
        """The number of the open issue carrying `marker`, opening it (with the marker in
        its body) when there is none."""
        for issue in self._get_all("/issues", state="open"):
            if "pull_request" not in issue and marker in (issue.get("body") or ""):
                return int(issue["number"])
        text = body if marker in body else f"{marker}\n{body}"
        created = self._call("POST", f"{self._repo}/issues", need="issue",
                             body={"title": title, "body": text})[1]
        return int(created["number"])

