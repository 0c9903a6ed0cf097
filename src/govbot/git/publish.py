"""`govbot publish --local` and `govbot render` (DESIGN §7): the publish run in a local
checkout, committed with git, and the generated files of a working tree. The merge-time
changes it shares with the GitHub path are `publish.reconcile`'s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from govbot.model.config import CONFIG_FILE, Config, config_or_none
from govbot.model.vocab import GENERATED_FILES
from govbot.publish.reconcile import Merged, changes_for, commit_message, merged_from
from govbot.record.stamp import FinalVote
from govbot.render.outputs import render_outputs


def stale_outputs(repo: Path) -> dict[str, bytes]:
    """Generated files of the working tree that differ from a fresh render: path → bytes."""
    from govbot.git.repo import read_worktree

    tree = read_worktree(repo)
    fresh = render_outputs(tree.records, config_or_none(tree.config_text), repo)
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



def _head_files(repo: Path) -> dict[str, bytes]:
    from govbot.git.repo import files_at_ref, git

    out: dict[str, bytes] = {p: d for p, d in files_at_ref(repo, "HEAD").items()
                             if isinstance(d, bytes)}
    for name in GENERATED_FILES:
        if git(repo, "ls-tree", "--name-only", "HEAD", "--", name).strip():
            out[name] = git(repo, "show", f"HEAD:{name}")
    return out


def _local_merge(repo: Path, pr: int | None, snapshot: Path | None,
                 config: Config | None, files: dict[str, bytes]) -> Merged | None:
    """The merged PR of a local checkout: from a snapshot when given, else from HEAD (the
    files the last commit changed; votes unknown, so the record is marked as an override)."""
    import json
    import re

    from govbot.git.repo import git

    if snapshot is not None:
        data = json.loads(snapshot.read_text(encoding="utf-8"))
        return merged_from(data, config, files, str(snapshot), pr)
    parents = git(repo, "log", "-1", "--format=%P", "HEAD").decode().split()
    listing = (git(repo, "diff", "--name-only", parents[0], "HEAD", "--", "decisions/")
               if parents else git(repo, "ls-tree", "-r", "--name-only", "HEAD", "--",
                                   "decisions/"))
    paths = frozenset(p for p in listing.decode("utf-8").splitlines() if p)
    subject = git(repo, "log", "-1", "--format=%s", "HEAD").decode("utf-8")
    found = re.search(r"#(\d+)", subject)
    found_number = pr or (int(found[1]) if found else None)
    if found_number is None:
        return None
    when = git(repo, "log", "-1", "--format=%cI", "HEAD").decode().strip()
    who = git(repo, "log", "-1", "--format=%an", "HEAD").decode("utf-8").strip()
    return Merged(found_number, who or "unknown", dt.datetime.fromisoformat(when), paths,
                  FinalVote("unknown"))


def publish_local(repo: Path, *, pr: int | None, snapshot: Path | None) -> str | None:
    """`govbot publish --local`: the same steps on HEAD of a local checkout, committed with
    git. Without a snapshot there are no votes to record, so a stamped record says so with
    `override: {outcome: unknown}` — visibly unverified, never silently accepted."""
    from govbot.git.repo import git
    from govbot.model.errors import UsageError
    from govbot.model.records import read_records

    files = _head_files(repo)
    config_text = (git(repo, "show", f"HEAD:{CONFIG_FILE}").decode("utf-8")
                   if git(repo, "ls-tree", "--name-only", "HEAD", "--", CONFIG_FILE).strip()
                   else None)
    config = config_or_none(config_text)
    merged = _local_merge(repo, pr, snapshot, config, files)
    if merged is None:
        records, _ = read_records({p: d for p, d in files.items() if p.startswith("decisions/")})
        if any(r.status == "proposed" for r in records):
            raise UsageError("HEAD does not name a pull request (no '#N' in its message) and "
                             "proposed records are waiting; pass --pr N (and --snapshot FILE "
                             "to record the votes)")
    changes = changes_for(files, [merged] if merged else [], config, repo)
    if not changes:
        return None
    dirty = git(repo, "status", "--porcelain", "--", *changes).strip()
    if dirty:
        raise UsageError("uncommitted changes in files govbot must write: "
                         f"{dirty.decode('utf-8', 'replace')}; commit or discard them first")
    write_files(repo, changes)
    git(repo, "add", "-A", "--", *changes)
    git(repo, "commit", "-q", "-m", commit_message([merged] if merged else []), "--",
        *changes)
    return git(repo, "rev-parse", "HEAD").decode().strip()
