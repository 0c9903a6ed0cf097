"""The publish run (DESIGN §7): an edge module that wires the pure `publish` and `render` to
GitHub (through `github.GitHubClient`) and to GitHub Actions; the local checkout (git) path
is in `publish_local`, which shares the merge-time logic here (its public names are also
importable from this module).

Every run starts from the *current* tip: read the files, compute the changes with
`publish.plan_merge`, write them in one commit. On GitHub a moved ref (a non-fast-forward)
re-reads the tip and redoes everything, a bounded number of times. The final vote is
recomputed as it stood when the PR merged: reviews and comments given later are ignored.

A merged PR whose file listing GitHub cut short (over 3,000 files) is not stamped: govbot
cannot tell which records it proposed, so none of them is accepted. Everything else is still
published, and then `NotStamped` (exit 1) names the PR and how to record its decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from govbot.github.payloads import TooManyFiles
from govbot.model.config import CONFIG_FILE, Config, config_or_none
from govbot.model.errors import EXIT_FINDINGS, GitHubError, GovbotError
from govbot.model.records import Record, StampedVote
from govbot.model.yamlio import decode
from govbot.record.stamp import FinalVote, plan_merge
from govbot.render.outputs import GENERATED_FILES, render_outputs

if TYPE_CHECKING:
    from govbot.git.publish import publish_local, stale_outputs, write_files

__all__ = ["Merged", "NotStamped", "as_of", "changes_for", "commit_message", "config_or_none",
           "final_vote", "merged_pr", "not_stamped", "parse_time", "prs_from_event",
           "publish_actions", "publish_github", "publish_local", "renderer", "stale_outputs",
           "tip_files", "write_files"]
_LOCAL = ("publish_local", "stale_outputs", "write_files")

MAX_ATTEMPTS = 3
_LIMIT = 16 * 1024 * 1024


def renderer(config: Config | None, repo: Path | None) -> Callable[[Sequence[Record]],
                                                                    Mapping[str, bytes]]:
    """A `plan_merge` renderer bound to a roster and a template folder."""
    return lambda records: render_outputs(records, config, repo)


# --- the final vote ----------------------------------------------------------------------

def _utc(at: Any) -> str:
    if isinstance(at, dt.datetime):
        return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(at or "")


def final_vote(result: Any, reviews: Sequence[Mapping[str, Any]] = ()) -> FinalVote:
    """A `tally.Tally` → the outcome and the counted votes for the audit record. A review
    vote names the commit it was given on; a comment vote, the head it was counted at. Each
    vote carries the member's numeric GitHub id from the roster (when it has one), so the
    record still names them after they rename their account."""
    by_time: dict[tuple[str | int, str], str] = {}
    for r in reviews:
        user = r.get("user") or {}
        when, commit = str(r.get("submitted_at") or ""), str(r.get("commit_id") or "")
        by_time[(str(user.get("login") or "").lower(), when)] = commit
        if isinstance(user.get("id"), int):
            by_time[(user["id"], when)] = commit
    head = str(getattr(result, "head_sha", "") or "")
    votes = []
    for row in getattr(result, "votes", ()):
        if not getattr(row, "counted", False):
            continue
        at = _utc(getattr(row, "at", None))
        user_id = getattr(row, "id", None)
        commit = ((by_time.get((user_id, at)) if isinstance(user_id, int) else None)
                  or by_time.get((str(row.member).lower(), at)) or head)
        votes.append(StampedVote(str(row.member), str(row.vote), at, commit,
                                 user_id if isinstance(user_id, int) else None))
    return FinalVote(str(result.outcome), tuple(votes))


# --- GitHub -----------------------------------------------------------------------------

class Client(Protocol):
    """What publishing needs from `github.GitHubClient`."""

    def snapshot(self, number: int, *, now: dt.datetime, protected: Iterable[str] = (),
                 compare: bool = True) -> dict[str, Any]: ...
    def merged_pulls_for_commit(self, sha: str) -> list[int]: ...
    def branch_tip(self, branch: str) -> str: ...
    def read_file(self, path: str, ref: str) -> bytes | None: ...
    def list_dir(self, path: str, ref: str) -> list[str]: ...
    def commit_files(self, branch: str, parent_sha: str,
                     files: Mapping[str, bytes | None], message: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Merged:
    """A merged PR as publishing needs it: number, who merged it, when, the paths it
    changed, and the final vote."""

    number: int
    merged_by: str
    merged_at: dt.datetime
    paths: frozenset[str]
    vote: FinalVote


def parse_time(value: Any, default: dt.datetime) -> dt.datetime:
    """An ISO 8601 time from a snapshot (`…Z` allowed), else `default`."""
    if isinstance(value, str) and value:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return default


def as_of(data: Mapping[str, Any], merged_at: dt.datetime) -> dict[str, Any]:
    """The snapshot as it stood at the merge: reviews submitted and comments posted after
    `merged_at` are dropped, so a vote cast once the PR had merged can neither make an
    override look approved nor undo an approval. (A comment posted before the merge but
    edited after it stays, and the tally ignores it as edited.)"""
    def before(item: Any, key: str) -> bool:
        when = item.get(key) if isinstance(item, Mapping) else None
        return parse_time(when, merged_at) <= merged_at

    out = dict(data)
    out["reviews"] = [r for r in data.get("reviews") or [] if before(r, "submitted_at")]
    out["comments"] = [c for c in data.get("comments") or [] if before(c, "created_at")]
    return out


def merged_pr(client: Client, number: int, now: dt.datetime,
              tip_config: Config | None) -> Merged:
    """Snapshot the merged PR and recompute its final tally under the rules it was judged
    by (governance.yml at the PR's base commit)."""
    from govbot.vote.snapshot import load_snapshot
    from govbot.vote.tally import tally

    patterns = tip_config.protected_patterns() if tip_config else []
    data = client.snapshot(number, now=now, protected=patterns)
    pull = data.get("pull_request") or {}
    merged_at = parse_time(pull.get("merged_at"), now)
    data = as_of(data, merged_at)
    base = (pull.get("base") or {}).get("sha")
    text = client.read_file(CONFIG_FILE, base) if base else None
    config = config_or_none(decode(CONFIG_FILE, text, max_bytes=_LIMIT)) if text else tip_config
    paths = frozenset(str(f.get("filename")) for f in data.get("files") or [])
    merged_by = str((pull.get("merged_by") or {}).get("login") or "unknown")
    if config is None:
        vote = FinalVote("unknown")
    else:
        vote = final_vote(tally(load_snapshot(data, f"pull request #{number}"), config,
                                merged_at), data.get("reviews") or [])
    return Merged(number, merged_by, merged_at, paths, vote)


def tip_files(client: Client, ref: str) -> dict[str, bytes]:
    """The decision records and generated files at `ref`."""
    names = [p for p in client.list_dir("decisions", ref) if p.endswith(".md")]
    out = {}
    for path in [*names, *GENERATED_FILES]:
        data = client.read_file(path, ref)
        if data is not None:
            out[path] = data
    return out


def changes_for(files: Mapping[str, bytes], merged: Collection[Merged],
                config: Config | None, repo: Path | None) -> dict[str, bytes | None]:
    """All changes for the merged PRs (oldest number first), then a fresh render."""
    current: dict[str, bytes] = dict(files)
    changes: dict[str, bytes | None] = {}
    for pr in sorted(merged, key=lambda m: m.number):
        step = plan_merge(current, pr.paths, pr.vote, pr=pr.number,
                          decided=pr.merged_at.astimezone(dt.UTC).date(),
                          merged_by=pr.merged_by, render=renderer(config, repo))
        changes.update(step)
        for path, data in step.items():
            if data is None:
                current.pop(path, None)
            else:
                current[path] = data
    if not merged:
        changes = plan_merge(current, (), FinalVote("no-decision"), pr=None,
                             decided=dt.date.min, merged_by="", render=renderer(config, repo))
    return {p: d for p, d in sorted(changes.items()) if files.get(p) != d}


def commit_message(merged: Collection[Merged]) -> str:
    numbers = ", ".join(f"#{m.number}" for m in sorted(merged, key=lambda m: m.number))
    head = f"Record the decision of {numbers}" if merged else "Regenerate the published plan"
    return (f"{head}\n\nStamped and regenerated by `govbot publish`: CHANGELOG.md, PLAN.md "
            "and decisions.json.\n")


class NotStamped(GovbotError):
    """Publishing committed everything else, but left a merged PR's records unstamped."""

    exit_code = EXIT_FINDINGS


def not_stamped(skipped: Sequence[TooManyFiles], sha: str | None, branch: str) -> str:
    """What publishing did and what the secretary does about each PR it could not stamp."""
    done = f"committed {sha}" if sha else "nothing else needed publishing"
    return f"{done}, but " + "; and ".join(
        f"govbot could not list every file of pull request #{e.number} ({e.total:,} changed; "
        f"GitHub lists at most {e.limit:,}), so it did not stamp its records: they stay "
        "proposed and out of CHANGELOG.md, PLAN.md and decisions.json. To record the "
        f"decision, commit its records to {branch} directly with status: accepted, decided, "
        f"pr: {e.number}, votes and override: {{merged_by: <who merged it>, outcome: "
        "unknown}, or revert the merge and propose them in a smaller pull request"
        for e in skipped)


def _read_merged(client: Client, numbers: Sequence[int], now: dt.datetime,
                 config: Config | None) -> tuple[list[Merged], list[TooManyFiles]]:
    """The merged PRs govbot can read whole, and the errors of those it cannot."""
    merged, skipped = [], []
    for number in numbers:
        try:
            merged.append(merged_pr(client, number, now, config))
        except TooManyFiles as exc:
            skipped.append(exc)
    return merged, skipped


def publish_github(client: Client, branch: str, *, numbers: Sequence[int] | None,
                   now: dt.datetime, repo: Path | None = None,
                   attempts: int = MAX_ATTEMPTS) -> str | None:
    """Publish from the current tip of `branch`; return the new commit's SHA, or None when
    nothing changed. `numbers` are the merged PRs (None: those of the tip commit).
    NotStamped, after committing the rest, when a PR was too large to read whole."""
    from govbot.github.client import NonFastForward

    for _ in range(attempts):
        tip = client.branch_tip(branch)
        prs = list(numbers) if numbers is not None else client.merged_pulls_for_commit(tip)
        text = client.read_file(CONFIG_FILE, tip)
        config = config_or_none(decode(CONFIG_FILE, text, max_bytes=_LIMIT) if text else None)
        merged, skipped = _read_merged(client, prs, now, config)
        changes = changes_for(tip_files(client, tip), merged, config, repo)
        try:
            sha = (client.commit_files(branch, tip, changes, commit_message(merged))
                   if changes else None)
        except NonFastForward:
            continue
        if skipped:
            raise NotStamped(not_stamped(skipped, sha, branch))
        return sha
    raise GitHubError(f"{branch} kept moving while publishing ({attempts} attempts); "
                      f"nothing was committed. Re-run the govbot-publish workflow.")


# --- GitHub Actions ----------------------------------------------------------------------

_PR_IN_MESSAGE = (r"^Merge pull request #(\d+)", r"\(#(\d+)\)\s*$")


def prs_from_event(event: Mapping[str, Any]) -> list[int]:
    """The merged PRs a push event names, from its commit messages (GitHub's merge commit
    `Merge pull request #N …` and squash commit `Title (#N)` subjects)."""
    import re

    commits = list(event.get("commits") or [])
    if event.get("head_commit"):
        commits.append(event["head_commit"])
    found: set[int] = set()
    for commit in commits:
        subject = str((commit or {}).get("message") or "").split("\n", 1)[0]
        for pattern in _PR_IN_MESSAGE:
            match = re.search(pattern, subject)
            if match:
                found.add(int(match[1]))
    return sorted(found)


def publish_actions(repo: Path | None, pr: int | None,
                    env: Mapping[str, str] | None = None) -> str | None:
    """`govbot publish` in GitHub Actions: the merged PR from `--pr`, the push event's commit
    messages, or the API (`commits/{sha}/pulls`); then `publish_github` on the branch."""
    import json
    import os

    from govbot.github.client import GitHubClient
    from govbot.model.errors import UsageError

    env = os.environ if env is None else env
    repository = env.get("GITHUB_REPOSITORY")
    if not repository:
        raise UsageError("GITHUB_REPOSITORY is not set: `govbot publish` runs in GitHub "
                         "Actions; use `govbot publish --local` in a checkout")
    event: dict[str, Any] = {}
    if env.get("GITHUB_EVENT_PATH") and Path(env["GITHUB_EVENT_PATH"]).is_file():
        event = json.loads(Path(env["GITHUB_EVENT_PATH"]).read_text(encoding="utf-8"))
    branch = str((event.get("repository") or {}).get("default_branch")
                 or env.get("GITHUB_REF_NAME") or "main")
    numbers: list[int] | None = [pr] if pr is not None else (prs_from_event(event) or None)
    client = GitHubClient.from_env(repository, env)
    return publish_github(client, branch, numbers=numbers,
                          now=dt.datetime.now(dt.UTC), repo=repo)


def __getattr__(name: str) -> Any:
    """The local-checkout names, importable from here as before the split (lazily, so the
    GitHub path never imports git plumbing)."""
    if name in _LOCAL:
        from govbot.git import publish as local

        return getattr(local, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
