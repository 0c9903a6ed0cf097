"""The GitHub Actions runtime: environment, event payloads, the router and its handlers.

`run()` reads the event, routes `(event, action)` to a handler, and each handler does
fetch → decide → render → write. The rules, roster and base records always come from the
local checkout of the default branch (`repo`), never from the pull request, whose files are
read through the API as data. On `pull_request` (the unprivileged job, read-only token)
nothing is written to the API. Any failure once the PR is known posts `error` on
`govbot/vote` and the run exits non-zero: govbot fails closed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config
from .errors import ConfigError, GitHubError, GovbotError, UsageError
from .findings import Finding, format_github

PRIVILEGED = ("pull_request_target", "pull_request_review", "issue_comment", "workflow_run",
              "schedule", "workflow_dispatch")
PR_ACTIONS = ("opened", "synchronize", "reopened", "edited", "ready_for_review",
              "converted_to_draft")
COMMAND = re.compile(r"^[ \t]*/govbot\b", re.MULTILINE)
OUTCOME_LABELS = {"approved": "govbot/approved", "pending": "govbot/pending",
                  "blocked": "govbot/blocked", "failing": "govbot/blocked"}


@dataclass(frozen=True, slots=True)
class Env:
    """What Actions tells a step about its run."""

    event_name: str
    event_path: str | None
    repository: str
    api_url: str
    server_url: str
    run_id: str | None
    step_summary: str | None
    output: str | None

    @classmethod
    def from_environ(cls, env: Mapping[str, str]) -> Env:
        """Read GITHUB_* variables; UsageError naming what is missing outside Actions."""
        missing = [k for k in ("GITHUB_EVENT_NAME", "GITHUB_REPOSITORY") if not env.get(k)]
        if missing:
            raise UsageError(f"{' and '.join(missing)} not set: `govbot run` runs inside "
                             "GitHub Actions (use `govbot snapshot` and `govbot tally` "
                             "to look at a PR from a terminal)")
        return cls(env["GITHUB_EVENT_NAME"], env.get("GITHUB_EVENT_PATH"),
                   env["GITHUB_REPOSITORY"], env.get("GITHUB_API_URL") or "https://api.github.com",
                   env.get("GITHUB_SERVER_URL") or "https://github.com", env.get("GITHUB_RUN_ID"),
                   env.get("GITHUB_STEP_SUMMARY"), env.get("GITHUB_OUTPUT"))

    @property
    def run_url(self) -> str | None:
        """The link statuses point to: this run."""
        if not self.run_id:
            return None
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"


@dataclass
class Run:
    """One invocation: where things are, how to talk to GitHub, and what happened."""

    env: Env
    event: dict[str, Any]
    repo_dir: Path
    client: Any
    now: dt.datetime
    dry_run: bool = False
    echo: Callable[[str], None] = print
    outcomes: dict[int, str] = field(default_factory=dict)
    _config: Config | None = None

    @property
    def action(self) -> str | None:
        value = self.event.get("action")
        return str(value) if value is not None else None

    @property
    def writes(self) -> bool:
        return self.env.event_name in PRIVILEGED and not self.dry_run

    def config(self) -> Config:
        """governance.yml from the local checkout of the default branch (cached)."""
        if self._config is None:
            from .gitrepo import load_worktree_config

            self._config = load_worktree_config(self.repo_dir)
        return self._config


@dataclass(frozen=True, slots=True)
class Verdict:
    """What govbot decided about one PR, ready to write."""

    number: int
    head: str
    outcome: str
    comment: str
    statuses: Mapping[str, tuple[str, str]]
    labels: frozenset[str]
    current_labels: frozenset[str]
    comments: list[dict[str, Any]]
    findings: tuple[Finding, ...]
    relevant: bool


def load_event(path: str | None) -> dict[str, Any]:
    """The webhook payload Actions saved for this run ({} when there is none)."""
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the event payload {path}: {exc}") from None
    return data if isinstance(data, dict) else {}


# --- decide -----------------------------------------------------------------------------

def _protected(config: Config) -> list[str]:
    return [p for patterns in config.protected_paths.values() for p in patterns]


def decide(run: Run, number: int) -> Verdict:
    """Fetch a PR's snapshot and judge it under the base branch's rules."""
    from .comment import render_comment, status_descriptions
    from .gitrepo import read_worktree
    from .judge import changed_paths, judge
    from .snapshot import load_snapshot
    from .tally import path_matches

    config = run.config()
    data = run.client.snapshot(number, now=run.now, protected=_protected(config),
                               compare=config.stale_approvals == "content")
    snap = load_snapshot(data, f"pull request #{number}")
    base = read_worktree(run.repo_dir).records
    changed = changed_paths(snap)
    result = judge(snap, config, base, run.now)  # checks + tally, shared with `govbot tally`
    findings = result.findings
    relevant = any(p.startswith("decisions/") or any(path_matches(p, g) for g in
                                                     _protected(config)) for p in changed)
    labels = {OUTCOME_LABELS[result.outcome]} if result.outcome in OUTCOME_LABELS else set()
    current = {str(label.get("name")) for label in data["pull_request"].get("labels") or []}
    return Verdict(number, snap.head_sha, result.outcome, render_comment(result, snap,
                   repo_dir=run.repo_dir), status_descriptions(result), frozenset(labels),
                   frozenset(current), list(data["comments"]), tuple(findings), relevant)


# --- write ------------------------------------------------------------------------------

def write(run: Run, verdict: Verdict) -> None:
    """Bring the PR's comment, statuses and labels up to date; write only what changed."""
    from .comment import MARKER

    config = run.config()
    if not run.writes:
        run.echo(f"govbot: PR #{verdict.number}: {verdict.outcome} (nothing written: "
                 f"{'dry run' if run.dry_run else run.env.event_name + ' is read-only'})")
        return
    done = run.client.upsert_comment(verdict.number, verdict.comment, marker=MARKER,
                                     bot_login=config.bot, comments=verdict.comments)
    posted = run.client.set_statuses(verdict.number, verdict.head, verdict.statuses,
                                     run.env.run_url)
    if config.labels:
        run.client.set_labels(verdict.number, set(verdict.labels), set(verdict.current_labels))
    run.echo(f"govbot: PR #{verdict.number}: {verdict.outcome}; comment {done}; statuses "
             f"{sum(posted.values())} posted")


def fail_closed(run: Run, number: int, exc: Exception) -> GovbotError:
    """Post `error` on govbot/vote (best effort) and return the error to exit with."""
    reason = exc.diagnostics() if isinstance(exc, GovbotError) else \
        f"{type(exc).__name__}: {exc}"
    run.echo(f"govbot: PR #{number}: {reason}")
    if run.writes:
        try:
            run.client.set_statuses(number, None, {"govbot/vote": (
                "error", f"govbot could not tally this PR: {reason.splitlines()[0]}")},
                run.env.run_url)
        except GovbotError as again:
            run.echo(f"govbot: could not post the error status either: {again}")
    run.outcomes[number] = "error"
    return exc if isinstance(exc, GovbotError) else GitHubError(reason)


def update(run: Run, number: int, *, sweep: bool = False) -> None:
    """Judge one PR and write the result; fail closed on any error."""
    try:
        verdict = decide(run, number)
        run.outcomes[number] = verdict.outcome
        if sweep and not verdict.relevant:
            return
        annotate(run, verdict)
        write(run, verdict)
    except Exception as exc:
        raise fail_closed(run, number, exc) from exc


def annotate(run: Run, verdict: Verdict) -> None:
    """Error annotations for findings, and the report in the job summary."""
    if verdict.findings:
        run.echo(format_github(list(verdict.findings)).rstrip("\n"))
    if run.env.step_summary:
        with open(run.env.step_summary, "a", encoding="utf-8") as handle:
            handle.write(verdict.comment + "\n")


# --- handlers (fetch → decide → render → write) -------------------------------------------

def on_pull_request(run: Run) -> None:
    """A PR was opened, pushed to, edited or (un)drafted: judge it."""
    update(run, int(run.event["pull_request"]["number"]))


def on_review(run: Run) -> None:
    """A review was submitted, edited or dismissed: re-tally."""
    update(run, int(run.event["pull_request"]["number"]))


def on_comment(run: Run) -> None:
    """A PR comment changed: re-tally when it is (or was) a /govbot command."""
    issue, comment = run.event.get("issue") or {}, run.event.get("comment") or {}
    if "pull_request" not in issue:
        run.echo("govbot: a comment on an issue, not a pull request: nothing to do")
        return
    login = str((comment.get("user") or {}).get("login", ""))
    if login.lower() == run.config().bot.lower():
        return  # our own status comment
    if run.action == "created" and not COMMAND.search(str(comment.get("body") or "")):
        run.echo("govbot: no /govbot command in the comment: nothing to do")
        return
    update(run, int(issue["number"]))


def on_workflow_run(run: Run) -> None:
    """A fork's review workflow finished: find its PR by head SHA (nothing else from the
    triggering run is trusted) and re-tally."""
    sha = str((run.event.get("workflow_run") or {}).get("head_sha") or "")
    if not re.fullmatch(r"[0-9a-f]{40}", sha):
        raise UsageError("the workflow_run event has no head_sha")
    numbers = run.client.pulls_for_commit(sha)
    if not numbers:
        run.echo(f"govbot: no open pull request has head {sha[:7]}: nothing to do")
    _each(run, numbers)


def on_schedule(run: Run) -> None:
    """Sweep every open PR (review periods elapse without events) and open duty issues."""
    from .duties import duties
    from .gitrepo import read_worktree

    errors = _each(run, run.client.open_pull_numbers(), sweep=True, raise_at_end=False)
    for duty in duties(run.config(), read_worktree(run.repo_dir).records, run.now.date()):
        if run.writes:
            number = run.client.ensure_issue(duty.marker, duty.title, duty.body)
            run.echo(f"govbot: duty issue #{number}: {duty.title}")
    if errors:
        raise errors[0]


def on_dispatch(run: Run) -> None:
    """Run by hand: input `pr` (one PR), or every open PR."""
    value = str((run.event.get("inputs") or {}).get("pr") or "").strip().lstrip("#")
    if value and not value.isdigit():
        raise UsageError(f"input pr {value!r} is not a pull request number")
    _each(run, [int(value)] if value else run.client.open_pull_numbers(), sweep=not value)


def _each(run: Run, numbers: Iterable[int], *, sweep: bool = False,
          raise_at_end: bool = True) -> list[GovbotError]:
    errors = []
    for number in numbers:
        try:
            update(run, number, sweep=sweep)
        except GovbotError as exc:
            errors.append(exc)
    if errors and raise_at_end:
        raise errors[0]
    return errors


Handler = Callable[[Run], None]
ROUTES: dict[tuple[str, str | None], Handler] = {
    **{(event, action): on_pull_request for event in ("pull_request", "pull_request_target")
       for action in PR_ACTIONS},
    **{("pull_request_review", a): on_review for a in ("submitted", "edited", "dismissed")},
    **{("issue_comment", a): on_comment for a in ("created", "edited", "deleted")},
    ("workflow_run", "completed"): on_workflow_run,
    ("schedule", None): on_schedule,
    ("workflow_dispatch", None): on_dispatch,
}


def route(event: str, action: str | None) -> Handler | None:
    """The handler for an event and action, or None when govbot ignores it."""
    return ROUTES.get((event, action)) or ROUTES.get((event, None))


def write_outputs(run: Run) -> None:
    """Step outputs `outcome` and `pr` (the last PR handled)."""
    if not run.env.output or not run.outcomes:
        return
    number, outcome = list(run.outcomes.items())[-1]
    with open(run.env.output, "a", encoding="utf-8") as handle:
        handle.write(f"outcome={outcome}\npr={number}\n")


def run(env: Mapping[str, str], repo_dir: Path, *, dry_run: bool = False,
        now: dt.datetime | None = None, client: Any = None,
        echo: Callable[[str], None] = print) -> Run:
    """Handle the event Actions gave this step. Raises GovbotError on failure."""
    environment = Env.from_environ(env)
    event = load_event(environment.event_path)
    handler = route(environment.event_name, event.get("action"))
    current = Run(environment, event, repo_dir, client, now or dt.datetime.now(dt.UTC),
                  dry_run, echo)
    if handler is None:
        echo(f"govbot: ignoring {environment.event_name}"
             f"{'.' + str(event['action']) if event.get('action') else ''}")
        return current
    if not (repo_dir / "governance.yml").is_file():
        raise ConfigError(f"no governance.yml in {repo_dir}: check out the default branch "
                          "before running govbot (actions/checkout with no ref)")
    if current.client is None:
        from .github import GitHubClient

        current.client = GitHubClient.from_env(environment.repository, env)
    try:
        handler(current)
    finally:
        write_outputs(current)
    return current

