"""A stateful fake of the GitHub REST API, on `responses` callbacks.

It models one repository: a tiny git object store (blobs, trees, commits, branches), pull
requests, reviews, issue comments, commit statuses, labels and issues. Every request is logged
as a `Call` with the OpenAPI path template it matched, so tests assert exact read and write
counts. Use it as a context manager:

    with FakeGitHub() as fake:
        number = fake.add_pull({"decisions/0012-x.md": b"..."}, login="alice", user_id=1)
        fake.add_review(number, "bob", 2, "APPROVED")
        ...  # run govbot against https://api.github.com
        assert fake.count("POST", "/repos/{owner}/{repo}/statuses/{sha}") == 2

Failures are injected with `fake.fail(method, template, status)`. A conformance hook,
`fake.validator(method, template, status, body)`, sees every JSON body the fake returns.

With `git=PATH` the object store is real git: blobs, trees and commits get git's own ids and
are written as loose objects into a bare repository at PATH whose branches follow the fake's,
so `fake.clone(DIR)` gives the checkout a workflow would have (publish reads records and
history from it, and fetches from it when the branch moves on).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import subprocess
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import responses

import fake_github_shapes as shapes

API = shapes.API
REPO = "org/governance"
BOT = ("github-actions[bot]", 41898282)
GRAPHQL = "/graphql"
_URL = re.compile(r"^https://api\.github\.com(?::443)?(/.*)$")
Validator = Callable[[str, str, int, Any], None]


@dataclass(frozen=True)
class Call:
    """One request the fake received."""

    method: str
    template: str
    path: str
    query: Mapping[str, str]
    body: Any


@dataclass
class FakePull:
    """A pull request's state."""

    number: int
    title: str
    body: str | None
    login: str
    user_id: int
    head_ref: str
    head_sha: str
    base_ref: str
    base_sha: str
    created_at: str
    updated_at: str
    draft: bool = False
    state: str = "open"
    merged: bool = False
    merge_commit_sha: str | None = None
    closed_at: str | None = None  # when merged or closed (updated_at moves on afterwards)
    merged_by: tuple[str, int] | None = None
    fork: str | None = None
    labels: list[str] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)


def _sha(*parts: object) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def blob_sha(data: bytes) -> str:
    """The real git blob id of `data`."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class GitStore:
    """Real git objects for the fake: ids as git computes them, written as loose objects
    into a bare repository, and the branch refs kept in step."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not (path / "objects").is_dir():
            subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(path)],
                           check=True)

    def write(self, kind: str, data: bytes) -> str:
        raw = f"{kind} {len(data)}\0".encode() + data
        sha = hashlib.sha1(raw).hexdigest()
        target = self.path / "objects" / sha[:2] / sha[2:]
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(zlib.compress(raw))
        return sha

    def tree(self, entries: Mapping[str, str]) -> str:
        """The root tree of flat `{path: blob id}` entries (subtrees written too)."""
        blobs: dict[str, str] = {}
        folders: dict[str, dict[str, str]] = {}
        for path, blob in entries.items():
            head, slash, rest = path.partition("/")
            if slash:
                folders.setdefault(head, {})[rest] = blob
            else:
                blobs[head] = blob
        items = [(name, "100644", sha) for name, sha in blobs.items()]
        items += [(name, "40000", self.tree(sub)) for name, sub in folders.items()]
        items.sort(key=lambda item: item[0] + ("/" if item[1] == "40000" else ""))
        return self.write("tree", b"".join(f"{mode} {name}".encode() + b"\0" + bytes.fromhex(sha)
                                           for name, mode, sha in items))

    def commit(self, tree: str, parents: list[str], message: str, author: str,
               when: dt.datetime, serial: int) -> str:
        stamp = f"{int(when.timestamp())} +0000"
        person = f"{author} <fake-{serial}@example.com> {stamp}"
        text = "".join([f"tree {tree}\n", *(f"parent {p}\n" for p in parents),
                        f"author {person}\n", f"committer {person}\n\n",
                        message if message.endswith("\n") else message + "\n"])
        return self.write("commit", text.encode())

    def set_ref(self, branch: str, sha: str) -> None:
        target = self.path / "refs" / "heads" / branch
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(sha + "\n")


class _Branches(dict[str, str]):
    """The fake's branches; with a git store, every move is written as a ref."""

    def __init__(self, store: GitStore | None) -> None:
        super().__init__()
        self.store = store

    def __setitem__(self, branch: str, sha: str) -> None:
        super().__setitem__(branch, sha)
        if self.store is not None:
            self.store.set_ref(branch, sha)

    def __delitem__(self, branch: str) -> None:
        super().__delitem__(branch)
        if self.store is not None:
            (self.store.path / "refs" / "heads" / branch).unlink(missing_ok=True)


class FakeGitHub:
    """The fake API and its state; see the module docstring."""

    def __init__(self, files: Mapping[str, bytes] | None = None, *, repo: str = REPO,
                 now: dt.datetime | None = None, git: Path | None = None) -> None:
        self.repo_name = repo
        self.repo = shapes.repository(repo, 100, 200)
        self.url = self.repo["url"]
        self.now = now or dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
        self.blobs: dict[str, bytes] = {}
        self.trees: dict[str, dict[str, str]] = {}
        self.commits: dict[str, dict[str, Any]] = {}
        self.git = GitStore(git) if git is not None else None
        self.branches: dict[str, str] = _Branches(self.git)
        self.pulls: dict[int, FakePull] = {}
        self.comments: dict[int, dict[str, Any]] = {}
        self.comment_issue: dict[int, int] = {}
        # each comment's edit history, oldest first: (login, id) of its first revision's
        # author, then of each editor (GraphQL `userContentEdits`; REST has no such field)
        self.comment_edits: dict[int, list[tuple[str, int | None]]] = {}
        self.statuses: dict[str, list[dict[str, Any]]] = {}
        self.labels: dict[str, dict[str, Any]] = {}
        self.issues: dict[int, dict[str, Any]] = {}
        self.calls: list[Call] = []
        self.unhandled: list[str] = []
        self.validator: Validator | None = None
        self.truncate_trees = False  # imitate GitHub cutting tree listings short
        self.modes: dict[str, dict[str, str]] = {}  # commit → path → git mode (not 100644)
        self.head_commit_not_listed = False  # a PR's commits list stops before its head
        self.graphql_mangles_text = False  # GraphQL's Blob.text is not the exact bytes
        self._failures: list[tuple[str, str, int, dict[str, Any], dict[str, str]]] = []
        self._next_id = 1000
        self._next_number = 1
        self.branches["main"] = self.commit_tree(dict(files or {}), [], "initial")
        self._mock = responses.RequestsMock(assert_all_requests_are_fired=False)

    # --- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> FakeGitHub:
        self._mock.start()
        for method in ("GET", "POST", "PATCH", "PUT", "DELETE"):
            self._mock.add_callback(method, re.compile(r"https://api\.github\.com.*"),
                                    callback=self._dispatch)
        return self

    def __exit__(self, *exc: object) -> None:
        self._mock.stop()
        self._mock.reset()

    # --- time and ids ----------------------------------------------------------------------
    def stamp(self) -> str:
        """`now` as GitHub writes timestamps."""
        return self.now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def tick(self, **delta: float) -> None:
        """Move the fake's clock forward (e.g. `tick(days=7)`)."""
        self.now += dt.timedelta(**delta)

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    # --- git -------------------------------------------------------------------------------
    def commit_tree(self, files: dict[str, bytes], parents: list[str], message: str,
                    *, verified: bool = True, author: str = "Fake Author") -> str:
        """Store a commit whose tree holds exactly `files`; return its sha."""
        entries = {}
        for path, data in files.items():
            self.blobs[blob_sha(data)] = data
            if self.git is not None:
                self.git.write("blob", data)
            entries[path] = blob_sha(data)
        tree = self._store_tree(entries)
        if self.git is not None:
            sha = self.git.commit(tree, parents, message, author, self.now, len(self.commits))
        else:
            sha = _sha("commit", tree, parents, message, len(self.commits))
        self.commits[sha] = {"tree": tree, "parents": list(parents), "message": message,
                             "at": self.stamp(), "verified": verified, "author": author}
        return sha

    def _store_tree(self, entries: dict[str, str]) -> str:
        sha = (self.git.tree(entries) if self.git is not None
               else _sha("tree", sorted(entries.items())))
        self.trees[sha] = dict(entries)
        return sha

    def clone(self, target: Path) -> Path:
        """A checkout of the default branch as it is now (git mode only), as a workflow's
        `actions/checkout` with `fetch-depth: 0` makes it (every branch, so a PR's head
        branch unless it was deleted after the merge); `origin` is the fake's store."""
        assert self.git is not None, "clone() needs FakeGitHub(git=PATH)"
        subprocess.run(["git", "clone", "-q", "--no-local", "--branch", "main",
                        str(self.git.path), str(target)], check=True, capture_output=True)
        return target

    def tree_files(self, tree_sha: str) -> dict[str, bytes]:
        """The files of a stored tree."""
        return {path: self.blobs[blob] for path, blob in self.trees[tree_sha].items()}

    def tree(self, ref: str) -> dict[str, bytes]:
        """The files of a commit or branch."""
        return self.tree_files(self.commits[self.branches.get(ref, ref)]["tree"])

    def commit(self, branch: str, files: Mapping[str, bytes | None], message: str = "change",
               *, author: str = "Fake Author") -> str:
        """Add a commit on `branch` changing `files` (None deletes); return its sha."""
        tree = self.tree(branch)
        for path, data in files.items():
            if data is None:
                tree.pop(path, None)
            else:
                tree[path] = data
        self.branches[branch] = self.commit_tree(tree, [self.branches[branch]], message,
                                                 author=author)
        return self.branches[branch]

    def branch_commits(self, number: int) -> set[str]:
        """The commits of a PR's branch: reachable from its head, not from its base."""
        pr = self.pulls[number]
        out: set[str] = set()
        todo = [pr.head_sha]
        while todo:
            sha = todo.pop()
            if sha in out or self.is_ancestor(sha, pr.base_sha):
                continue
            out.add(sha)
            todo.extend(self.commits.get(sha, {}).get("parents", []))
        return out

    def is_ancestor(self, old: str, new: str) -> bool:
        """Whether `old` is reachable from `new`."""
        todo = [new]
        while todo:
            sha = todo.pop()
            if sha == old:
                return True
            todo.extend(self.commits.get(sha, {}).get("parents", []))
        return False

    def merge_base(self, one: str, other: str) -> str | None:
        """The nearest common ancestor of two commits (breadth first from `one`)."""
        reachable, todo = set(), [other]
        while todo:
            sha = todo.pop()
            if sha not in reachable:
                reachable.add(sha)
                todo.extend(self.commits.get(sha, {}).get("parents", []))
        queue = [one]
        while queue:
            sha = queue.pop(0)
            if sha in reachable:
                return sha
            queue.extend(self.commits.get(sha, {}).get("parents", []))
        return None

    # --- pull requests ---------------------------------------------------------------------
    def add_pull(self, files: Mapping[str, bytes | None], *, login: str = "alice",
                 user_id: int = 1, title: str = "Add a decision", body: str | None = "",
                 draft: bool = False, fork: str | None = None, number: int | None = None,
                 head_ref: str = "proposal") -> int:
        """Open a pull request whose head commit changes `files` on top of main."""
        number = number or self._number()
        branch = f"pr-{number}"
        self.branches[branch] = self.branches["main"]
        head = self.commit(branch, files, title)
        self.pulls[number] = FakePull(
            number, title, body, login, user_id, head_ref, head, "main",
            self.branches["main"], self.stamp(), self.stamp(), draft=draft, fork=fork)
        return number

    def _number(self) -> int:
        number = self._next_number
        self._next_number += 1
        return number

    def push(self, number: int, files: Mapping[str, bytes | None], message: str = "update"
             ) -> str:
        """Push a commit to a pull request's head; return the new head sha."""
        pr = self.pulls[number]
        pr.head_sha = self.commit(f"pr-{number}", files, message)
        pr.updated_at = self.stamp()
        return pr.head_sha

    def force_push(self, number: int, sha: str) -> None:
        """Force-push a pull request's head back to an existing commit (e.g. an ancestor)."""
        pr = self.pulls[number]
        self.branches[f"pr-{number}"] = pr.head_sha = sha
        pr.updated_at = self.stamp()

    def merge(self, number: int, method: str = "merge",
              by: tuple[str, int] = ("jvandenberg", 918273)) -> str:
        """Merge a pull request into main — a merge commit, or with `method="squash"` one
        commit on main — applying the PR's changes (base → head) to main as it is now;
        return main's new sha."""
        pr = self.pulls[number]
        base, head, tree = self.tree(pr.base_sha), self.tree(pr.head_sha), self.tree("main")
        for path in set(base) | set(head):
            if base.get(path) != head.get(path):
                if path in head:
                    tree[path] = head[path]
                else:
                    tree.pop(path, None)
        if method == "squash":
            sha = self.commit_tree(tree, [self.branches["main"]], f"{pr.title} (#{number})",
                                   author="GitHub")
        else:
            sha = self.commit_tree(tree, [self.branches["main"], pr.head_sha],
                                   f"Merge pull request #{number}", author="GitHub")
        self.branches["main"] = sha
        pr.state, pr.merged, pr.updated_at = "closed", True, self.stamp()
        pr.closed_at = self.stamp()
        pr.merge_commit_sha, pr.merged_by = sha, by
        return sha

    def close(self, number: int) -> None:
        """Close a pull request without merging it."""
        pr = self.pulls[number]
        pr.state, pr.updated_at, pr.closed_at = "closed", self.stamp(), self.stamp()

    def add_review(self, number: int, login: str, user_id: int, state: str, body: str = "",
                   *, commit_id: str | None = None) -> dict[str, Any]:
        """Submit a review (APPROVED, CHANGES_REQUESTED, COMMENTED) on the head (or a commit)."""
        pr = self.pulls[number]
        review = shapes.review(self.url, number, self._id(), login, user_id, state, body,
                               commit_id or pr.head_sha, self.stamp())
        pr.reviews.append(review)
        pr.updated_at = self.stamp()  # GitHub bumps a PR's updated_at on any activity
        return review

    def set_draft(self, number: int, draft: bool) -> None:
        """Convert a PR to a draft, or mark it ready for review (a timeline event)."""
        pr = self.pulls[number]
        pr.draft, pr.updated_at = draft, self.stamp()
        pr.timeline.append(shapes.issue_event(
            self.url, number, self._id(), "convert_to_draft" if draft else "ready_for_review",
            shapes.user(pr.login, pr.user_id), self.stamp()))

    def dismiss_review(self, number: int, review_id: int) -> None:
        """Dismiss a review (its state becomes DISMISSED)."""
        for review in self.pulls[number].reviews:
            if review["id"] == review_id:
                review["state"] = "DISMISSED"
        self.pulls[number].updated_at = self.stamp()

    def add_comment(self, number: int, login: str, user_id: int, body: str) -> dict[str, Any]:
        """Post an issue comment on a pull request or issue."""
        at = self.stamp()
        comment = shapes.comment(self.url, number, self._id(), login, user_id, body, at, at)
        self.comments[comment["id"]] = comment
        self.comment_issue[comment["id"]] = number
        if number in self.pulls:
            self.pulls[number].updated_at = at
        return comment

    def edit_comment(self, comment_id: int, login: str, user_id: int | None, body: str
                     ) -> dict[str, Any]:
        """`login` edits a comment (anyone with write access may): GitHub stamps its
        updated_at and keeps the edit, by whom, in the comment's edit history."""
        comment = self.comments[comment_id]
        author = comment.get("user") or {}
        history = self.comment_edits.setdefault(
            comment_id, [(author.get("login", "ghost"), author.get("id"))])
        history.append((login, user_id))
        comment["body"], comment["updated_at"] = body, self.stamp()
        return comment

    def comments_on(self, number: int) -> list[dict[str, Any]]:
        """The comments on one pull request or issue, oldest first."""
        return [c for i, c in sorted(self.comments.items()) if self.comment_issue[i] == number]

    def latest_status(self, sha: str, context: str) -> dict[str, Any] | None:
        """The newest status of `context` on `sha`."""
        return next((s for s in reversed(self.statuses.get(sha, []))
                     if s["context"] == context), None)

    # --- failures and counting -------------------------------------------------------------
    def fail(self, method: str, template: str, status: int, *, times: int = 1,
             message: str = "Server Error", headers: Mapping[str, str] | None = None) -> None:
        """Answer the next `times` requests matching (method, template) with an error."""
        for _ in range(times):
            self._failures.append((method, template, status, {"message": message},
                                   dict(headers or {})))

    def count(self, method: str | None = None, template: str | None = None) -> int:
        """How many requests matched the method (and template)."""
        return sum(1 for c in self.calls if method in (None, c.method)
                   and template in (None, c.template))

    @property
    def writes(self) -> list[Call]:
        """Every request that changes something (not a GET, not a GraphQL query)."""
        return [c for c in self.calls if c.method != "GET" and c.template != GRAPHQL]

    @property
    def reads(self) -> list[Call]:
        """Every request that only reads: a GET, or a GraphQL query."""
        return [c for c in self.calls if c.method == "GET" or c.template == GRAPHQL]

    def queries(self) -> list[str]:
        """The operation name of each GraphQL query, in order."""
        return [str(c.body["query"]).split("(", 1)[0].split()[-1] for c in self.calls
                if c.template == GRAPHQL]

    def reset_calls(self) -> None:
        """Forget the request log (state stays)."""
        self.calls.clear()

    def summary(self) -> list[str]:
        """`METHOD template` per request, in order (for readable assertion failures); a
        GraphQL query as `POST /graphql Name`."""
        return [f"{c.method} {c.template}" + (
            " " + str(c.body["query"]).split("(", 1)[0].split()[-1]
            if c.template == GRAPHQL else "") for c in self.calls]

    # --- dispatch --------------------------------------------------------------------------
    def _dispatch(self, request: Any) -> tuple[int, dict[str, str], str | bytes]:
        from fake_github_routes import ROUTES  # the route table lives beside the fake

        match = _URL.match(request.url)
        parts = urlsplit(request.url)
        path = unquote(parts.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        body = json.loads(request.body) if request.body else None
        for method, template, pattern, handler in ROUTES:
            found = pattern.match(path) if match and method == request.method else None
            if found is None:
                continue
            self.calls.append(Call(method, template, path, query, body))
            failure = self._take_failure(method, template)
            if failure is not None:
                return failure
            status, payload, headers = handler(self, found.groupdict(), query, body, request)
            return self._respond(method, template, status, payload, headers, path, query)
        self.unhandled.append(f"{request.method} {request.url}")
        return 501, {}, json.dumps({"message": f"fake_github: no route for {path}"})

    def _take_failure(self, method: str, template: str
                      ) -> tuple[int, dict[str, str], str] | None:
        for index, (m, t, status, body, headers) in enumerate(self._failures):
            if (m, t) == (method, template):
                del self._failures[index]
                return status, {"Content-Type": "application/json", **headers}, json.dumps(body)
        return None

    def _respond(self, method: str, template: str, status: int, payload: Any,
                 headers: dict[str, str] | None, path: str, query: Mapping[str, str]
                 ) -> tuple[int, dict[str, str], str | bytes]:
        headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        if isinstance(payload, bytes):
            return status, {**headers, "Content-Type": "application/vnd.github.raw"}, payload
        if isinstance(payload, list) and "/contents/" not in template:  # directories: whole
            payload, link = self._page(payload, path, query)
            if link:
                headers["Link"] = link
        if self.validator is not None and payload is not None:
            self.validator(method, template, status, payload)
        return status, headers, "" if payload is None else json.dumps(payload)

    def _page(self, items: list[Any], path: str, query: Mapping[str, str]
              ) -> tuple[list[Any], str]:
        per_page = min(int(query.get("per_page", 30)), 100)
        page = int(query.get("page", 1))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        if page >= last:
            return chunk, ""
        rest = {k: v for k, v in query.items() if k != "page"}

        def url(n: int) -> str:
            return f"{API}{path}?{urlencode({**rest, 'page': n})}"

        return chunk, f'<{url(page + 1)}>; rel="next", <{url(last)}>; rel="last"'


def b64(data: bytes) -> str:
    """Base64 as the contents API writes it (with line breaks)."""
    encoded = base64.b64encode(data).decode()
    return "\n".join(encoded[i:i + 60] for i in range(0, len(encoded), 60)) + "\n"
