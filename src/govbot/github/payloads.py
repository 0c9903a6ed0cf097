"""The GitHub adapter's pure half: limits, credentials from the environment, errors and
their messages, request payloads, and the conversion of REST responses into govbot data. No
I/O and no PyGithub here (github.py, the only module importing PyGithub, sends the requests
and calls these as `ghdata.<name>`).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from govbot.github.botstate import fingerprint
from govbot.model.errors import ConfigError, GitHubError
from govbot.model.vocab import (
    DECISIONS_PREFIX,
    GENERATED_FILES,
    LOADED_FILES,
    git_blob_sha,
    is_record_path,
    path_matches,
    utc_stamp,
)

DEFAULT_API = "https://api.github.com"
# Lists are read whole or not at all: a list that runs past MAX_PAGES pages of 100 raises
# rather than be judged on its first part (a hidden record, or an objection pushed past the
# cut by comment spam, would otherwise fail open). 100 pages = 10,000 comments, reviews or
# timeline events: far more than a real discussion (GitHub's own page struggles long
# before), yet bounded: 100 reads, a tenth of the workflow token's 1,000 requests an hour.
MAX_PAGES = 100
PER_PAGE = 100
MAX_FILES = 3000  # GitHub lists at most 3,000 files of a pull request
SNAPSHOT_SCHEMA = "govbot.snapshot/1"
LABELS = {
    "govbot/approved": ("0e8a16", "govbot: the committee approved this proposal"),
    "govbot/pending": ("fbca04", "govbot: the vote is still open"),
    "govbot/blocked": ("b60205", "govbot: a committee member vetoed this proposal"),
}
NO_CREDENTIALS = ("no GitHub credentials: pass the workflow token to govbot as GITHUB_TOKEN "
                  "(env: GITHUB_TOKEN: ${{ github.token }}), or set GOVBOT_APP_ID and "
                  "GOVBOT_APP_PRIVATE_KEY for a GitHub App")


def half_app_credentials(missing: str) -> str:
    """The error when only one of the GitHub App variables is set (`missing` is the other)."""
    present = "GOVBOT_APP_ID" if missing == "GOVBOT_APP_PRIVATE_KEY" else "GOVBOT_APP_PRIVATE_KEY"
    return (f"{present} is set but {missing} is not: govbot signs in as the GitHub App "
            f"only with both, and will not quietly fall back to GITHUB_TOKEN. Pass {missing} "
            "too (the action's app-id and app-private-key inputs, from secrets), or neither "
            "to post as github-actions[bot]")


@dataclass(frozen=True, slots=True)
class Credentials:
    """How to sign in: a token, or a GitHub App's id and private key; and the API's URL."""

    base_url: str
    token: str | None = None
    app_id: str | None = None
    app_key: str | None = None


def credentials(env: Mapping[str, str]) -> Credentials:
    """The credentials in the environment: GOVBOT_APP_ID + GOVBOT_APP_PRIVATE_KEY, else
    GITHUB_TOKEN (or GH_TOKEN), at GITHUB_API_URL (default: github.com). ConfigError when
    only one App variable is set (falling back to the workflow token would quietly drop the
    gate that cannot be spoofed, DESIGN §9); GitHubError when there are none."""
    base_url = env.get("GITHUB_API_URL") or DEFAULT_API
    app_id, key = env.get("GOVBOT_APP_ID"), env.get("GOVBOT_APP_PRIVATE_KEY")
    if bool(app_id) != bool(key):
        raise ConfigError(half_app_credentials(
            "GOVBOT_APP_PRIVATE_KEY" if app_id else "GOVBOT_APP_ID"))
    if app_id and key:
        return Credentials(base_url, app_id=app_id, app_key=key)
    token = env.get("GITHUB_TOKEN") or env.get("GH_TOKEN")
    if not token:
        raise GitHubError(NO_CREDENTIALS)
    return Credentials(base_url, token=token)


PERMISSIONS = {"statuses": "statuses: write", "comment": "pull-requests: write",
               "labels": "issues: write", "issue": "issues: write",
               "contents": "contents: write", "read": "pull-requests: read"}


class APIError(GitHubError):
    """GitHub answered a request with an error status."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.status = status


class NonFastForward(GitHubError):
    """The branch moved while govbot was preparing its commit; re-read and redo."""


def api_error(status: int, data: Any, where: str, need: str) -> APIError:
    """The error for GitHub's answer `status` (with JSON body `data`) to request `where`
    ("METHOD /path"), telling the secretary what to do; `need` names the permission the
    request needs (a key of PERMISSIONS)."""
    body = data if isinstance(data, dict) else {}
    message = str(body.get("message") or "no message")
    if status == 401:
        text = ("GitHub rejected the credentials (401 Bad credentials): pass the workflow "
                "token as GITHUB_TOKEN (env: GITHUB_TOKEN: ${{ github.token }}) or set "
                "GOVBOT_APP_ID and GOVBOT_APP_PRIVATE_KEY")
    elif status == 403 and "not accessible by integration" in message:
        text = (f"GitHub refused {where}: the token lacks a permission. Grant "
                f"`permissions: {PERMISSIONS[need]}` to this job in the workflow file")
    elif status in (403, 429) and "rate limit" in message.lower():
        text = (f"GitHub's rate limit stopped {where} ({status}: {message}); the next "
                "event or the scheduled sweep will bring the PR up to date")
    elif status >= 500:
        text = f"GitHub failed on {where} ({status}: {message}); re-run the job"
    else:
        text = f"GitHub refused {where} ({status}: {message})"
    return APIError(text, status=status)


def graphql_error(status: int, data: Any, where: str) -> APIError:
    """The error for a GraphQL query GitHub refused or answered with `errors` (a partial
    answer is an error too: govbot never judges part of one)."""
    body = data if isinstance(data, dict) else {}
    found = body.get("errors") if isinstance(body.get("errors"), list) else []
    first = found[0] if found and isinstance(found[0], dict) else {}
    kind = str(first.get("type") or "")
    message = str(first.get("message") or body.get("message") or "no message")
    if kind == "RATE_LIMITED" or "rate limit" in message.lower():
        return APIError(f"GitHub's rate limit stopped {where} ({message}); the next event or "
                        "the scheduled sweep will bring the PR up to date", status=429)
    if status != 200 and not found:
        return api_error(status, data, where, "read")
    return APIError(f"GitHub refused {where} ({kind or status}: {message})",
                    status=404 if kind == "NOT_FOUND" else status)


def transport_error(reason: str, where: str) -> APIError:
    """The error for a request that got no usable answer after its retries (`reason`: the
    text of requests' exception, e.g. "... (Caused by ResponseError('too many 502 error
    responses'))", or a connection failure): one line saying what failed and what to do,
    never the raw exception."""
    found = re.search(r"too many (\d{3}) error responses", reason)
    if found is None:
        return APIError(f"could not reach GitHub for {where} (no answer: a network error or "
                        "a timeout); re-run the job", status=0)
    status = int(found[1])
    if status in (403, 429):
        return APIError(f"GitHub's rate limit kept stopping {where} ({status} on every "
                        "retry); the next event or the scheduled sweep will bring the PR up "
                        "to date", status=status)
    return APIError(f"GitHub kept failing on {where} ({status} on every retry); GitHub may "
                    "be having an outage (https://www.githubstatus.com): re-run the job "
                    "later", status=status)


def too_many_pages(what: str, pages: int, per_page: int) -> str:
    """The error for a list longer than govbot reads (`what`: "the comments on #7")."""
    return (f"{what} run past {pages} pages ({pages * per_page:,} items): govbot judges a "
            "list whole or not at all, so it stopped. Delete the spam or noise (or move the "
            "proposal to a new pull request) and re-run the job")


def too_many_files(number: int, total: int, limit: int) -> str:
    """The error for a pull request whose file listing GitHub cut short."""
    return (f"this pull request (#{number}) changes {total:,} files; GitHub lists at most "
            f"{limit:,}, so govbot cannot see them all and will not judge it: split it into "
            "smaller pull requests (decision records apart from bulk changes)")


class TooManyFiles(GitHubError):
    """A pull request whose file listing GitHub cut short: it cannot be judged whole."""

    def __init__(self, number: int, total: int, limit: int):
        super().__init__(too_many_files(number, total, limit))
        self.number, self.total, self.limit = number, total, limit


def moved_branch(branch: str) -> NonFastForward:
    """The error for a branch that moved while govbot was committing to it."""
    return NonFastForward(f"{branch} moved while govbot was committing; re-reading it")


def next_page(headers: Mapping[str, Any]) -> str | None:
    """The URL of the next page from a response's Link header (None on the last page)."""
    match = re.search(r'<([^>]+)>;\s*rel="next"', str(headers.get("link", "")))
    return match[1] if match else None


# --- the pull request snapshot -------------------------------------------------------------

def cut_short(files: list[dict[str, Any]], total: Any, limit: int) -> bool:
    """Whether a PR's file listing misses files: fewer than `changed_files` (`total`, when
    known), else as many as GitHub ever lists (`limit`)."""
    return len(files) < total if isinstance(total, int) else len(files) >= limit


def record_files(files: Iterable[Mapping[str, Any]]) -> list[str]:
    """The decision records a PR's file listing adds or changes (not removes)."""
    return [str(e["filename"]) for e in files
            if is_record_path(e["filename"]) and e["status"] != "removed"]


def maybe_relevant(files: Iterable[tuple[str, str]], patterns: Iterable[str]) -> bool:
    """Whether govbot may have a say in a PR, from (path, GraphQL change type) of each file
    it changes: one under decisions/, a generated file, a protected path — or a rename or
    copy, whose old path GraphQL does not give (so it may be any of those)."""
    patterns = tuple(patterns)
    return any(kind in ("RENAMED", "COPIED") or path.startswith(DECISIONS_PREFIX)
               or path in GENERATED_FILES or any(path_matches(path, p) for p in patterns)
               for path, kind in files)


def loaded_files(files: Iterable[Mapping[str, Any]]) -> list[str]:
    """The files govbot loads from the default branch (governance.yml, templates/) that a
    PR's file listing adds or changes: read at the head so they are checked as proposed."""
    return [str(e["filename"]) for e in files if e["status"] != "removed"
            and any(path_matches(str(e["filename"]), p) for p in LOADED_FILES)]


def record_texts(blobs: Mapping[str, bytes | None]) -> dict[str, str]:
    """The text of each record read at the head (None: not there, left out). surrogateescape
    keeps bytes that are not UTF-8, so the checker can refuse them (snapshot.record_bytes
    recovers them exactly)."""
    return {path: data.decode("utf-8", "surrogateescape")
            for path, data in blobs.items() if data is not None}


def approved_commits(reviews: Iterable[Mapping[str, Any]], head: str) -> list[str]:
    """The distinct commits, other than `head`, that an approving review was given on. A
    review whose `commit_id` is null (GitHub sets that when the commit was garbage-collected)
    has no commit to compare: the tally counts it stale (DESIGN §5), so it is left out."""
    return sorted({str(r["commit_id"]) for r in reviews
                   if r.get("state") == "APPROVED" and r.get("commit_id")
                   and r.get("commit_id") != head})


def governed_paths(files: Iterable[Mapping[str, Any]], patterns: Iterable[str]) -> list[str]:
    """The governed content of a pull request (DESIGN §5, Binding): the paths its file
    listing touches (old names of renamed files included) that are under decisions/ or match
    a protected path pattern."""
    patterns = tuple(patterns)
    names = {str(n) for f in files for n in (f.get("filename"), f.get("previous_filename"))
             if n}
    return sorted(n for n in names if n.startswith(DECISIONS_PREFIX)
                  or any(path_matches(n, p) for p in patterns))


Entries = dict[str, tuple[str, str, str]]


def tree_entries(listing: Any) -> Entries | None:
    """{path: (mode, type, sha)} of every entry of a recursive tree listing, or None when
    it cannot be used whole: GitHub cut it short (`truncated`), or it is not a listing."""
    if not isinstance(listing, dict) or listing.get("truncated") is not False or \
            not isinstance(listing.get("tree"), list):
        return None
    return {str(e["path"]): (str(e.get("mode")), str(e.get("type")), str(e.get("sha")))
            for e in listing["tree"] if isinstance(e, dict) and "path" in e}


def content_differs(reviewed: Entries | None, head: Entries | None, paths: Iterable[str]
                    ) -> bool:
    """Whether the governed `paths` differ between two commits' trees (blob id, mode and
    type, so a file turned into a symbolic link differs too; a path on one side only differs).
    A tree that could not be read whole (None) cannot show they are the same: it differs
    (fail closed)."""
    if reviewed is None or head is None:
        return True
    return any(reviewed.get(path) != head.get(path) for path in paths)


def latest_ready(events: Iterable[Mapping[str, Any]], pull: Mapping[str, Any]) -> str:
    """The latest `ready_for_review` of a timeline, else when the PR was opened."""
    marked = [str(e["created_at"]) for e in events
              if e.get("event") == "ready_for_review" and e.get("created_at")]
    return max(marked, default=str(pull["created_at"]))


def snapshot_data(repository: str, now: dt.datetime, pull: Mapping[str, Any],
                  ready_at: str | None, files: list[dict[str, Any]],
                  reviews: list[dict[str, Any]], comments: list[dict[str, Any]],
                  records: Mapping[str, str], stale: list[str],
                  config_files: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The snapshot of DESIGN §5 from what was read (`config_files`: the head text of the
    loaded files the PR changes, see `loaded_files`)."""
    return {"schema": SNAPSHOT_SCHEMA, "repository": repository,
            "taken_at": utc_stamp(now),
            "pull_request": pull, "ready_at": ready_at, "files": files,
            "reviews": reviews, "comments": comments, "records": records,
            "stale_commits": stale, "config_files": dict(config_files or {})}


def dir_files(body: Any) -> list[str]:
    """The paths of the files in a contents-API directory listing ([] when not one)."""
    if not isinstance(body, list):
        return []
    return sorted(str(e["path"]) for e in body if e.get("type") == "file")


# --- comments, statuses, labels, issues ----------------------------------------------------

def posted_statuses(combined: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """{context: (state, fingerprint(description))} of a combined-status response."""
    return {s["context"]: (s["state"], fingerprint(s.get("description") or ""))
            for s in combined.get("statuses", [])}


def status_payload(context: str, state: str, description: str, target_url: str | None
                   ) -> dict[str, str]:
    """The body of a commit status request."""
    payload = {"state": state, "description": description, "context": context}
    if target_url:
        payload["target_url"] = target_url
    return payload


def label_changes(wanted: set[str], current: set[str]) -> tuple[list[str], list[str]]:
    """The labels to add and the govbot/* labels to remove so govbot's are `wanted`."""
    return sorted(wanted - current), sorted((current & set(LABELS)) - wanted)


def label_payload(name: str) -> dict[str, str]:
    """The body of a request creating label `name` (colour and description)."""
    color, description = LABELS.get(name, ("ededed", "govbot"))
    return {"name": name, "color": color, "description": description}


def open_heads(pulls: Iterable[Mapping[str, Any]], sha: str) -> list[dict[str, Any]]:
    """The open pull requests of a listing whose head is `sha`."""
    return [dict(p) for p in pulls if p.get("state") == "open" and p["head"]["sha"] == sha]


def merged_pulls(pulls: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The merged pull requests of a listing (`merged_at` set), by number."""
    return sorted((dict(p) for p in pulls if p.get("merged_at")), key=lambda p: p["number"])


def issue_payload(marker: str, title: str, body: str) -> dict[str, str]:
    """The body of a request opening an issue that carries `marker` in its body."""
    return {"title": title, "body": body if marker in body else f"{marker}\n{body}"}


def marked_issue(issues: Iterable[Mapping[str, Any]], marker: str) -> int | None:
    """The number of the first issue (not PR) whose body carries `marker`."""
    for issue in issues:
        if "pull_request" not in issue and marker in (issue.get("body") or ""):
            return int(issue["number"])
    return None


# --- commits through the Git Data API ------------------------------------------------------

def tree_changes(files: Mapping[str, bytes | None], listing: Mapping[str, Any]
                 ) -> list[tuple[str, bytes | None]]:
    """The files (None: delete) that differ from a recursive tree listing, by path: a
    deletion only of a file that is there (or may be: a truncated listing), a write only of
    bytes that differ."""
    existing = {e["path"]: e["sha"] for e in listing.get("tree", []) if e.get("type") == "blob"}
    changes: list[tuple[str, bytes | None]] = []
    for path, data in sorted(files.items()):
        if data is None:
            if path in existing or listing.get("truncated"):
                changes.append((path, None))
        elif existing.get(path) != git_blob_sha(data):
            changes.append((path, data))
    return changes


def blob_payload(data: bytes) -> dict[str, str]:
    """The body of a request uploading bytes that are not text as a blob."""
    return {"content": base64.b64encode(data).decode(), "encoding": "base64"}


def content_bytes(body: Mapping[str, Any]) -> bytes:
    """The bytes of a contents-API file or a blob (base64 JSON)."""
    return base64.b64decode(body.get("content") or "")


def tree_entry(path: str, data: bytes | None, blob_sha: str | None = None) -> dict[str, Any]:
    """A tree entry: a deletion (`data` None), the text itself, or (`blob_sha`) a blob
    uploaded first because the bytes are not UTF-8."""
    entry: dict[str, Any] = {"path": path, "mode": "100644", "type": "blob"}
    if data is None or blob_sha is not None:
        entry["sha"] = blob_sha
    else:
        entry["content"] = data.decode("utf-8")
    return entry
