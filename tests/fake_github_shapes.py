"""JSON bodies shaped like GitHub's REST responses, for the fake API (tests/fake_github.py).

Each builder fills every field GitHub's schema requires, so the conformance test can validate
what the fake returns against `rest-jsonschema-subset.json`.
"""

from __future__ import annotations

import hashlib
from typing import Any

API = "https://api.github.com"
WEB = "https://github.com"
_REPO_URLS = (
    "archive", "assignees", "blobs", "branches", "collaborators", "comments", "commits",
    "compare", "contents", "contributors", "deployments", "downloads", "events", "forks",
    "git_commits", "git_refs", "git_tags", "hooks", "issue_comment", "issue_events", "issues",
    "keys", "labels", "languages", "merges", "milestones", "notifications", "pulls", "releases",
    "stargazers", "statuses", "subscribers", "subscription", "tags", "teams", "trees")
_USER_URLS = ("events", "followers", "following", "gists", "organizations", "received_events",
              "repos", "starred", "subscriptions")


def user(login: str, user_id: int, kind: str | None = None) -> dict[str, Any]:
    """A simple-user; `[bot]` logins are of type Bot."""
    kind = kind or ("Bot" if login.endswith("[bot]") else "User")
    url = f"{API}/users/{login}"
    body: dict[str, Any] = {
        "login": login, "id": user_id, "node_id": f"U_{user_id}", "type": kind,
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}", "gravatar_id": "",
        "url": url, "html_url": f"{WEB}/{login}", "site_admin": False}
    body.update({f"{name}_url": f"{url}/{name}" for name in _USER_URLS})
    return body


def repository(full_name: str, repo_id: int, owner_id: int) -> dict[str, Any]:
    """A full repository object (as nested in pull requests)."""
    owner, name = full_name.split("/")
    url = f"{API}/repos/{full_name}"
    body: dict[str, Any] = {
        "id": repo_id, "node_id": f"R_{repo_id}", "name": name, "full_name": full_name,
        "owner": user(owner, owner_id, "Organization"), "private": False, "fork": False,
        "description": None, "homepage": None, "language": None, "license": None,
        "url": url, "html_url": f"{WEB}/{full_name}", "clone_url": f"{WEB}/{full_name}.git",
        "git_url": f"git://github.com/{full_name}.git",
        "ssh_url": f"git@github.com:{full_name}.git",
        "svn_url": f"{WEB}/{full_name}", "mirror_url": None, "default_branch": "main",
        "forks": 0, "forks_count": 0, "stargazers_count": 0, "watchers_count": 0,
        "watchers": 0, "size": 1, "open_issues": 0, "open_issues_count": 0,
        "has_issues": True, "has_projects": False, "has_wiki": False, "has_pages": False,
        "has_downloads": False, "archived": False, "disabled": False,
        "pushed_at": "2021-01-01T00:00:00Z", "created_at": "2021-01-01T00:00:00Z",
        "updated_at": "2021-01-01T00:00:00Z"}
    body.update({f"{name}_url": f"{url}/{name}" for name in _REPO_URLS})
    return body


def label(name: str, label_id: int, color: str, description: str | None) -> dict[str, Any]:
    """A label."""
    return {"id": label_id, "node_id": f"LA_{label_id}", "name": name, "color": color,
            "description": description, "default": False,
            "url": f"{API}/repos/labels/{name}"}


def _link(href: str) -> dict[str, str]:
    return {"href": href}


def pull(pr: Any, repo: dict[str, Any], head_repo: dict[str, Any],
         labels: list[dict[str, Any]]) -> dict[str, Any]:
    """A pull request from the fake's state (`pr` is a FakePull)."""
    url = f"{repo['url']}/pulls/{pr.number}"
    issue = f"{repo['url']}/issues/{pr.number}"
    html = f"{repo['html_url']}/pull/{pr.number}"
    closed = pr.state == "closed"
    return {
        "url": url, "id": 9000 + pr.number, "node_id": f"PR_{pr.number}", "number": pr.number,
        "html_url": html, "diff_url": f"{html}.diff", "patch_url": f"{html}.patch",
        "issue_url": issue, "commits_url": f"{url}/commits",
        "review_comments_url": f"{url}/comments",
        "review_comment_url": f"{repo['url']}/pulls/comments{{/number}}",
        "comments_url": f"{issue}/comments",
        "statuses_url": f"{repo['url']}/statuses/{pr.head_sha}",
        "state": pr.state, "locked": False, "title": pr.title, "body": pr.body,
        "user": user(pr.login, pr.user_id), "labels": labels, "milestone": None,
        "assignee": None, "assignees": [], "requested_reviewers": [], "requested_teams": [],
        "draft": pr.draft, "created_at": pr.created_at, "updated_at": pr.updated_at,
        "closed_at": (pr.closed_at or pr.updated_at) if closed else None,
        "merged_at": (pr.closed_at or pr.updated_at) if pr.merged else None,
        "merge_commit_sha": getattr(pr, "merge_commit_sha", None),
        "head": {"label": f"{head_repo['owner']['login']}:{pr.head_ref}", "ref": pr.head_ref,
                 "sha": pr.head_sha, "user": user(head_repo["owner"]["login"], pr.user_id),
                 "repo": head_repo},
        "base": {"label": f"{repo['owner']['login']}:{pr.base_ref}", "ref": pr.base_ref,
                 "sha": pr.base_sha, "user": repo["owner"], "repo": repo},
        "_links": {"self": _link(url), "html": _link(html), "issue": _link(issue),
                   "comments": _link(f"{issue}/comments"),
                   "review_comments": _link(f"{url}/comments"),
                   "review_comment": _link(f"{repo['url']}/pulls/comments{{/number}}"),
                   "commits": _link(f"{url}/commits"),
                   "statuses": _link(f"{repo['url']}/statuses/{pr.head_sha}")},
        "author_association": "MEMBER", "auto_merge": None, "merged": pr.merged,
        "mergeable": None, "mergeable_state": "unknown",
        "merged_by": user(*pr.merged_by) if getattr(pr, "merged_by", None) else None,
        "comments": 0,
        "review_comments": 0, "maintainer_can_modify": False, "commits": 1, "additions": 1,
        "deletions": 0, "changed_files": 1}


def review(repo_url: str, number: int, review_id: int, login: str, user_id: int, state: str,
           body: str, commit_id: str, submitted_at: str) -> dict[str, Any]:
    """A pull request review."""
    html = f"{WEB}/{repo_url.split('/repos/', 1)[1]}/pull/{number}#pullrequestreview-{review_id}"
    return {"id": review_id, "node_id": f"PRR_{review_id}", "user": user(login, user_id),
            "body": body, "state": state, "commit_id": commit_id, "html_url": html,
            "pull_request_url": f"{repo_url}/pulls/{number}", "submitted_at": submitted_at,
            "_links": {"html": _link(html), "pull_request": _link(f"{repo_url}/pulls/{number}")},
            "author_association": "MEMBER"}


def comment(repo_url: str, number: int, comment_id: int, login: str, user_id: int, body: str,
            created_at: str, updated_at: str) -> dict[str, Any]:
    """An issue comment."""
    return {"id": comment_id, "node_id": f"IC_{comment_id}",
            "url": f"{repo_url}/issues/comments/{comment_id}",
            "html_url": f"{WEB}/{repo_url.split('/repos/', 1)[1]}/pull/{number}"
                        f"#issuecomment-{comment_id}",
            "issue_url": f"{repo_url}/issues/{number}", "body": body,
            "user": user(login, user_id), "created_at": created_at, "updated_at": updated_at,
            "author_association": "MEMBER"}


def status(repo_url: str, status_id: int, sha: str, state: str, context: str,
           description: str | None, target_url: str | None, at: str,
           creator: dict[str, Any]) -> dict[str, Any]:
    """A commit status."""
    return {"url": f"{repo_url}/statuses/{sha}", "avatar_url": creator["avatar_url"],
            "id": status_id, "node_id": f"SC_{status_id}", "state": state,
            "description": description, "target_url": target_url, "context": context,
            "created_at": at, "updated_at": at, "creator": creator}


def combined(repo: dict[str, Any], sha: str, statuses: list[dict[str, Any]]) -> dict[str, Any]:
    """A combined status: the latest status per context."""
    states = {s["state"] for s in statuses}
    state = ("failure" if states & {"failure", "error"} else
             "pending" if "pending" in states or not statuses else "success")
    return {"state": state, "sha": sha, "total_count": len(statuses),
            "statuses": [{k: s[k] for k in ("url", "avatar_url", "id", "node_id", "state",
                                            "description", "target_url", "context",
                                            "created_at", "updated_at")} for s in statuses],
            "repository": {k: v for k, v in repo.items() if k != "license"},
            "commit_url": f"{repo['url']}/commits/{sha}",
            "url": f"{repo['url']}/commits/{sha}/status"}


def issue(repo_url: str, number: int, title: str, body: str, login: str, user_id: int,
          at: str, state: str = "open") -> dict[str, Any]:
    """An issue."""
    url = f"{repo_url}/issues/{number}"
    return {"id": 7000 + number, "node_id": f"I_{number}", "url": url,
            "repository_url": repo_url, "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments", "events_url": f"{url}/events",
            "html_url": f"{WEB}/{repo_url.split('/repos/', 1)[1]}/issues/{number}",
            "number": number, "state": state, "title": title, "body": body,
            "user": user(login, user_id), "labels": [], "assignee": None, "milestone": None,
            "locked": False, "comments": 0, "closed_at": None, "created_at": at,
            "updated_at": at, "author_association": "NONE"}


def diff_entry(repo_url: str, path: str, status_: str, sha: str, head: str) -> dict[str, Any]:
    """One entry of a pull request's files (or a comparison's)."""
    return {"sha": sha, "filename": path, "status": status_, "additions": 1, "deletions": 0,
            "changes": 1, "blob_url": f"{WEB}/blob/{head}/{path}",
            "raw_url": f"{WEB}/raw/{head}/{path}",
            "contents_url": f"{repo_url}/contents/{path}?ref={head}"}


def content_file(repo_url: str, path: str, sha: str, encoded: str, size: int,
                 ref: str) -> dict[str, Any]:
    """A file from the contents API, base64-encoded."""
    url = f"{repo_url}/contents/{path}?ref={ref}"
    html = f"{WEB}/blob/{ref}/{path}"
    return {"type": "file", "encoding": "base64", "size": size, "name": path.rsplit("/", 1)[-1],
            "path": path, "content": encoded, "sha": sha, "url": url,
            "git_url": f"{repo_url}/git/blobs/{sha}", "html_url": html,
            "download_url": f"https://raw.githubusercontent.com/{path}",
            "_links": {"self": url, "git": f"{repo_url}/git/blobs/{sha}", "html": html}}


def content_item(repo_url: str, path: str, sha: str, size: int, ref: str) -> dict[str, Any]:
    """One entry of a directory listing from the contents API."""
    body = content_file(repo_url, path, sha, "", size, ref)
    del body["content"], body["encoding"]
    return body


def git_commit(repo_url: str, sha: str, tree: str, parents: list[str], message: str,
               at: str, verified: bool) -> dict[str, Any]:
    """A git commit (Git Data API)."""
    person = {"name": "GitHub" if verified else "govbot", "email": "noreply@github.com",
              "date": at}
    return {"sha": sha, "node_id": f"C_{sha[:8]}", "url": f"{repo_url}/git/commits/{sha}",
            "html_url": f"{WEB}/commit/{sha}", "author": person, "committer": person,
            "message": message, "tree": {"sha": tree, "url": f"{repo_url}/git/trees/{tree}"},
            "parents": [{"sha": p, "url": f"{repo_url}/git/commits/{p}",
                         "html_url": f"{WEB}/commit/{p}"} for p in parents],
            "verification": {"verified": verified,
                             "reason": "valid" if verified else "unsigned",
                             "signature": None, "payload": None, "verified_at": None}}


def git_ref(repo_url: str, ref: str, sha: str) -> dict[str, Any]:
    """A git reference."""
    return {"ref": ref, "node_id": f"REF_{ref}", "url": f"{repo_url}/git/{ref}",
            "object": {"type": "commit", "sha": sha, "url": f"{repo_url}/git/commits/{sha}"}}


def git_tree(repo_url: str, sha: str, entries: dict[str, str], *, recursive: bool = True,
             truncated: bool = False) -> dict[str, Any]:
    """A git tree listing: with `recursive`, every blob and every folder (a `tree` entry)
    by full path, as GitHub lists them; without, the top level only. `truncated` imitates
    GitHub cutting a listing short (over 100,000 entries or 7 MB): half the entries."""
    folders = {"/".join(path.split("/")[:n]) for path in entries
               for n in range(1, path.count("/") + 1)}
    rows = [{"path": path, "mode": "100644", "type": "blob", "sha": blob, "size": 1,
             "url": f"{repo_url}/git/blobs/{blob}"} for path, blob in entries.items()]
    rows += [{"path": folder, "mode": "040000", "type": "tree",
              "sha": _tree_sha(folder, entries), "url": f"{repo_url}/git/trees/"
              f"{_tree_sha(folder, entries)}"} for folder in folders]
    if not recursive:
        rows = [row for row in rows if "/" not in row["path"]]
    rows.sort(key=lambda row: row["path"])
    if truncated:
        rows = rows[: len(rows) // 2]
    return {"sha": sha, "url": f"{repo_url}/git/trees/{sha}", "truncated": truncated,
            "tree": rows}


def _tree_sha(folder: str, entries: dict[str, str]) -> str:
    inside = sorted((p, b) for p, b in entries.items() if p.startswith(folder + "/"))
    return hashlib.sha1(repr(inside).encode()).hexdigest()


def issue_event(repo_url: str, number: int, event_id: int, event: str,
                actor: dict[str, Any], at: str) -> dict[str, Any]:
    """A state-change event of an issue's timeline (e.g. ready_for_review)."""
    return {"id": event_id, "node_id": f"IE_{event_id}",
            "url": f"{repo_url}/issues/events/{event_id}", "actor": actor, "event": event,
            "commit_id": None, "commit_url": None, "created_at": at,
            "performed_via_github_app": None}
