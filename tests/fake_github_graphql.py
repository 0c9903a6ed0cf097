"""GitHub's GraphQL API for the stateful fake (tests/fake_github.py).

A small executor: the query is parsed with graphql-core (no schema needed: the queries are
validated against GitHub's published schema in tests/github/test_graphql_schema.py), and
its selections are resolved, field by field, against objects built from the fake's state.
So the answer holds exactly the fields, aliases and fragments the query asked for, as
GitHub's would. Only what govbot asks is modelled (a field it does not know raises, so a
query that grows beyond the fake fails loudly instead of reading None).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    value_from_ast_untyped,
)

from fake_github import blob_sha

if TYPE_CHECKING:
    from fake_github import FakeGitHub, FakePull

Obj = dict[str, Any]  # "__typename" and fields: values, or callables taking the arguments
CHANGE_TYPES = {"added": "ADDED", "removed": "DELETED", "modified": "MODIFIED",
                "renamed": "RENAMED", "copied": "COPIED", "changed": "CHANGED"}
MODES = {"100644": 33188, "100755": 33261, "120000": 40960, "160000": 57344}


def execute(fake: FakeGitHub, query: str, variables: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON answer to one query."""
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    root: Obj = {"__typename": "Query",
                 "repository": lambda a: _repository(fake) if
                 f"{a['owner']}/{a['name']}" == fake.repo_name else None,
                 "nodes": lambda a: [_node(fake, i) for i in a["ids"]]}
    return {"data": _select(root, operation.selection_set, dict(variables))}


def _select(obj: Obj, selections: SelectionSetNode, variables: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for selection in selections.selections:
        if isinstance(selection, InlineFragmentNode):
            if selection.type_condition is None or \
                    selection.type_condition.name.value == obj["__typename"]:
                out.update(_select(obj, selection.selection_set, variables))
            continue
        assert isinstance(selection, FieldNode), "fragments by name are not modelled"
        name = selection.name.value
        if name not in obj:
            raise KeyError(f"fake GraphQL: {obj['__typename']}.{name} is not modelled")
        args = {a.name.value: value_from_ast_untyped(a.value, variables)
                for a in selection.arguments or ()}
        value = obj[name](args) if callable(obj[name]) else obj[name]
        out[(selection.alias or selection.name).value] = _value(value, selection, variables)
    return out


def _value(value: Any, field: FieldNode, variables: dict[str, Any]) -> Any:
    if field.selection_set is None or value is None:
        return value
    if isinstance(value, list):
        return [None if v is None else _select(v, field.selection_set, variables)
                for v in value]
    return _select(value, field.selection_set, variables)


def _connection(items: list[Any], args: Mapping[str, Any]) -> Obj:
    start = int(args.get("after") or 0)
    if args.get("last") is not None:
        chunk, start = items[-int(args["last"]):], max(0, len(items) - int(args["last"]))
    else:
        chunk = items[start: start + int(args.get("first") or 100)]
    return {"__typename": "Connection", "totalCount": len(items), "nodes": chunk,
            "pageInfo": {"__typename": "PageInfo",
                         "hasNextPage": start + len(chunk) < len(items),
                         "endCursor": str(start + len(chunk))}}


def _actor(login: str | None, user_id: int | None) -> Obj | None:
    if login is None:
        return None
    if login.endswith("[bot]"):  # GraphQL names an app's bot by its slug
        return {"__typename": "Bot", "login": login.removesuffix("[bot]"),
                "databaseId": user_id}
    return {"__typename": "User", "login": login, "databaseId": user_id}


def _rest_actor(user: Mapping[str, Any] | None) -> Obj | None:
    return None if user is None else _actor(user["login"], user.get("id"))


def _repository(fake: FakeGitHub) -> Obj:
    def pulls(args: Mapping[str, Any]) -> Obj:
        states = args.get("states") or ["OPEN"]
        states = {str(s).lower() for s in ([states] if isinstance(states, str) else states)}
        chosen = [_pull(fake, pr) for _, pr in sorted(fake.pulls.items())
                  if pr.state in states]
        return _connection(chosen, args)

    return {"__typename": "Repository",
            "pullRequest": lambda a: _pull(fake, fake.pulls[a["number"]])
            if a["number"] in fake.pulls else None,
            "pullRequests": pulls,
            "object": lambda a: _commit(fake, a["oid"]) if a.get("oid") in fake.commits
            else None}


def _pull(fake: FakeGitHub, pr: FakePull) -> Obj:
    from fake_github_routes import _diff

    def ready(args: Mapping[str, Any]) -> Obj:
        events = [{"__typename": "ReadyForReviewEvent", "createdAt": e["created_at"]}
                  for e in pr.timeline if e["event"] == "ready_for_review"]
        assert args.get("itemTypes") == ["READY_FOR_REVIEW_EVENT"]
        return _connection(events, args)

    def commits(args: Mapping[str, Any]) -> Obj:
        chain, sha = [], pr.head_sha
        while sha and sha != pr.base_sha and len(chain) < 250:  # GitHub lists 250 at most
            chain.append(sha)
            parents = fake.commits[sha]["parents"]
            sha = parents[-1] if parents else None
        nodes = [{"__typename": "PullRequestCommit", "commit": _commit(fake, c)}
                 for c in reversed(chain)]
        if fake.head_commit_not_listed:
            nodes = nodes[:-1] or [{"__typename": "PullRequestCommit",
                                    "commit": _commit(fake, pr.base_sha)}]
        return _connection(nodes, args)

    state = "MERGED" if pr.merged else pr.state.upper()
    return {
        "__typename": "PullRequest", "number": pr.number, "title": pr.title,
        "state": state, "isDraft": pr.draft, "merged": pr.merged,
        "mergedAt": (pr.closed_at or pr.updated_at) if pr.merged else None,
        "closedAt": (pr.closed_at or pr.updated_at) if pr.state == "closed" else None,
        "createdAt": pr.created_at,
        "updatedAt": pr.updated_at, "url": f"https://github.com/{fake.repo_name}/pull/"
        f"{pr.number}", "headRefOid": pr.head_sha, "headRefName": pr.head_ref,
        "baseRefName": pr.base_ref, "baseRefOid": pr.base_sha,
        "changedFiles": lambda a: len(_diff(fake, pr.base_sha, pr.head_sha)),
        "author": _actor(pr.login, pr.user_id),
        "labels": lambda a: _connection([{"__typename": "Label", "name": n}
                                         for n in pr.labels], a),
        "reviews": lambda a: _connection([_review(fake, r) for r in pr.reviews], a),
        "comments": lambda a: _connection([_comment(fake, c) for c in fake.comments_on(pr.number)],
                                          a),
        "timelineItems": ready, "commits": commits,
        "files": lambda a: _connection([
            {"__typename": "PullRequestChangedFile", "path": e["filename"],
             "changeType": CHANGE_TYPES[e["status"]]}
            for e in _diff(fake, pr.base_sha, pr.head_sha)], a),
    }


def _review(fake: FakeGitHub, review: Mapping[str, Any]) -> Obj:
    commit = review.get("commit_id")
    return {"__typename": "PullRequestReview", "fullDatabaseId": str(review["id"]),
            "state": review["state"], "body": review.get("body") or "",
            "submittedAt": review.get("submitted_at"), "url": review["html_url"],
            "author": _rest_actor(review.get("user")),
            "commit": _commit(fake, commit) if commit in fake.commits else None}


def _comment(fake: FakeGitHub, comment: Mapping[str, Any]) -> Obj:
    # GitHub's edit history, newest first: each edit by its editor, and once a comment is
    # edited, its first revision by its author
    edits = [{"__typename": "UserContentEdit", "editor": _actor(login, user_id),
              "deletedBy": None}
             for login, user_id in reversed(fake.comment_edits.get(comment["id"], []))]
    return {"__typename": "IssueComment", "id": f"IC_{comment['id']}",
            "databaseId": comment["id"], "body": comment["body"],
            "createdAt": comment["created_at"], "updatedAt": comment["updated_at"],
            "url": comment["html_url"], "author": _rest_actor(comment.get("user")),
            "userContentEdits": lambda a: _connection(edits, a)}


def _node(fake: FakeGitHub, node_id: str) -> Obj | None:
    if node_id.startswith("IC_") and int(node_id[3:]) in fake.comments:
        return _comment(fake, fake.comments[int(node_id[3:])])
    return None


def _commit(fake: FakeGitHub, sha: str) -> Obj:
    tree = fake.tree(sha)
    modes = fake.modes.get(sha, {})

    def file(args: Mapping[str, Any]) -> Obj | None:
        path = args["path"]
        if path not in tree:
            return None
        data = tree[path]
        return {"__typename": "TreeEntry", "mode": MODES[modes.get(path, "100644")],
                "oid": blob_sha(data), "object": _blob(fake, data)}

    def status(args: Mapping[str, Any]) -> Obj | None:
        latest: dict[str, Mapping[str, Any]] = {}
        for posted in fake.statuses.get(sha, []):
            latest[posted["context"]] = posted
        if not latest:
            return None
        return {"__typename": "Status", "contexts": [
            {"__typename": "StatusContext", "context": s["context"],
             "state": s["state"].upper(), "description": s.get("description")}
            for s in latest.values()]}

    return {"__typename": "Commit", "oid": sha, "file": file, "status": status}


def _blob(fake: FakeGitHub, data: bytes) -> Obj:
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    binary = text is None or "\x00" in (text or "")
    if fake.graphql_mangles_text and text is not None:
        text = text.replace("\n", "\r\n")  # what GitHub's text might do; bytes differ
    return {"__typename": "Blob", "oid": blob_sha(data), "byteSize": len(data),
            "isBinary": binary, "isTruncated": len(data) > 512 * 1024,
            "text": None if binary else text}
