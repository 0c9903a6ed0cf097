"""The GitHub Actions runtime: environment, event payloads, the router and its handlers.

`run()` reads the event, routes `(event, action)` to a handler, and each handler does
fetch → decide → render → write. The rules, roster and base records always come from the
local checkout of the default branch (`repo`), never from the pull request, whose files are
read through the API as data. On `pull_request` (the unprivileged job, read-only token)
nothing is written to the API. Any failure once the PR is known posts `error` on
`govbot/vote` and the run exits non-zero: govbot fails closed.

Requests per PR (issue 4's budget): events that carry the PR (`pull_request*`,
`pull_request_review`) judge the payload's copy and read the PR once, just before writing,
to prove the judged head is still the head (if it moved, the snapshot is rebuilt from the
fresh copy: extra reads only in that race); the schedule and `workflow_run` judge the
listing's copy the same way; `issue_comment` and a one-PR `workflow_dispatch` read the PR
first, so they cost one read more. Writes are skipped by comparing with govbot's
last-written state in its own comment (`comment.BotState`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .comment import BotState
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
PAYLOAD_PR = ("pull_request", "pull_request_target", "pull_request_review")
STATE_SKEW = dt.timedelta(seconds=15)  # a state line is trusted only if unedited since
READ = "read the timeline"  # ready_at unknown: ask GitHub
MAX_REBUILDS = 3


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
    started: float = field(default_factory=time.monotonic)

    @property
    def action(self) -> str | None:
        value = self.event.get("action")
        return str(value) if value is not None else None

    @property
    def writes(self) -> bool:
        return self.env.event_name in PRIVILEGED and not self.dry_run

    @property
    def trust_state(self) -> bool:
        """Whether the state in govbot's comment may skip writes (a run by hand re-checks
        everything, so a person can always force the statuses back in line)."""
        return self.env.event_name != "workflow_dispatch"

    def clock(self) -> str:
        """`now` advanced by the time this run has taken: when a write happens."""
        when = self.now + dt.timedelta(seconds=time.monotonic() - self.started)
        return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def event_pull(self, number: int) -> dict[str, Any] | None:
        """The event's copy of PR `number`, when the event carries it."""
        pull = self.event.get("pull_request")
        if self.env.event_name in PAYLOAD_PR and isinstance(pull, dict) and \
                pull.get("number") == number:
            return pull
        return None

    def config(self) -> Config:
        """governance.yml from the local checkout of the default branch (cached)."""
        if self._config is None:
            from .gitrepo import load_worktree_config

            self._config = load_worktree_config(self.repo_dir)
        return self._config


@dataclass(frozen=True, slots=True)
class Verdict:
    """What govbot decided about one PR, ready to write. `comment` is the body without
    the state line; `state` is the trusted state from govbot's comment (None: unknown) and
    `has_comment` whether govbot's comment exists at all."""

    number: int
    head: str
    draft: bool
    outcome: str
    comment: str
    statuses: Mapping[str, tuple[str, str]]
    labels: frozenset[str]
    comments: list[dict[str, Any]]
    findings: tuple[Finding, ...]
    relevant: bool
    ready_at: str | None
    state: BotState | None
    has_comment: bool


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


def _time(text: Any) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(str(text), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def trusted_state(comment: Mapping[str, Any] | None) -> BotState | None:
    """The state line of govbot's own comment (found by marker and bot author), or None
    when there is none, it does not parse, or the comment was edited after govbot wrote
    it (its `updated_at` is more than STATE_SKEW away from the state's `at`)."""
    from .comment import split_state

    if comment is None:
        return None
    state = split_state(str(comment.get("body") or ""))[1]
    if state is None:
        return None
    written, updated = _time(state.at), _time(comment.get("updated_at"))
    if written is None or updated is None or abs(updated - written) > STATE_SKEW:
        return None
    return state


def ready_from(pull: Mapping[str, Any], event_pull: Mapping[str, Any] | None,
               action: str | None, state: BotState | None, now: dt.datetime) -> str | None:
    """When the review period started (DESIGN §5), without a request when possible: None
    while the PR is a draft (no period runs); the event's time on `ready_for_review`; the
    opening on `opened` (not as a draft); else the recorded state's value, clamped to
    [created_at, now]; else READ (ask the timeline)."""
    created = _time(pull.get("created_at")) or now
    if pull.get("draft"):
        return None
    if event_pull is not None and action == "ready_for_review":
        return _stamp(min(max(_time(event_pull.get("updated_at")) or now, created), now))
    if event_pull is not None and action == "opened" and not event_pull.get("draft"):
        return _stamp(created)
    if state is not None and state.ready_at is not None:
        return _stamp(min(max(_time(state.ready_at) or created, created), now))
    return READ


def decide(run: Run, number: int, pull: Mapping[str, Any] | None = None) -> Verdict:
    """Snapshot a PR (from `pull`, a copy already at hand, else one read) and judge it under
    the base branch's rules."""
    from .comment import MARKER, render_comment, status_descriptions
    from .github import bot_comments
    from .gitrepo import read_worktree
    from .judge import changed_paths, judge
    from .snapshot import load_snapshot
    from .tally import path_matches

    config = run.config()
    pull = dict(pull) if pull is not None else run.client.pull(number)
    data = run.client.snapshot(number, now=run.now, protected=_protected(config),
                               compare=config.stale_approvals == "content", pull=pull,
                               read_ready=False)
    mine = bot_comments(data["comments"], MARKER, config.bot)
    state = trusted_state(mine[0] if mine else None)
    ready = ready_from(pull, run.event_pull(number), run.action,
                       state if run.trust_state else None, run.now)
    if ready == READ:
        ready = run.client.ready_time(number, pull)
    data["ready_at"] = ready
    snap = load_snapshot(data, f"pull request #{number}")
    base = read_worktree(run.repo_dir).records
    changed = changed_paths(snap)
    result = judge(snap, config, base, run.now)  # checks + tally, shared with `govbot tally`
    findings = result.findings
    relevant = any(p.startswith("decisions/") or any(path_matches(p, g) for g in
                                                     _protected(config)) for p in changed)
    labels = {OUTCOME_LABELS[result.outcome]} if result.outcome in OUTCOME_LABELS else set()
    return Verdict(number, snap.head_sha, snap.draft, result.outcome,
                   render_comment(result, snap, repo_dir=run.repo_dir),
                   status_descriptions(result), frozenset(labels), list(data["comments"]),
                   tuple(findings), relevant, ready, state, bool(mine))


def judge_head(run: Run, number: int, pull: Mapping[str, Any] | None = None, *,
               sweep: bool = False) -> tuple[Verdict, dict[str, Any] | None]:
    """Decide, then (when this run writes) re-read the PR once to prove the judged head is
    still the head; if it moved (or the PR was (un)drafted), judge the fresh copy again.
    Returns the verdict and the fresh PR (None when nothing will be written)."""
    for _ in range(MAX_REBUILDS):
        verdict = decide(run, number, pull)
        if not run.writes or (sweep and not verdict.relevant):
            return verdict, None
        fresh = run.client.pull(number)
        if fresh["head"]["sha"] == verdict.head and bool(fresh.get("draft")) == verdict.draft:
            return verdict, fresh
        pull = fresh
    raise GitHubError(f"the head of pull request #{number} kept moving while govbot judged "
                      "it; the next push or the scheduled sweep will judge it again")


# --- write ------------------------------------------------------------------------------

def known_statuses(run: Run, verdict: Verdict) -> dict[str, tuple[str, str]] | None:
    """What govbot last posted on the head, as far as it knows without a request: from the
    trusted state ({} when it was for another SHA: nothing of ours is there yet); {} when
    govbot has no comment yet (a first run); None (unknown: read them) otherwise, and
    always on a run by hand."""
    if not run.trust_state:
        return None
    if verdict.state is not None:
        return dict(verdict.state.statuses) if verdict.state.sha == verdict.head else {}
    return None if verdict.has_comment else {}


def write(run: Run, verdict: Verdict, fresh: Mapping[str, Any] | None) -> None:
    """Bring the PR's statuses, labels and comment up to date, in that order, writing only
    what changed: the comment goes last because it records what was written, so a failure
    in between makes the next run write again rather than skip."""
    from dataclasses import replace

    from .comment import MARKER, fingerprint, with_state

    config = run.config()
    if not run.writes or fresh is None:
        run.echo(f"govbot: PR #{verdict.number}: {verdict.outcome} (nothing written: "
                 f"{'dry run' if run.dry_run else run.env.event_name + ' is read-only'})")
        return
    posted = run.client.post_statuses(verdict.head, verdict.statuses, run.env.run_url,
                                      known_statuses(run, verdict))
    if config.labels:
        current = {str(label.get("name")) for label in fresh.get("labels") or []}
        run.client.set_labels(verdict.number, set(verdict.labels), current)
    state = BotState(verdict.head, {k: (s, fingerprint(d)) for k, (s, d) in
                                    verdict.statuses.items()}, verdict.ready_at, run.clock())
    body = with_state(verdict.comment, state)
    if verdict.state is not None:
        same = with_state(verdict.comment, replace(state, at=verdict.state.at))
        body = same if any(c.get("body") == same for c in verdict.comments) else body
    done = run.client.upsert_comment(verdict.number, body, marker=MARKER,
                                     bot_login=config.bot, comments=verdict.comments)
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
        try:  # the comment's state no longer says what is posted: make the next run look
            run.client.forget_state(number, run.config().bot)
        except GovbotError as again:
            run.echo(f"govbot: could not clear the state in the status comment: {again}")
    run.outcomes[number] = "error"
    return exc if isinstance(exc, GovbotError) else GitHubError(reason)


def update(run: Run, number: int, pull: Mapping[str, Any] | None = None, *,
           sweep: bool = False) -> None:
    """Judge one PR (from `pull` when a copy is at hand) and write the result; fail closed
    on any error."""
    try:
        verdict, fresh = judge_head(run, number, pull, sweep=sweep)
        run.outcomes[number] = verdict.outcome
        if sweep and not verdict.relevant:
            return
        annotate(run, verdict)
        write(run, verdict, fresh)
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
    """A PR was opened, pushed to, edited or (un)drafted: judge the event's copy of it."""
    number = int(run.event["pull_request"]["number"])
    update(run, number, run.event_pull(number))


def on_review(run: Run) -> None:
    """A review was submitted, edited or dismissed: re-tally the event's copy of the PR."""
    number = int(run.event["pull_request"]["number"])
    update(run, number, run.event_pull(number))


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
    pulls = run.client.pulls_with_head(sha)
    if not pulls:
        run.echo(f"govbot: no open pull request has head {sha[:7]}: nothing to do")
    _each(run, pulls)


def on_schedule(run: Run) -> None:
    """Sweep every open PR (review periods elapse without events) and open duty issues."""
    from .duties import duties
    from .gitrepo import read_worktree

    errors = _each(run, run.client.open_pulls(), sweep=True, raise_at_end=False)
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
    _each(run, [int(value)] if value else run.client.open_pulls(), sweep=not value)


def _each(run: Run, pulls: Iterable[int | Mapping[str, Any]], *, sweep: bool = False,
          raise_at_end: bool = True) -> list[GovbotError]:
    """Update each PR (a number, or a listing's copy of the PR)."""
    errors = []
    for item in pulls:
        number, pull = (item, None) if isinstance(item, int) else (int(item["number"]), item)
        try:
            update(run, number, pull, sweep=sweep)
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

