"""The route table of the fake GitHub API: (method, OpenAPI path template) → handler.

Each handler takes (fake, path params, query, JSON body, request) and returns
(status, payload, headers); a list payload is paginated by the fake.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import fake_github_shapes as shapes
from fake_github import BOT, b64, blob_sha

if TYPE_CHECKING:
    from fake_github import FakeGitHub

Result = tuple[int, Any, dict[str, str] | None]
Handler = Callable[["FakeGitHub", dict[str, str], dict[str, str], Any, Any], Result]
DOCS = "https://docs.github.com/rest"
_GREEDY = {"path", "ref", "basehead", "name"}


def _not_found(message: str = "Not Found") -> Result:
    return 404, {"message": message, "documentation_url": DOCS}, None


def _invalid(message: str) -> Result:
    return 422, {"message": message, "documentation_url": DOCS}, None


SIMPLE_OMITS = frozenset({"merged", "mergeable", "mergeable_state", "merged_by", "comments",
                          "review_comments", "maintainer_can_modify", "commits", "additions",
                          "deletions", "changed_files"})


def _pull(fake: FakeGitHub, number: int) -> dict[str, Any]:
    pr = fake.pulls[number]
    head_repo = (shapes.repository(pr.fork, 300 + number, 400 + number) if pr.fork
                 else fake.repo)
    labels = [fake.labels[name] for name in pr.labels]
    data = shapes.pull(pr, fake.repo, head_repo, labels)
    data["changed_files"] = len(_diff(fake, pr.base_sha, pr.head_sha))
    return data


def _listed(fake: FakeGitHub, number: int) -> dict[str, Any]:
    """A PR as lists show it (GitHub's pull-request-simple: no counts, no `changed_files`)."""
    return {k: v for k, v in _pull(fake, number).items() if k not in SIMPLE_OMITS}


def get_pull(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    number = int(p["pull_number"])
    return (200, _pull(fake, number), None) if number in fake.pulls else _not_found()


def list_pulls(fake: FakeGitHub, p: dict[str, str], q: dict[str, str], b: Any, r: Any) -> Result:
    state = q.get("state", "open")
    numbers = [n for n, pr in sorted(fake.pulls.items()) if state in ("all", pr.state)]
    return 200, [_listed(fake, n) for n in numbers], None


def _diff(fake: FakeGitHub, old: str, new: str) -> list[dict[str, Any]]:
    before, after = fake.tree(old), fake.tree(new)
    entries = []
    for path in sorted(set(before) | set(after)):
        if before.get(path) == after.get(path):
            continue
        status = "added" if path not in before else "removed" if path not in after else "modified"
        blob = blob_sha(after.get(path, before.get(path, b"")))
        entries.append(shapes.diff_entry(fake.url, path, status, blob, new))
    return entries


MAX_FILES = 3000  # GitHub lists at most 3,000 files of a pull request, silently


def list_files(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    pr = fake.pulls.get(int(p["pull_number"]))
    return (200, _diff(fake, pr.base_sha, pr.head_sha)[:MAX_FILES], None) if pr \
        else _not_found()


def list_reviews(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    pr = fake.pulls.get(int(p["pull_number"]))
    return (200, list(pr.reviews), None) if pr else _not_found()


def list_comments(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    return 200, fake.comments_on(int(p["issue_number"])), None


def timeline(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    pr = fake.pulls.get(int(p["issue_number"]))
    return (200, list(pr.timeline), None) if pr else _not_found()


def create_comment(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    comment = fake.add_comment(int(p["issue_number"]), BOT[0], BOT[1], b["body"])
    return 201, comment, None


def update_comment(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    if int(p["comment_id"]) not in fake.comments:
        return _not_found()
    return 200, fake.edit_comment(int(p["comment_id"]), *BOT, b["body"]), None


def delete_comment(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    if fake.comments.pop(int(p["comment_id"]), None) is None:
        return _not_found()
    return 204, None, None


def combined_status(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    sha = fake.branches.get(p["ref"], p["ref"])
    if sha not in fake.commits:
        return _not_found("No commit found for SHA: " + p["ref"])
    latest: dict[str, dict[str, Any]] = {}
    for status in fake.statuses.get(sha, []):
        latest[status["context"]] = status
    return 200, shapes.combined(fake.repo, sha, list(latest.values())[::-1]), None


def create_status(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    if p["sha"] not in fake.commits:
        return _invalid("No commit found for SHA: " + p["sha"])
    status = shapes.status(fake.url, fake._id(), p["sha"], b["state"], b.get("context", "default"),
                           b.get("description"), b.get("target_url"), fake.stamp(),
                           shapes.user(*BOT))
    fake.statuses.setdefault(p["sha"], []).append(status)
    return 201, status, None


def commit_pulls(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    # GitHub: the merged PR that brought a default-branch commit in (its merge or squash
    # commit, or a commit of its branch), else open PRs with it (fork PRs are not listed
    # for a head commit).
    sha = p["commit_sha"]
    numbers = [n for n, pr in sorted(fake.pulls.items())
               if pr.merged and (pr.merge_commit_sha == sha or sha in fake.branch_commits(n))]
    numbers = numbers or [n for n, pr in sorted(fake.pulls.items())
                          if pr.state == "open" and pr.head_sha == sha and not pr.fork]
    return 200, [_listed(fake, n) for n in numbers], None


def compare(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    base, _, head = p["basehead"].partition("...")
    if base not in fake.commits or head not in fake.commits:
        return _not_found()
    # GitHub's three-dot comparison: from the merge base to `head`, at most 300 files
    files = _diff(fake, fake.merge_base(base, head) or base, head)[:300]
    return 200, {"url": f"{fake.url}/compare/{base}...{head}", "status": "diverged",
                 "ahead_by": 1, "behind_by": 0, "total_commits": 1, "commits": [],
                 "files": files}, None


def get_content(fake: FakeGitHub, p: dict[str, str], q: dict[str, str], b: Any, r: Any
                ) -> Result:
    ref = q.get("ref", "main")
    sha = fake.branches.get(ref, ref)
    if sha not in fake.commits:
        return _not_found("No commit found for the ref " + ref)
    tree = fake.tree(sha)
    data = tree.get(p["path"])
    prefix = p["path"].rstrip("/") + "/"
    listing = sorted(path for path in tree if path.startswith(prefix)
                     and "/" not in path[len(prefix):])
    if data is None and listing:
        return 200, [shapes.content_item(fake.url, path, blob_sha(tree[path]),
                                         len(tree[path]), ref) for path in listing], None
    if data is None:
        return _not_found()
    if "raw" in r.headers.get("Accept", ""):
        return 200, data, None
    return 200, shapes.content_file(fake.url, p["path"], blob_sha(data), b64(data), len(data),
                                    ref), None


def add_labels(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    pr = fake.pulls.get(int(p["issue_number"]))
    if pr is None:
        return _not_found()
    missing = [name for name in b["labels"] if name not in fake.labels]
    if missing:
        return 422, {"documentation_url": DOCS, "message": "Validation Failed",
                     "errors": [{"resource": "Label", "code": "invalid", "field": "name",
                                 "value": missing[0]}]}, None
    pr.labels.extend(name for name in b["labels"] if name not in pr.labels)
    pr.updated_at = fake.stamp()
    return 200, [fake.labels[name] for name in pr.labels], None


def remove_label(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    pr = fake.pulls.get(int(p["issue_number"]))
    if pr is None or p["name"] not in pr.labels:
        return _not_found("Label does not exist")
    pr.labels.remove(p["name"])
    pr.updated_at = fake.stamp()
    return 200, [fake.labels[name] for name in pr.labels], None


def create_label(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    if b["name"] in fake.labels:
        return 422, {"documentation_url": DOCS, "message": "Validation Failed",
                     "errors": [{"resource": "Label", "code": "already_exists",
                                 "field": "name"}]}, None
    label = shapes.label(b["name"], fake._id(), b.get("color", "ededed"), b.get("description"))
    fake.labels[b["name"]] = label
    return 201, label, None


def get_ref(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    pull = re.fullmatch(r"pull/(\d+)/head", p["ref"])
    if pull is not None:  # GitHub keeps refs/pull/N/head at each pull request's head
        pr = fake.pulls.get(int(pull[1]))
        return (200, shapes.git_ref(fake.url, "refs/" + p["ref"], pr.head_sha), None) if pr \
            else _not_found()
    branch = p["ref"].removeprefix("heads/")
    if branch not in fake.branches:
        return _not_found()
    return 200, shapes.git_ref(fake.url, "refs/" + p["ref"], fake.branches[branch]), None


def update_ref(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    branch = p["ref"].removeprefix("heads/")
    if branch not in fake.branches or b["sha"] not in fake.commits:
        return _invalid("Reference does not exist")
    if not b.get("force") and not fake.is_ancestor(fake.branches[branch], b["sha"]):
        return _invalid("Update is not a fast forward")
    fake.branches[branch] = b["sha"]
    return 200, shapes.git_ref(fake.url, "refs/" + p["ref"], b["sha"]), None


def _commit_json(fake: FakeGitHub, sha: str) -> dict[str, Any]:
    c = fake.commits[sha]
    return shapes.git_commit(fake.url, sha, c["tree"], c["parents"], c["message"], c["at"],
                             c["verified"])


def get_commit(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    sha = p["commit_sha"]
    return (200, _commit_json(fake, sha), None) if sha in fake.commits else _not_found()


def create_commit(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    if b["tree"] not in fake.trees or any(x not in fake.commits for x in b["parents"]):
        return _invalid("Tree or parent SHA does not exist")
    sha = fake.commit_tree(fake.tree_files(b["tree"]), b["parents"], b["message"],
                           verified="author" not in b and "committer" not in b,
                           author=(b.get("author") or {}).get("name") or "github-actions[bot]")
    return 201, _commit_json(fake, sha), None


def get_tree(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    sha = p["tree_sha"]
    if sha in fake.commits:
        sha = fake.commits[sha]["tree"]
    if sha not in fake.trees:
        return _not_found()
    return 200, shapes.git_tree(fake.url, sha, fake.trees[sha],
                                recursive=q.get("recursive") not in (None, "", "0", "false"),
                                truncated=fake.truncate_trees), None


def create_tree(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    entries = dict(fake.trees.get(b.get("base_tree") or "", {}))
    if b.get("base_tree") and b["base_tree"] not in fake.trees:
        return _invalid("base_tree is not a valid tree")
    for entry in b["tree"]:
        if entry.get("content") is not None:
            data = entry["content"].encode()
            fake.blobs[blob_sha(data)] = data
            entries[entry["path"]] = blob_sha(data)
        elif entry.get("sha") is None:
            entries.pop(entry["path"], None)
        elif entry["sha"] in fake.blobs:
            entries[entry["path"]] = entry["sha"]
        else:
            return _invalid(f"tree.sha {entry['sha']} is not a valid blob")
    sha = fake._store_tree(entries)
    return 201, shapes.git_tree(fake.url, sha, entries), None


def create_blob(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    raw = b["content"]
    data = base64.b64decode(raw) if b.get("encoding") == "base64" else raw.encode()
    fake.blobs[blob_sha(data)] = data
    return 201, {"url": f"{fake.url}/git/blobs/{blob_sha(data)}", "sha": blob_sha(data)}, None


def list_issues(fake: FakeGitHub, p: dict[str, str], q: dict[str, str], b: Any, r: Any
                ) -> Result:
    state = q.get("state", "open")
    return 200, [i for _, i in sorted(fake.issues.items()) if state in ("all", i["state"])], None


def create_issue(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    number = fake._number()
    issue = shapes.issue(fake.url, number, b["title"], b.get("body", ""), BOT[0], BOT[1],
                         fake.stamp())
    fake.issues[number] = issue
    return 201, issue, None


def graphql(fake: FakeGitHub, p: dict[str, str], q: Any, b: Any, r: Any) -> Result:
    from fake_github_graphql import execute

    return 200, execute(fake, b["query"], b.get("variables") or {}), None


_TABLE: list[tuple[str, str, Handler]] = [
    ("POST", "/graphql", graphql),
    ("GET", "/repos/{owner}/{repo}/pulls", list_pulls),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", get_pull),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files", list_files),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", list_reviews),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", list_comments),
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", create_comment),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}/timeline", timeline),
    ("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", update_comment),
    ("DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}", delete_comment),
    ("GET", "/repos/{owner}/{repo}/commits/{ref}/status", combined_status),
    ("POST", "/repos/{owner}/{repo}/statuses/{sha}", create_status),
    ("GET", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls", commit_pulls),
    ("GET", "/repos/{owner}/{repo}/compare/{basehead}", compare),
    ("GET", "/repos/{owner}/{repo}/contents/{path}", get_content),
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels", add_labels),
    ("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", remove_label),
    ("POST", "/repos/{owner}/{repo}/labels", create_label),
    ("GET", "/repos/{owner}/{repo}/git/ref/{ref}", get_ref),
    ("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}", update_ref),
    ("GET", "/repos/{owner}/{repo}/git/commits/{commit_sha}", get_commit),
    ("POST", "/repos/{owner}/{repo}/git/commits", create_commit),
    ("GET", "/repos/{owner}/{repo}/git/trees/{tree_sha}", get_tree),
    ("POST", "/repos/{owner}/{repo}/git/trees", create_tree),
    ("POST", "/repos/{owner}/{repo}/git/blobs", create_blob),
    ("GET", "/repos/{owner}/{repo}/issues", list_issues),
    ("POST", "/repos/{owner}/{repo}/issues", create_issue),
]


def _pattern(template: str) -> re.Pattern[str]:
    def group(match: re.Match[str]) -> str:
        name = match[1]
        return f"(?P<{name}>.+)" if name in _GREEDY else f"(?P<{name}>[^/]+)"

    return re.compile("^" + re.sub(r"\{(\w+)\}", group, template) + "$")


ROUTES = [(method, template, _pattern(template), handler) for method, template, handler in _TABLE]
