"""The GitHub adapter: the only module that imports PyGithub.

It speaks govbot, not PyGithub: every method returns plain data (dicts in the REST shapes of
DESIGN §5, numbers, strings), never PyGithub objects. PyGithub provides authentication
(token or GitHub App), bounded retries and throttling; requests go through its requester so
each one is a single, countable REST call (`lazy=True`, `per_page=100`).

Writes are idempotent rather than retried: the comment is re-listed and de-duplicated after a
create, a status is skipped when govbot's last-written state (kept in its comment, see
`botstate.BotState`) or, when that is unknown, GitHub's combined status already shows the
same state and description, and statuses are never posted to a SHA that is no longer the
pull request's head.

The pure half (limits, credentials from the environment, errors and their messages, request
payloads, response → govbot data) is `payloads`, called as `ghdata.<name>`; govbot's own
state on the PR (marker, state line) is `botstate`. Neither this module nor `payloads`
imports the tally or the renderer: the adapter moves data, the core judges it.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

import github as pygithub
from github import Auth, GithubException, GithubIntegration, GithubRetry
from govbot.github import payloads as ghdata
from govbot.github import queries
from govbot.github.botstate import MARKER, bot_comments, fingerprint, without_state
from govbot.github.payloads import (
    DEFAULT_API,
    MAX_FILES,
    MAX_PAGES,
    PER_PAGE,
    APIError,
)
from govbot.model.errors import GitHubError
from govbot.model.vocab import shorten


def _explain(exc: GithubException, method: str, path: str, need: str) -> APIError:
    return ghdata.api_error(exc.status, exc.data, f"{method} {path}", need)


@dataclass(frozen=True, slots=True)
class PullRead:
    """A pull request as `read_pull` read it: the snapshot (DESIGN §5) and the statuses
    on its head ({context: (state, description)}), read in the same query."""

    snapshot: dict[str, Any]
    statuses: dict[str, tuple[str, str]]


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
        # GraphQL queries are POSTs, which urllib3 does not retry: `_graphql` retries them
        # itself (they only read), as often as GETs are retried
        self._query_tries = 1 + (getattr(retry, "total", 0) or 0) if retry else 1
        self._query_wait = float(getattr(retry, "backoff_factor", 0) or 0) if retry else 0.0
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
        found = ghdata.credentials(env)
        if found.app_id is None or found.app_key is None:
            return cls(repository, token=found.token, base_url=found.base_url, **options)
        app = Auth.AppAuth(found.app_id, found.app_key)
        integration = GithubIntegration(auth=app, base_url=found.base_url)
        try:
            installation = integration.get_repo_installation(*repository.split("/", 1))
        except GithubException as exc:
            raise _explain(exc, "GET", f"/repos/{repository}/installation", "read") from None
        return cls(repository, auth=app.get_installation_auth(installation.id),
                   base_url=found.base_url, **options)

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
        except requests.RequestException as exc:  # retries used up, or no connection
            raise ghdata.transport_error(str(exc), f"{method} {path.split('?')[0]}") from None

    def _graphql(self, query: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        """The `data` of a GraphQL query (one request; retried like a GET on 5xx and
        network failures). GitHubError on any error GitHub reports, partial answers
        included: govbot never judges part of an answer."""
        name = query.split("(", 1)[0].split()[-1]
        where = f"POST /graphql ({name})"
        for attempt in range(self._query_tries):
            try:
                data = self._requester.graphql_query(query, dict(variables))[1]
                break
            except GithubException as exc:
                if exc.status < 500 or attempt + 1 == self._query_tries:
                    raise ghdata.graphql_error(exc.status, exc.data, where) from None
            except requests.RequestException as exc:
                if attempt + 1 == self._query_tries:
                    raise ghdata.transport_error(str(exc), where) from None
            time.sleep(self._query_wait * 2 ** attempt)
        if not isinstance(data.get("data"), dict):
            raise ghdata.graphql_error(200, data, where)
        return dict(data["data"])

    def _get(self, path: str, **params: Any) -> Any:
        return self._call("GET", self._repo + path, params=params or None)[1]

    def _get_found(self, path: str, **params: Any) -> Any:
        """A read, or None when GitHub answers 404 (not there)."""
        try:
            return self._get(path, **params)
        except APIError as exc:
            if exc.status == 404:
                return None
            raise

    def _get_all(self, path: str, what: str, **params: Any) -> list[dict[str, Any]]:
        """Every item of a list (`what` names it for the error): one read per 100 items.
        GitHubError when more than MAX_PAGES pages remain: govbot never judges part of
        a list."""
        headers, page = self._call("GET", self._repo + path,
                                   params={**params, "per_page": PER_PAGE})
        items, pages = list(page), 1
        while (link := ghdata.next_page(headers)) is not None:
            if pages == MAX_PAGES:
                raise GitHubError(ghdata.too_many_pages(what, MAX_PAGES, PER_PAGE))
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

    def pull_head(self, number: int) -> str:
        """The PR's head SHA from its git ref `refs/pull/N/head` (one read): the fail-closed
        path's way to find the head when reading the pull request itself failed."""
        return str(self._get(f"/git/ref/pull/{number}/head")["object"]["sha"])

    def snapshot(self, number: int, *, now: dt.datetime, protected: Iterable[str] = (),
                 compare: bool = True, pull: Mapping[str, Any] | None = None,
                 ready_at: str | None = None, read_ready: bool = True) -> dict[str, Any]:
        """The PR snapshot of DESIGN §5: the PR, its files, reviews and comments, the head
        text of each changed decision record, `ready_at` and `stale_commits`.

        Reads: 3, plus one for the PR unless `pull` (an event's or a listing's copy) is
        given, plus one per changed decision record and per changed file govbot loads
        (governance.yml, templates/: `config_files`, checked as proposed), plus, when an
        approval was given on an older commit and the PR touches governed paths (only when
        `compare`, i.e. stale_approvals: content), one tree read for the head and one per
        distinct such commit (see `_stale`), plus one for `ready_at` (see `ready_time`)
        unless it is given, the PR is a draft (null: no review period runs), or
        `read_ready` is false (null: the caller fills it in). Record texts come from the
        contents API as base64 JSON (exact bytes; one request each) rather than the raw
        media type, so bytes that are not UTF-8 survive (as surrogate escapes) for the
        checker to refuse.

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
        records = ghdata.record_texts({path: self.read_file(path, head)
                                       for path in ghdata.record_files(files)})
        config_files = ghdata.record_texts({path: self.read_file(path, head)
                                            for path in ghdata.loaded_files(files)})
        stale = self._stale(reviews, files, head, tuple(protected)) if compare else []
        if ready_at is None and read_ready and not pull.get("draft"):
            ready_at = self.ready_time(number, pull)
        return ghdata.snapshot_data(self.repository, now, pull, ready_at, files, reviews,
                                    comments, records, stale, config_files)

    def _files(self, number: int, pull: Mapping[str, Any], *, fresh: bool
               ) -> list[dict[str, Any]]:
        """The PR's whole file listing, or TooManyFiles when GitHub cut it short."""
        files = self._get_all(f"/pulls/{number}/files", f"the files of #{number}")
        total = pull.get("changed_files")  # absent from a listing's copy of the PR
        if ghdata.cut_short(files, total, MAX_FILES) and not fresh:
            total = self.pull(number).get("changed_files")
        if ghdata.cut_short(files, total, MAX_FILES):
            raise ghdata.TooManyFiles(
                number, total if isinstance(total, int) else len(files), MAX_FILES)
        return files

    def read_pull(self, number: int, *, now: dt.datetime, protected: Iterable[str] = (),
                  compare: bool = True) -> PullRead:
        """The PR snapshot of DESIGN §5 (as `snapshot` builds it) in two requests: the file
        listing (REST: only it names a renamed file's old path), then one GraphQL query for
        the PR, its reviews, comments, latest `ready_for_review`, the statuses on its head,
        the head text of its records and loaded files, and the governed files at each
        reviewed commit (`queries.pull_query`). More only when a list runs past one page
        (read through REST, paged), a text GraphQL cannot give byte for byte (REST
        contents), or the PR's last listed commit is not its head (one more query)."""
        patterns = tuple(protected)
        owner, name = self.repository.split("/", 1)
        for attempt in range(2):
            files = self._get_all(f"/pulls/{number}/files", f"the files of #{number}")
            texts = [*ghdata.record_files(files), *ghdata.loaded_files(files)]
            governed = ghdata.governed_paths(files, patterns) if compare else []
            query = queries.pull_query(owner, name, number, texts, governed)
            found = (self._graphql(query.text, query.variables).get("repository") or {}).get(
                "pullRequest")
            if not found:
                raise ghdata.api_error(404, {"message": "Not Found"},
                                       f"POST /graphql (pull request #{number})", "read")
            node: dict[str, Any] = found
            pull = queries.rest_pull(node)
            if ghdata.cut_short(files, pull["changed_files"], MAX_FILES):
                if len(files) >= MAX_FILES or attempt:  # GitHub's cap, not a push in between
                    raise ghdata.TooManyFiles(number, int(pull["changed_files"] or len(files)),
                                              MAX_FILES)
                continue
            # The listing must be of the head the query judged: a push between the two (a
            # dummy file swapped for governance.yml) would otherwise be judged with the old
            # file list. GraphQL names the head's files; past one page, list them again.
            same = queries.same_files(files, node)
            if same is None:
                same = self._get_all(f"/pulls/{number}/files", f"the files of #{number}") == files
            if same:
                break
            if attempt:
                raise GitHubError(f"pull request #{number} kept changing while govbot read it "
                                  "(its files differ from one read to the next); re-run the job")
        head = pull["head"]["sha"]
        commit = ((node.get("commits") or {}).get("nodes") or [{}])[-1].get("commit") or {}
        if commit.get("oid") != head:  # GitHub lists at most 250 commits of a PR
            text, variables = queries.head_query(owner, name, head, query)
            commit = (self._graphql(text, variables).get("repository") or {}).get(
                "object") or {}
            if commit.get("oid") != head:
                raise GitHubError(f"GitHub did not give the head commit {head[:7]} of pull "
                                  f"request #{number}; re-run the job")
        reviews: Any = node.get("reviews")
        comments: Any = node.get("comments")
        review_list = [queries.rest_review(n) for n in reviews["nodes"]] \
            if queries.whole(reviews) else \
            self._get_all(f"/pulls/{number}/reviews", f"the reviews of #{number}")
        comment_list = [queries.rest_comment(n) for n in comments["nodes"]] \
            if queries.whole(comments) else self._comments(number)
        stale: list[str] = []
        if compare and queries.whole(reviews):
            at_head = {path: queries.entry(commit.get(f"g{i}"))
                       for i, path in enumerate(query.governed)}
            stale = queries.stale_commits(reviews["nodes"], head, at_head, query.governed)
        elif compare:
            stale = self._stale(review_list, files, head, patterns)
        read: dict[str, bytes | None] = {}
        for index, path in enumerate(query.texts):
            found = queries.text_of(commit.get(f"t{index}"))
            read[path] = self.read_file(path, head) if found is False else \
                found.encode("utf-8") if isinstance(found, str) else None
        records = ghdata.record_texts({p: read[p] for p in ghdata.record_files(files)})
        config = ghdata.record_texts({p: read[p] for p in ghdata.loaded_files(files)})
        marked = [n["createdAt"] for n in node["timelineItems"]["nodes"] if n]
        ready_at = None if pull["draft"] else max([*marked, pull["created_at"]])
        data = ghdata.snapshot_data(self.repository, now, pull, ready_at, files, review_list,
                                    comment_list, records, stale, config)
        return PullRead(data, queries.head_statuses(commit))

    def ready_time(self, number: int, pull: Mapping[str, Any]) -> str:
        """When the PR was last marked ready for review (the latest `ready_for_review` event
        of its timeline), else when it was opened: one read per 100 timeline events. Used
        only when govbot has not recorded it (installed on an existing PR, or a draft marked
        ready while no run saw it)."""
        return ghdata.latest_ready(self._get_all(f"/issues/{number}/timeline",
                                                 f"the timeline events of #{number}"), pull)

    def _stale(self, reviews: list[dict[str, Any]], files: list[dict[str, Any]], head: str,
               patterns: tuple[str, ...]) -> list[str]:
        """The approved commits whose governed content (the PR's files under decisions/ and
        protected paths) differs from the head's (DESIGN §5, Binding): the trees of both
        commits compared path by path — one read per distinct approved commit, plus one for
        the head, and none when every approval is on the head or nothing is governed.

        Never a `compare` (a merge-base diff, which shows nothing when the head is forced
        back to an ancestor, and at most 300 files): a force-push back to an older text or a
        change among 300 others makes the approval stale. A tree GitHub cannot give whole
        (truncated, or the commit is gone) makes it stale too: undecidable is stale."""
        commits = ghdata.approved_commits(reviews, head)
        paths = ghdata.governed_paths(files, patterns)
        if not commits or not paths:
            return []
        at_head = self._tree(head)
        return [c for c in commits
                if ghdata.content_differs(self._tree(c) if at_head else None, at_head, paths)]

    def _tree(self, sha: str) -> ghdata.Entries | None:
        """The whole tree of a commit (one read), or None when GitHub cannot give it: the
        commit is gone (404, 422: a force-push and garbage collection) or the listing was
        cut short (over 100,000 entries or 7 MB). Other failures raise."""
        try:
            listing = self._get(f"/git/trees/{sha}", recursive="1")
        except APIError as exc:
            if exc.status in (404, 409, 422):
                return None
            raise
        return ghdata.tree_entries(listing)

    def read_file(self, path: str, ref: str) -> bytes | None:
        """A file's bytes at a ref (one request; None when it does not exist there)."""
        body = self._get_found(f"/contents/{quote(path)}", ref=ref)
        if not isinstance(body, dict) or body.get("type") != "file":
            return None
        if body.get("encoding") == "base64":
            return ghdata.content_bytes(body)
        return ghdata.content_bytes(self._get(f"/git/blobs/{body['sha']}"))  # over 1 MB

    def list_dir(self, path: str, ref: str) -> list[str]:
        """The paths of the files directly in a directory at a ref ([] when it is absent)."""
        return ghdata.dir_files(self._get_found(f"/contents/{quote(path)}", ref=ref))

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

    def post_comment(self, number: int, body: str) -> None:
        """Post a new comment on a pull request (a reminder: one write)."""
        self._call("POST", f"{self._repo}/issues/{number}/comments", need="comment",
                   body={"body": body})

    def forget_state(self, number: int, bot_login: str, marker: str = MARKER) -> bool:
        """Remove govbot's state line from its comment (one read, and one write when there
        is a line), so the next run reads the real statuses instead of trusting it: the
        fail-closed path calls this after posting `error`. Whether it wrote."""
        edit = without_state(bot_comments(self._comments(number), marker, bot_login))
        if edit is not None:
            self._edit_comment(*edit)
        return edit is not None

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

    def post_error(self, number: int, heads: Iterable[str], context: str, description: str,
                   target_url: str | None) -> list[str]:
        """Post `error` on `context` of the PR's head, wherever it can be found (fail closed):
        the head of a fresh read of the PR; when that read fails, its `refs/pull/N/head`,
        and every SHA in `heads` (the event's copy of the head, say) besides. An `error`
        on a SHA that is no longer the head does no harm; leaving an old `success` on the
        real head would. The SHAs it posted to; GitHubError when it could post to none."""
        try:
            found = [self.pull(number)["head"]["sha"]]
        except GitHubError as exc:
            found, failure = list(dict.fromkeys(heads)), exc
            try:
                found = list(dict.fromkeys([self.pull_head(number), *found]))
            except GitHubError as again:
                failure = again
            if not found:
                raise failure from None
        posted = []
        for sha in found:
            self.post_statuses(sha, {context: ("error", description)}, target_url, known={})
            posted.append(sha)
        return posted

    def post_statuses(self, head: str, statuses: Mapping[str, tuple[str, str]],
                      target_url: str | None,
                      known: Mapping[str, tuple[str, str]] | None = None) -> dict[str, bool]:
        """Post each `{context: (state, description)}` on `head`, which the caller has just
        confirmed is the PR's head, skipping a context whose last status is already the
        same. `known` is {context: (state, fingerprint(description))} as govbot last wrote
        them (from its comment's state); None means unknown: read the combined status (one
        read). Returns {context: written}."""
        if known is None:
            known = ghdata.posted_statuses(self._get(f"/commits/{head}/status"))
        written = {}
        for context, (state, description) in statuses.items():
            text = shorten(description)
            written[context] = known.get(context) != (state, fingerprint(text))
            if written[context]:
                self._call("POST", f"{self._repo}/statuses/{head}", need="statuses",
                           body=ghdata.status_payload(context, state, text, target_url))
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
        add, remove = ghdata.label_changes(wanted, current)
        if add:
            self._add_labels(number, add)
        for name in remove:
            self._delete(f"/issues/{number}/labels/{quote(name, safe='')}", "labels")
        return bool(add or remove)

    def _add_labels(self, number: int, names: list[str]) -> None:
        """Add labels to the PR, creating them first when one is new (404 or 422)."""
        path, body = f"{self._repo}/issues/{number}/labels", {"labels": names}
        try:
            self._call("POST", path, need="labels", body=body)
        except APIError as exc:
            if exc.status not in (404, 422):
                raise
            for payload in map(ghdata.label_payload, names):
                try:
                    self._call("POST", f"{self._repo}/labels", need="labels", body=payload)
                except APIError as again:
                    if again.status != 422:  # 422: it exists already
                        raise
            self._call("POST", path, need="labels", body=body)

    # --- finding pull requests -------------------------------------------------------------
    def open_pulls(self) -> list[dict[str, Any]]:
        """Every open PR, as the listing shows it (one read per 100 PRs): the schedule sweep
        judges each from this copy, so it need not read each PR before judging it."""
        return self._get_all("/pulls", "the open pull requests", state="open")

    def open_pulls_state(self, bot_login: str) -> list[queries.OpenPull]:
        """Every open PR with what tells the sweep whether it changed since govbot judged
        it: one query per 50 PRs (`queries.SWEEP`), and one more per 100 of govbot's
        comments for their bodies (the state line). Read whole or not at all."""
        owner, name = self.repository.split("/", 1)
        nodes: list[dict[str, Any]] = []
        after: str | None = None
        for _ in range(MAX_PAGES):
            page = (self._graphql(queries.SWEEP, {"owner": owner, "name": name,
                                                  "after": after}).get("repository") or {}
                    ).get("pullRequests")
            if page is None:
                raise GitHubError("GitHub did not list the open pull requests; re-run the job")
            nodes += [n for n in page.get("nodes") or [] if n]
            info = page.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                break
            after = info.get("endCursor")
        else:
            raise GitHubError(ghdata.too_many_pages("the open pull requests", MAX_PAGES, 50))
        ids = [i for node in nodes for i in queries.bot_comment_ids(node, bot_login)]
        bodies: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), queries.PAGE):
            found = self._graphql(queries.BODIES, {"ids": ids[start:start + queries.PAGE]})
            bodies.update({str(n["id"]): n for n in found.get("nodes") or [] if n})
        return [queries.open_pull(node, bodies, bot_login, MARKER) for node in nodes]

    def open_pull_numbers(self) -> list[int]:
        """Every open PR's number."""
        return [p["number"] for p in self.open_pulls()]

    def pulls_with_head(self, sha: str) -> list[dict[str, Any]]:
        """Open PRs whose head is `sha`; fork PRs, which GitHub's commit→pulls endpoint does
        not list, are found among the open PRs."""
        return ghdata.open_heads(self._commit_pulls(sha), sha) or [
            p for p in self.open_pulls() if p["head"]["sha"] == sha]

    def pulls_for_commit(self, sha: str) -> list[int]:
        """The numbers of the open PRs whose head is `sha` (see pulls_with_head)."""
        return [p["number"] for p in self.pulls_with_head(sha)]

    def merged_pulls_for_commit(self, sha: str) -> list[dict[str, Any]]:
        """The merged PRs GitHub associates with commit `sha` (the merge, squash or rebased
        commit that brought a PR in, or a commit of its branch), as the listing shows them
        (with `merged_at`, `merge_commit_sha` and `base`; one read per 100). Open PRs that
        merely contain the commit are left out."""
        return ghdata.merged_pulls(self._commit_pulls(sha))

    # --- merge-time writes (publish) -------------------------------------------------------
    def branch_tip(self, branch: str) -> str:
        """The commit sha a branch points at."""
        return str(self._get(f"/git/ref/heads/{quote(branch)}")["object"]["sha"])

    def commit_files(self, branch: str, parent_sha: str, files: Mapping[str, bytes | None],
                     message: str, *, base_tree: str | None = None) -> str | None:
        """Commit `files` (None deletes) on top of `parent_sha` and move `branch` there
        (fast-forward only) through the Git Data API, with no author so GitHub signs it
        (Verified). None when nothing would change; NonFastForward when the branch moved.

        `base_tree`: the parent's tree, when the caller knows it and `files` are exactly
        the changes against it (read from a checkout of `parent_sha`): 3 requests, whatever
        the size of the tree. Without it the parent's tree is read and listed first (2
        more) to leave out what is already there."""
        if base_tree is not None:
            tree = base_tree
            entries = [self._tree_entry(path, data) for path, data in sorted(files.items())]
        else:
            tree = self._get(f"/git/commits/{parent_sha}")["tree"]["sha"]
            listing = self._get(f"/git/trees/{tree}", recursive="1")
            entries = [self._tree_entry(path, data)
                       for path, data in ghdata.tree_changes(files, listing)]
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
                raise ghdata.moved_branch(branch) from None
            raise
        return str(commit)

    def _tree_entry(self, path: str, data: bytes | None) -> dict[str, Any]:
        """A tree entry for `data` (None: delete), uploading bytes that are not text."""
        if data is None:
            return ghdata.tree_entry(path, None)
        try:
            return ghdata.tree_entry(path, data)
        except UnicodeDecodeError:  # not text: upload the bytes as a blob first
            blob = self._call("POST", f"{self._repo}/git/blobs", need="contents",
                              body=ghdata.blob_payload(data))[1]
            return ghdata.tree_entry(path, data, blob["sha"])

    def ensure_issue(self, marker: str, title: str, body: str) -> int:
        """The number of the open issue carrying `marker`, opening it (with the marker in
        its body) when there is none."""
        issues = self._get_all("/issues", "the open issues", state="open")
        found = ghdata.marked_issue(issues, marker)
        if found is not None:
            return found
        created = self._call("POST", f"{self._repo}/issues", need="issue",
                             body=ghdata.issue_payload(marker, title, body))[1]
        return int(created["number"])

