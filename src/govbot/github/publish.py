"""`govbot publish` on GitHub (DESIGN §7): a reconciliation of the branch tip, committed in
one Verified commit through the Git Data API.

The records come from the checkout (`git.publish.Checkout`): one `git ls-tree` and one
`git cat-file`, whatever their number. For each proposed record the checkout's history
names the commit that last changed it along the branch, and GitHub says which merged pull
request that commit belongs to (`commits/{sha}/pulls`, kept only when the PR merged into
this branch and its merge commit is in the branch's history) — never a commit message. That
PR is read as `govbot run` reads one (`GitHubClient.read_pull`: its file listing and one
GraphQL query) and judged (`publish.reconcile`); only a record whose text on the branch is
the text its PR put to the vote is stamped. A run that records one merged PR costs 7
requests at 10 or 10,000 records: the tip, the commit's PRs, the PR's files and query, and
the commit itself (a tree, a commit, the ref); one more names who merged a PR stamped as an
override.

Every run starts from the *current* tip: when the branch moved on after the checkout (or
while publishing), it is fetched and everything is redone, a bounded number of times.

Records publish cannot stamp stay proposed and are named with the reason and the fix; the
run then fails (`reconcile.NotStamped`, exit 1) after committing everything else."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from govbot.git.publish import Checkout, fetch_credentials
from govbot.github.client import PullRead
from govbot.github.payloads import NonFastForward, TooManyFiles
from govbot.model.config import CONFIG_FILE, Config, config_or_none
from govbot.model.errors import GitHubError, UsageError
from govbot.model.records import Record
from govbot.model.vocab import is_record_path
from govbot.model.yamlio import decode
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

MAX_ATTEMPTS = 3
_LIMIT = 16 * 1024 * 1024


class Client(Protocol):
    """What publishing needs from `github.GitHubClient`."""

    def branch_tip(self, branch: str) -> str: ...
    def merged_pulls_for_commit(self, sha: str) -> list[dict[str, Any]]: ...
    def pull(self, number: int) -> dict[str, Any]: ...
    def read_pull(self, number: int, *, now: dt.datetime, protected: Iterable[str] = (),
                  compare: bool = True) -> PullRead: ...
    def read_file(self, path: str, ref: str) -> bytes | None: ...
    def commit_files(self, branch: str, parent_sha: str,
                     files: Mapping[str, bytes | None], message: str, *,
                     base_tree: str | None = None) -> str | None: ...


@dataclass
class _Candidate:
    """A merged PR that brought some of the tip's proposed records in."""

    pull: dict[str, Any]
    paths: set[str] = field(default_factory=set)
    commits: set[str] = field(default_factory=set)
    named: bool = False  # given with --pr: it may stamp any waiting record it proposed


def _merged_here(pull: Mapping[str, Any], branch: str, checkout: Checkout, tip: str) -> bool:
    """A PR merged into `branch` whose merge commit is in the branch's history: the only
    kind whose vote may decide a record there."""
    merge = pull.get("merge_commit_sha")
    return (bool(pull.get("merged_at")) and (pull.get("base") or {}).get("ref") == branch
            and isinstance(merge, str) and checkout.is_ancestor(merge, tip))


def _no_pull(path: str, commit: Commit | None, branch: str) -> Left:
    """A proposed record no merged PR brought in: a direct push (or a history too short to
    tell, which `Checkout` refuses)."""
    by = f" by {commit.by}" if commit is not None and commit.by else ""
    what = f"commit {commit.sha[:12]}{by}" if commit is not None else "a commit"
    return Left(path, f"no merged pull request brought it in: {what} put it on {branch} "
                "directly, so there is no vote to record and it stays proposed. To put it to "
                "the vote, open a pull request that changes it; to drop it, set status: "
                "withdrawn in a pull request")


def _attribute(client: Client, checkout: Checkout, tip: Tip, branch: str,
               waiting: Sequence[str], changed_by: Mapping[str, Commit | None]
               ) -> tuple[dict[int, _Candidate], dict[str, Left]]:
    """Each waiting record → the merged PR of the commit that last changed it (one request
    per distinct commit), or why there is none."""
    candidates: dict[int, _Candidate] = {}
    left: dict[str, Left] = {}
    by_commit: dict[str, list[str]] = {}
    for path in waiting:
        commit = changed_by.get(path)
        by_commit.setdefault(commit.sha if commit is not None else "", []).append(path)
    for sha, paths in sorted(by_commit.items()):
        pulls = [p for p in (client.merged_pulls_for_commit(sha) if sha else [])
                 if _merged_here(p, branch, checkout, tip.sha)]
        if not pulls:
            left.update((path, _no_pull(path, changed_by.get(path), branch)) for path in paths)
            continue
        latest = max(pulls, key=lambda p: (str(p.get("merged_at")), p["number"]))
        candidate = candidates.setdefault(int(latest["number"]), _Candidate(latest))
        candidate.paths.update(paths)
        candidate.commits.add(sha)
    return candidates, left


def _named(client: Client, checkout: Checkout, tip: Tip, branch: str, number: int
           ) -> dict[str, Any]:
    """The PR given with --pr, which must have merged into this branch."""
    pull = client.pull(number)
    if not _merged_here(pull, branch, checkout, tip.sha):
        raise UsageError(f"pull request #{number} was not merged into {branch} (or its merge "
                         f"commit is not in {branch}'s history), so its vote cannot decide a "
                         "record there; name a merged pull request, or leave --pr out")
    return pull


def _at_base(client: Client, checkout: Checkout, data: Mapping[str, Any], paths: Iterable[str]
             ) -> dict[str, bytes]:
    """Files as they were at the PR's base commit (from the checkout when it has the
    commit, else one read each): governance.yml (the rules it was judged by) and the
    records it changed (what the lifecycle rules compare with)."""
    base = base_sha(data)
    if base is None:
        return {}
    out = {}
    for path in paths:
        text = checkout.read(base, path) if checkout.has(base) else client.read_file(path, base)
        if text is not None:
            out[path] = text
    return out


def _judge(client: Client, checkout: Checkout, tip: Tip, branch: str, number: int,
           candidate: _Candidate, waiting: dict[str, Left], config: Config | None,
           now: dt.datetime, records: Mapping[str, Record]) -> tuple[Merged | None, list[Left]]:
    """Snapshot and judge one merged PR; the records it may stamp, and those it may not."""
    try:
        data = client.read_pull(number, now=now, protected=config.protected_patterns()
                                if config else ()).snapshot
    except TooManyFiles as exc:
        return None, [Left(path, _too_large(exc, branch)) for path in sorted(candidate.paths)]
    files = {str(f.get("filename")) for f in data.get("files") or []}
    if candidate.named:
        claimed = {p for p in waiting if p in files}
        candidate.paths.update(claimed)
        for path in claimed:
            del waiting[path]
    ok, left = stampable(candidate.paths, voted_texts(data), tip.files, number, branch)
    before = _at_base(client, checkout, data,
                      [CONFIG_FILE, *sorted(p for p in files if is_record_path(p))])
    text = before.pop(CONFIG_FILE, None)
    rules = config_or_none(decode(CONFIG_FILE, text, max_bytes=_LIMIT)) if text else config
    merged = merged_from(data, rules, tip.files, f"pull request #{number}", number, paths=ok,
                         commits=candidate.commits, before=before, known=records)
    if not merged.vote.approved and merged.merged_by == "unknown":
        who = (client.pull(number).get("merged_by") or {}).get("login")
        merged = dataclasses.replace(merged, merged_by=str(who or "unknown"))
    return merged, left


def _too_large(exc: TooManyFiles, branch: str) -> str:
    return (f"govbot could not list every file of pull request #{exc.number} ({exc.total:,} "
            f"changed; GitHub lists at most {exc.limit:,}), so it did not stamp its records: "
            "they stay proposed and out of CHANGELOG.md, PLAN.md and decisions.json. Revert "
            "the merge and propose them in a smaller pull request (or record the decision by "
            f"hand on {branch}, which publish then lists as a change made without a vote)")


def plan_github(client: Client, checkout: Checkout, tip: Tip, branch: str, *,
                pr: int | None, now: dt.datetime, repo: Path | None) -> Outcome:
    """The reconciliation of one tip: every proposed record matched with the merged PR that
    brought it in, judged and stamped; every decided record changed without a vote found."""
    text = tip.files.get(CONFIG_FILE)
    config = config_or_none(decode(CONFIG_FILE, text, max_bytes=_LIMIT) if text else None)
    records = tip_records(tip.files)
    waiting = proposed(records)
    published = read_published(tip.files.get("decisions.json"))
    candidates_decided = changed_decided(records, published)
    changed_by = {p: checkout.last_change(p, tip.sha) for p in [*waiting, *candidates_decided]}
    candidates, unclaimed = _attribute(client, checkout, tip, branch, waiting, changed_by)
    if pr is not None:
        candidates.setdefault(pr, _Candidate(_named(client, checkout, tip, branch, pr))
                              ).named = True
    merged, left = [], []
    for number, candidate in sorted(candidates.items()):
        found, refused = _judge(client, checkout, tip, branch, number, candidate, unclaimed,
                                config, now, records)
        merged += [found] if found is not None else []
        left += refused
    return reconcile(tip.files, merged, [*left, *unclaimed.values()], published, changed_by,
                     tip.sha, config, repo, records)


def publish_github(client: Client, checkout: Checkout, branch: str, *, pr: int | None = None,
                   now: dt.datetime, repo: Path | None = None,
                   attempts: int = MAX_ATTEMPTS) -> Result:
    """Publish from the current tip of `branch`, read from `checkout` (fetched first when
    the branch moved on since); one commit, or none when nothing changed."""
    for _ in range(attempts):
        tip_sha = client.branch_tip(branch)
        if not checkout.has(tip_sha):
            checkout.fetch(branch)
        tip = checkout.tip(tip_sha)
        outcome = plan_github(client, checkout, tip, branch, pr=pr, now=now, repo=repo)
        if not outcome.changes:
            return Result(None, outcome.left)
        try:
            sha = client.commit_files(branch, tip.sha, outcome.changes,
                                      commit_message(outcome.merged, outcome.unvoted),
                                      base_tree=tip.tree)
        except NonFastForward:
            continue
        return Result(sha, outcome.left)
    raise GitHubError(f"{branch} kept moving while publishing ({attempts} attempts); "
                      f"nothing was committed. Re-run the govbot-publish workflow.")


# --- GitHub Actions ----------------------------------------------------------------------

def publish_actions(repo: Path, pr: int | None, env: Mapping[str, str] | None = None
                    ) -> Result:
    """`govbot publish` in GitHub Actions: the default branch's checkout in `repo`, the API
    for the merged PRs and the commit. `pr` (`--pr`, a dispatch's input) adds a merged PR to
    those the history names."""
    import json
    import os

    from govbot.github.client import GitHubClient

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
    checkout = Checkout(repo, fetch_credentials(
        env.get("GITHUB_TOKEN") or env.get("GH_TOKEN"),
        env.get("GITHUB_SERVER_URL") or "https://github.com"))
    client = GitHubClient.from_env(repository, env)
    return publish_github(client, checkout, branch, pr=pr, now=dt.datetime.now(dt.UTC),
                          repo=repo)
