"""A pull request closed unmerged (DESIGN §7): record its motion on the default branch.

`github.router` reads the closed PR (its snapshot, as for any event); this module reads the
branch tip's records and generated files through the API, lets `publish.close` judge the
motion and compute the changes, and commits them once through the Git Data API — the same
path, and the same Verified commit, as publish. A moved branch is re-read and the work
redone, a bounded number of times; a re-run finds the records already there and writes
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from govbot.github.payloads import NonFastForward
from govbot.github.runtime import Run
from govbot.model.config import Config
from govbot.model.errors import GitHubError
from govbot.model.records import read_records
from govbot.model.vocab import DECISIONS_DIR, GENERATED_FILES, is_record_path
from govbot.publish.close import close_changes, close_message, closed_motion, recorded

MAX_ATTEMPTS = 3


class Tip(Protocol):
    """What recording a closed motion needs from `github.client.GitHubClient`."""

    def branch_tip(self, branch: str) -> str: ...
    def read_file(self, path: str, ref: str) -> bytes | None: ...
    def list_dir(self, path: str, ref: str) -> list[str]: ...
    def commit_files(self, branch: str, parent_sha: str,
                     files: Mapping[str, bytes | None], message: str) -> str | None: ...


def tip_files(client: Tip, ref: str) -> dict[str, bytes]:
    """The decision records and generated files at `ref`."""
    names = [p for p in client.list_dir(DECISIONS_DIR, ref) if is_record_path(p)]
    out = {}
    for path in [*names, *GENERATED_FILES]:
        data = client.read_file(path, ref)
        if data is not None:
            out[path] = data
    return out


def record_closed(run: Run, data: Mapping[str, Any], config: Config) -> str | None:
    """Record the motion of the closed PR in `data` (its snapshot) on the default branch;
    the new commit's SHA, or None when there is nothing (more) to record."""
    client = run.client
    number = int((data.get("pull_request") or {}).get("number") or 0)
    branch = str((run.event.get("repository") or {}).get("default_branch") or "main")
    for _ in range(MAX_ATTEMPTS):
        tip = client.branch_tip(branch)
        files = tip_files(client, tip)
        base, _ = read_records({p: d for p, d in files.items() if is_record_path(p)})
        if recorded(base, number):
            run.echo(f"govbot: PR #{number} closed unmerged: its motion is already recorded "
                     f"on {branch}")
            return None
        closed = closed_motion(data, config, base, f"pull request #{number}")
        if closed.skip:
            run.echo(f"govbot: PR #{number} closed unmerged; nothing to record: {closed.skip}")
            return None
        changes = close_changes(files, closed, config, run.repo_dir)
        if not run.writes:
            run.echo(f"govbot: PR #{number} closed unmerged: would record "
                     f"{', '.join(sorted(closed.records))} as {closed.status} (dry run)")
            return None
        try:
            sha = client.commit_files(branch, tip, changes, close_message(closed))
        except NonFastForward:
            continue
        run.echo(f"govbot: PR #{number} closed unmerged: recorded "
                 f"{', '.join(sorted(closed.records))} as {closed.status} in {sha}")
        return sha
    raise GitHubError(f"{branch} kept moving while govbot recorded the closed pull request "
                      f"#{number} ({MAX_ATTEMPTS} attempts); nothing was committed. Run the "
                      "govbot workflow again by hand (Actions → govbot → Run workflow) once "
                      "it settles, or reopen and close the pull request")
