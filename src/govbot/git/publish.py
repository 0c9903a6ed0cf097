"""Publishing's local half (DESIGN §7): the default branch's checkout as publish reads it —
the files at a commit and the first-parent history, with no request per record — then
`govbot publish --local` committed with git, and `govbot render`'s files of a working tree.
The merge-time changes it shares with the GitHub path are `publish.reconcile`'s."""

from __future__ import annotations

import base64
import datetime as dt
import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from govbot.model.config import CONFIG_FILE, Config, config_or_none
from govbot.model.errors import GitHubError, UsageError
from govbot.model.records import Record
from govbot.model.vocab import GENERATED_FILES, is_record_path
from govbot.publish.reconcile import (
    Commit,
    Left,
    Merged,
    Outcome,
    Result,
    Tip,
    base_sha,
    changed_decided,
    commit_message,
    merged_from,
    proposed,
    reconcile,
    stampable,
    tip_records,
    voted_texts,
)
from govbot.record.history import read_published
from govbot.record.stamp import FinalVote
from govbot.render.outputs import render_outputs

_REGULAR = ("100644", "100755")


def wanted(path: str) -> bool:
    """The files publishing reads: decision records, governance.yml, the generated files."""
    return is_record_path(path) or path == CONFIG_FILE or path in GENERATED_FILES


class Checkout:
    """A local git checkout of the default branch: files at a commit (one `git ls-tree` and
    one `git cat-file` whatever the number of records) and the history that says which
    commit last changed a file. `env` extends git's environment (credentials to fetch)."""

    def __init__(self, root: Path, env: Mapping[str, str] | None = None) -> None:
        self.root = root
        self.env = dict(env or {})
        try:
            self.head = self.git("rev-parse", "--verify", "HEAD^{commit}").decode().strip()
        except UsageError:
            raise UsageError(f"{root} is not a git checkout with a commit: govbot publish reads "
                             "the records and their history from a checkout of the default "
                             "branch (actions/checkout with fetch-depth: 0 before it)") from None
        if self.git("rev-parse", "--is-shallow-repository").strip() == b"true":
            raise UsageError(f"{root} is a shallow clone: govbot publish reads the history to "
                             "learn which pull request merged each record; check out the whole "
                             "history (actions/checkout with fetch-depth: 0)")

    def git(self, *args: str, input_bytes: bytes | None = None) -> bytes:
        """Run git in the checkout; UsageError with git's message when it fails."""
        env = {**os.environ, **self.env} if self.env else None
        result = subprocess.run(["git", "-C", str(self.root), *args], input=input_bytes,
                                capture_output=True, check=False, env=env)
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise UsageError(f"git {' '.join(args[:2])} failed: "
                             f"{message[-1] if message else 'unknown error'}")
        return result.stdout

    def tip(self, ref: str) -> Tip:
        """The files publishing reads at `ref` (`wanted`), with the commit and tree ids."""
        sha = self.git("rev-parse", "--verify", f"{ref}^{{commit}}").decode().strip()
        tree = self.git("rev-parse", f"{sha}^{{tree}}").decode().strip()
        listing = self.git("ls-tree", "-r", "-z", sha, "--", "decisions/", CONFIG_FILE,
                           *GENERATED_FILES)
        blobs: dict[str, str] = {}
        for item in filter(None, listing.split(b"\0")):
            meta, path = item.decode("utf-8", "surrogateescape").split("\t", 1)
            mode, kind, blob = meta.split()
            if kind == "blob" and mode in _REGULAR and wanted(path):
                blobs[path] = blob
        contents = self.objects(blobs.values())
        return Tip(sha, tree, {path: contents[blob] for path, blob in sorted(blobs.items())})

    def objects(self, shas: Iterable[str]) -> dict[str, bytes]:
        """The bytes of each blob by id (those the checkout has), in one `git cat-file`."""
        wanted_ids = sorted(set(shas))
        if not wanted_ids:
            return {}
        out = self.git("cat-file", "--batch", input_bytes="".join(
            f"{sha}\n" for sha in wanted_ids).encode())
        found: dict[str, bytes] = {}
        position = 0
        for sha in wanted_ids:
            end = out.index(b"\n", position)
            header = out[position:end].split()
            if header[-1] == b"missing":
                position = end + 1
                continue
            size = int(header[2])
            found[sha] = out[end + 1:end + 1 + size]
            position = end + 1 + size + 1
        return found

    def read(self, ref: str, path: str) -> bytes | None:
        """A file at a commit, or None when the commit or the file is not in the checkout."""
        try:
            return self.git("cat-file", "blob", f"{ref}:{path}")
        except UsageError:
            return None

    def last_change(self, path: str, ref: str) -> Commit | None:
        """The commit that last changed `path` along the branch's first parents up to `ref`
        (a merge commit, a squash commit, a rebased commit or a direct push), or None."""
        out = self.git("log", "--first-parent", "-1", "--format=%H%x00%an%x00%cI", ref, "--",
                       path).decode("utf-8", "replace").strip()
        if not out:
            return None
        sha, by, when = out.split("\0")
        return Commit(sha, by, dt.datetime.fromisoformat(when))

    def has(self, commit: str) -> bool:
        """Whether the checkout holds this commit."""
        result = subprocess.run(["git", "-C", str(self.root), "cat-file", "-e",
                                 f"{commit}^{{commit}}"], capture_output=True, check=False)
        return result.returncode == 0

    def is_ancestor(self, commit: str, ref: str) -> bool:
        """Whether `commit` is in the history of `ref` (False when it is unknown here)."""
        result = subprocess.run(["git", "-C", str(self.root), "merge-base", "--is-ancestor",
                                 commit, ref], capture_output=True, check=False)
        return result.returncode == 0

    def fetch(self, branch: str) -> str:
        """Fetch `branch` from `origin` (with the credentials in `env`) and return the
        commit it points at: publishing re-reads a tip that moved after the checkout."""
        try:
            self.git("fetch", "--quiet", "--no-tags", "origin",
                     f"+refs/heads/{branch}:refs/remotes/origin/{branch}")
        except UsageError as exc:
            raise GitHubError(f"{branch} moved on after this checkout and fetching it failed "
                              f"({exc.message}); nothing was committed. Re-run the "
                              "govbot-publish workflow") from None
        return self.git("rev-parse", f"refs/remotes/origin/{branch}").decode().strip()


def fetch_credentials(token: str | None, server: str = "https://github.com") -> dict[str, str]:
    """git's environment to fetch over HTTPS with a token, the way actions/checkout does,
    without writing it to .git/config or putting it on a command line."""
    if not token:
        return {}
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return {"GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": f"http.{server.rstrip('/')}/.extraheader",
            "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}",
            "GIT_TERMINAL_PROMPT": "0"}


# --- govbot render -----------------------------------------------------------------------

def stale_outputs(repo: Path) -> dict[str, bytes]:
    """Generated files of the working tree that differ from a fresh render: path → bytes.
    The overrides decisions.json keeps (changes made without a vote) are carried over."""
    from govbot.git.repo import read_worktree

    tree = read_worktree(repo)
    export = repo / "decisions.json"
    published = read_published(export.read_bytes() if export.is_file() else None)
    fresh = render_outputs(tree.records, config_or_none(tree.config_text), repo,
                           published.overrides)
    out = {}
    for name, data in fresh.items():
        path = repo / name
        current = path.read_bytes() if path.is_file() else None
        if current != data:
            out[name] = data
    return out


def write_files(repo: Path, changes: Mapping[str, bytes | None]) -> None:
    """Write (or delete, for None) files relative to `repo`."""
    for name, data in changes.items():
        path = repo / name
        if data is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


# --- govbot publish --local --------------------------------------------------------------

def _config(tip: Tip) -> Config | None:
    text = tip.files.get(CONFIG_FILE)
    return config_or_none(text.decode("utf-8")) if text is not None else None


def _local_merge(checkout: Checkout, tip: Tip, waiting: list[str], pr: int | None,
                 snapshot: Path | None, config: Config | None,
                 records: Mapping[str, Record]) -> tuple[list[Merged], list[Left]]:
    """The merged PR of a local publish, with no API to ask: from a saved snapshot (its
    votes, and only the records whose text is the one voted on), else from `--pr` (the
    records HEAD changed, stamped as an override: their votes are unknown)."""
    import json

    if snapshot is not None:
        data = json.loads(snapshot.read_text(encoding="utf-8"))
        number = pr or int((data.get("pull_request") or {}).get("number") or 0)
        ok, left = stampable([p for p in waiting if p in {
            str(f.get("filename")) for f in data.get("files") or []}],
            voted_texts(data), tip.files, number, "HEAD")
        commits = {c.sha for p in ok if (c := checkout.last_change(p, tip.sha)) is not None}
        base = base_sha(data)
        before = {p: text for f in data.get("files") or []
                  if is_record_path(p := str(f.get("filename"))) and base is not None
                  and (text := checkout.read(base, p)) is not None}
        return [merged_from(data, config, tip.files, str(snapshot), number, paths=ok,
                            commits=commits, before=before, known=records)], left
    if pr is None:
        if waiting:
            raise UsageError("proposed records are waiting for their decision and no pull "
                             "request is named; pass --pr N (and --snapshot FILE, from `govbot "
                             "snapshot`, to record the votes)")
        return [], []
    parents = checkout.git("log", "-1", "--format=%P", tip.sha).decode().split()
    listing = (checkout.git("diff", "--name-only", parents[0], tip.sha, "--", "decisions/")
               if parents else checkout.git("ls-tree", "-r", "--name-only", tip.sha, "--",
                                            "decisions/"))
    paths = frozenset(p for p in listing.decode("utf-8").splitlines() if p in waiting)
    when = checkout.git("log", "-1", "--format=%cI", tip.sha).decode().strip()
    who = checkout.git("log", "-1", "--format=%an", tip.sha).decode("utf-8").strip()
    return [Merged(pr, who or "unknown", dt.datetime.fromisoformat(when), paths,
                   FinalVote("unknown"), paths, frozenset({tip.sha}))], []


def plan_local(repo: Path, *, pr: int | None, snapshot: Path | None) -> Outcome:
    """What `govbot publish --local` commits on HEAD: the same reconciliation as in Actions,
    with the PR from a snapshot or `--pr` instead of the API."""
    checkout = Checkout(repo)
    tip = checkout.tip(checkout.head)
    config = _config(tip)
    records = tip_records(tip.files)
    waiting = proposed(records)
    merged, left = _local_merge(checkout, tip, waiting, pr, snapshot, config, records)
    published = read_published(tip.files.get("decisions.json"))
    stamped = {p for m in merged for p in m.paths}
    left += [Left(p, "no pull request named for it; it stays proposed (pass --pr N and "
                  "--snapshot FILE for the pull request that merged it)")
             for p in waiting if p not in stamped and p not in {x.path for x in left}]
    candidates = changed_decided(records, published)
    changed_by = {p: checkout.last_change(p, tip.sha) for p in [*stamped, *candidates]}
    return reconcile(tip.files, merged, left, published, changed_by, tip.sha, config, repo,
                     records)


def publish_local(repo: Path, *, pr: int | None, snapshot: Path | None) -> Result:
    """`govbot publish --local`: the reconciliation on HEAD of a local checkout, committed
    with git. Without a snapshot there are no votes to record, so a stamped record says so
    with `override: {outcome: unknown}` — visibly unverified, never silently accepted.
    Returns the new commit (None: nothing changed) and the records left proposed."""
    outcome = plan_local(repo, pr=pr, snapshot=snapshot)
    changes = dict(outcome.changes)
    if not changes:
        return Result(None, outcome.left)
    checkout = Checkout(repo)
    dirty = checkout.git("status", "--porcelain", "--", *changes).strip()
    if dirty:
        raise UsageError("uncommitted changes in files govbot must write: "
                         f"{dirty.decode('utf-8', 'replace')}; commit or discard them first")
    write_files(repo, changes)
    checkout.git("add", "-A", "--", *changes)
    checkout.git("commit", "-q", "-m", commit_message(outcome.merged, outcome.unvoted), "--",
                 *changes)
    return Result(checkout.git("rev-parse", "HEAD").decode().strip(), outcome.left)
