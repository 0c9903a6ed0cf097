"""`govbot publish` on GitHub (DESIGN §7): read the tip and the merged PRs through the API,
let `publish.reconcile` compute the changes, commit them in one commit through the Git Data
API. The local checkout (git) path is `git.publish`.

Every run starts from the *current* tip. A moved ref (a non-fast-forward) re-reads the tip
and redoes everything, a bounded number of times.

A merged PR whose file listing GitHub cut short (over 3,000 files) is not stamped: govbot
cannot tell which records it proposed, so none of them is accepted. Everything else is still
published, and then `NotStamped` (exit 1) names the PR and how to record its decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from govbot.github.payloads import NonFastForward, TooManyFiles
from govbot.model.config import CONFIG_FILE, Config, config_or_none
from govbot.model.errors import EXIT_FINDINGS, GitHubError, GovbotError
from govbot.model.vocab import GENERATED_FILES
from govbot.model.yamlio import decode
from govbot.publish.reconcile import Merged, changes_for, commit_message, merged_from

MAX_ATTEMPTS = 3
_LIMIT = 16 * 1024 * 1024


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


def merged_pr(client: Client, number: int, now: dt.datetime, tip_config: Config | None,
              files: Mapping[str, bytes]) -> Merged:
    """Snapshot the merged PR and judge it once more, as it stood at the merge, under the
    rules it was judged by (governance.yml at the PR's base commit)."""
    patterns = tip_config.protected_patterns() if tip_config else []
    data = client.snapshot(number, now=now, protected=patterns)
    base = ((data.get("pull_request") or {}).get("base") or {}).get("sha")
    text = client.read_file(CONFIG_FILE, base) if base else None
    config = config_or_none(decode(CONFIG_FILE, text, max_bytes=_LIMIT)) if text else tip_config
    return merged_from(data, config, files, f"pull request #{number}", number)


def tip_files(client: Client, ref: str) -> dict[str, bytes]:
    """The decision records and generated files at `ref`."""
    names = [p for p in client.list_dir("decisions", ref) if p.endswith(".md")]
    out = {}
    for path in [*names, *GENERATED_FILES]:
        data = client.read_file(path, ref)
        if data is not None:
            out[path] = data
    return out


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
                 config: Config | None, files: Mapping[str, bytes]
                 ) -> tuple[list[Merged], list[TooManyFiles]]:
    """The merged PRs govbot can read whole, and the errors of those it cannot."""
    merged, skipped = [], []
    for number in numbers:
        try:
            merged.append(merged_pr(client, number, now, config, files))
        except TooManyFiles as exc:
            skipped.append(exc)
    return merged, skipped


def publish_github(client: Client, branch: str, *, numbers: Sequence[int] | None,
                   now: dt.datetime, repo: Path | None = None,
                   attempts: int = MAX_ATTEMPTS) -> str | None:
    """Publish from the current tip of `branch`; return the new commit's SHA, or None when
    nothing changed. `numbers` are the merged PRs (None: those of the tip commit).
    NotStamped, after committing the rest, when a PR was too large to read whole."""
    for _ in range(attempts):
        tip = client.branch_tip(branch)
        prs = list(numbers) if numbers is not None else client.merged_pulls_for_commit(tip)
        text = client.read_file(CONFIG_FILE, tip)
        config = config_or_none(decode(CONFIG_FILE, text, max_bytes=_LIMIT) if text else None)
        files = tip_files(client, tip)
        merged, skipped = _read_merged(client, prs, now, config, files)
        changes = changes_for(files, merged, config, repo)
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
