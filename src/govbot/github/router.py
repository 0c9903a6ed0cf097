"""The GitHub Actions runtime: environment, event payloads, the router and its handlers.

`run()` reads the event, routes `(event, action)` to a handler, and each handler does
fetch → decide → render → write. The rules, roster and base records always come from the
local checkout of the default branch (`repo`), never from the pull request, whose files are
read through the API as data. On `pull_request` (the unprivileged job, read-only token)
nothing is written to the API. Any failure once the PR is known posts `error` on
`govbot/vote` and the run exits non-zero: govbot fails closed.

Requests per PR (DESIGN §10, issue 13): every event reads the PR as its file listing and
one GraphQL query (`GitHubClient.read_pull`), then the PR once more just before writing, to
prove the judged head is still the head (if it moved, it is judged again: extra reads only
in that race). A write is skipped when GitHub already shows it (the statuses on the head
come in the query; the comment and labels are compared). The sweep lists open PRs in one
query per 50 and judges again only those that can have changed (`botstate.settled`).

Siblings: `runtime` holds what the step reads from and writes to Actions itself (env,
payload, annotations, summary, outputs); `botstate` govbot's marker and state line and
their rules (trust, what was posted, when the sweep may leave a PR alone).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govbot.github.botstate import (
    MARKER,
    BotState,
    bot_comments,
    comment_body,
    fingerprint,
    settled,
    stamped_comment,
    trusted_state,
)
from govbot.github.runtime import (
    Env,
    Run,
    annotate,
    load_event,
    one_line,
    write_outputs,
)
from govbot.model.config import Config
from govbot.model.errors import GitHubError, GovbotError, UsageError
from govbot.model.findings import Finding
from govbot.model.vocab import utc_stamp
from govbot.vote.commands import might_hold_command

PR_ACTIONS = ("opened", "synchronize", "reopened", "edited", "ready_for_review",
              "converted_to_draft")
OUTCOME_LABELS = {"approved": "govbot/approved", "pending": "govbot/pending",
                  "blocked": "govbot/blocked", "failing": "govbot/blocked",
                  "expired": "govbot/blocked"}
MAX_REBUILDS = 3


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
    posted: Mapping[str, tuple[str, str]]  # on the head now: {context: (state, fingerprint)}
    next_at: str | None  # the next time the judgement can change with no event
    votes: Mapping[str, list[Any]] = field(default_factory=dict)  # for the state line
    reminder: str = ""  # a reminder comment to post (the sweep's, once per ready period)


# --- decide -----------------------------------------------------------------------------

def _times(value: Any) -> list[dt.timedelta]:
    return [value] if isinstance(value, dt.timedelta) else []


def next_change(config: Config, snap: Any, result: Any, now: dt.datetime) -> str | None:
    """The first moment after `now` when judging the PR again could give another answer
    with nothing happening on GitHub: a review period, deadline or reminder time running
    out (every rule's, from `ready_at`), the tally's decision time, a term or leave of the
    roster starting or ending. The sweep judges a PR again once this passes (None: nothing
    is due). Generous on purpose: an early wake-up costs a re-read, a late one a missed
    change."""
    moments: list[dt.datetime] = []
    bodies = config.bodies.values()
    if not snap.draft:
        for rule in (r for body in bodies for r in body.rules.values()):
            ends = [snap.ready_at + span for name in ("review_period", "deadline")
                    for span in _times(getattr(rule, name, None))]
            moments += ends
            moments += [end - span for end in ends
                        for span in _times(getattr(rule, "remind", None))]
    if getattr(result, "decides_at", None) is not None:
        moments.append(result.decides_at)
    for member in (m for body in bodies for m in body.committee):
        days = [member.start, *([member.until + dt.timedelta(days=1)] if member.until else [])]
        for leave in getattr(member, "leave", ()) or ():
            days += [d for d in (getattr(leave, "start", None), getattr(leave, "until", None))
                     if isinstance(d, dt.date)]
        moments += [dt.datetime.combine(d, dt.time(), dt.UTC) for d in days]
    future = [m for m in moments if m > now]
    return utc_stamp(min(future)) if future else None


def decide(run: Run, number: int, *, sweep: bool = False) -> Verdict:
    """Read a PR (`GitHubClient.read_pull`: its file listing and one query) and judge it
    under the base branch's rules and records (read once per run)."""
    from govbot.model.vocab import DECISIONS_PREFIX, GENERATED_FILES, path_matches
    from govbot.render.comment import reminder_body, render_comment, status_descriptions
    from govbot.vote.judge import changed_paths, judge
    from govbot.vote.remind import posted as posted_reminder
    from govbot.vote.remind import reminder
    from govbot.vote.snapshot import load_snapshot

    config = run.config()
    read = run.client.read_pull(number, now=run.now, protected=config.protected_patterns(),
                                compare=config.stale_approvals == "content")
    data = read.snapshot
    mine = bot_comments(data["comments"], MARKER, config.bot)
    state = trusted_state(mine[0] if mine else None)
    # the votes govbot counted, as it first counted them (DESIGN §5), from its trusted state
    data["recorded_votes"] = dict(state.votes) if state is not None else {}
    snap = load_snapshot(data, f"pull request #{number}")
    result = judge(snap, config, run.base_records(), run.now)  # the one judgement
    relevant = any(p.startswith(DECISIONS_PREFIX) or p in GENERATED_FILES
                   or any(path_matches(p, g) for g in config.protected_patterns())
                   for p in changed_paths(snap))
    labels = {OUTCOME_LABELS[result.outcome]} if result.outcome in OUTCOME_LABELS else set()
    posted = {context: (state, fingerprint(text))
              for context, (state, text) in read.statuses.items()}
    due = reminder(result, snap.ready_at, run.now, draft=snap.draft) if sweep else None
    reminded = not snap.draft and posted_reminder(utc_stamp(snap.ready_at), data["comments"],
                                                  config.bot)
    post = reminder_body(due) if due is not None and not reminded else ""
    return Verdict(number, snap.head_sha, snap.draft, result.outcome,
                   comment_body(render_comment(result, snap, repo_dir=run.repo_dir,
                                               reminded=reminded or bool(post))),
                   status_descriptions(result), frozenset(labels), list(data["comments"]),
                   tuple(result.findings), relevant, data["ready_at"], state, bool(mine),
                   posted, next_change(config, snap, result, run.now), result.recorded, post)


def judge_head(run: Run, number: int, *, sweep: bool = False
               ) -> tuple[Verdict, dict[str, Any] | None]:
    """Decide, then (when this run writes) re-read the PR once to prove the judged head is
    still the head; if it moved (or the PR was (un)drafted), judge it again.
    Returns the verdict and the fresh PR (None when nothing will be written)."""
    for _ in range(MAX_REBUILDS):
        verdict = decide(run, number, sweep=sweep)
        if not run.writes or (sweep and not verdict.relevant):
            return verdict, None
        fresh = run.client.pull(number)
        if fresh["head"]["sha"] == verdict.head and bool(fresh.get("draft")) == verdict.draft:
            return verdict, fresh
    raise GitHubError(f"the head of pull request #{number} kept moving while govbot judged "
                      "it; the next push or the scheduled sweep will judge it again")


# --- write ------------------------------------------------------------------------------

def write(run: Run, verdict: Verdict, fresh: Mapping[str, Any] | None) -> None:
    """Bring the PR's statuses, labels and comment up to date, in that order, writing only
    what changed: the comment goes last because it records what was written, so a failure
    in between makes the next run write again rather than skip."""

    config = run.config()
    if not run.writes or fresh is None:
        run.echo(f"govbot: PR #{verdict.number}: {verdict.outcome} (nothing written: "
                 f"{'dry run' if run.dry_run else run.env.event_name + ' is read-only'})")
        return
    # what is really on the head (read in the same query), not what govbot's state says
    posted = run.client.post_statuses(verdict.head, verdict.statuses, run.env.run_url,
                                      verdict.posted)
    if config.labels:
        current = {str(label.get("name")) for label in fresh.get("labels") or []}
        run.client.set_labels(verdict.number, set(verdict.labels), current)
    if verdict.reminder:  # before the comment, which then says members were reminded
        run.client.post_comment(verdict.number, verdict.reminder)
        run.echo(f"govbot: PR #{verdict.number}: reminded the members who have not voted")
    body = stamped_comment(verdict.comment, verdict.head, verdict.statuses, verdict.ready_at,
                           run.clock(), verdict.state, verdict.comments, verdict.votes,
                           next_at=verdict.next_at, base=run.base_digest())
    done = run.client.upsert_comment(verdict.number, body, marker=MARKER,
                                     bot_login=config.bot, comments=verdict.comments)
    run.echo(f"govbot: PR #{verdict.number}: {verdict.outcome}; comment {done}; statuses "
             f"{sum(posted.values())} posted")


def fail_closed(run: Run, number: int, exc: Exception) -> GovbotError:
    """Post `error` on govbot/vote (best effort, on the head wherever it can be found: see
    `GitHubClient.post_error`) and return the error to exit with."""
    # one line: the text may come from GitHub or a PR, and a line of its own could start
    # a workflow command (`::add-mask::…`) in the Actions log
    reason = one_line(exc.diagnostics() if isinstance(exc, GovbotError) else
                      f"{type(exc).__name__}: {exc}")
    run.echo(f"govbot: PR #{number}: {reason}")
    if run.writes:
        event_pull = run.event_pull(number) or {}
        heads = [str(event_pull["head"]["sha"])] if event_pull.get("head") else []
        try:
            run.client.post_error(number, heads, "govbot/vote",
                                  f"govbot could not tally this PR: {reason}", run.env.run_url)
        except GovbotError as again:
            run.echo(f"govbot: could not post the error status either: {one_line(str(again))}")
        try:  # the comment's state no longer says what is posted: make the next run look
            run.client.forget_state(number, run.bot_login())
        except GovbotError as again:
            run.echo("govbot: could not clear the state in the status comment: "
                     f"{one_line(str(again))}")
    run.outcomes[number] = "error"
    return exc if isinstance(exc, GovbotError) else GitHubError(reason)


def update(run: Run, number: int, *, sweep: bool = False) -> None:
    """Judge one PR and write the result; fail closed on any error."""
    try:
        verdict, fresh = judge_head(run, number, sweep=sweep)
        run.outcomes[number] = verdict.outcome
        if sweep and not verdict.relevant:
            return
        annotate(run, verdict.findings, verdict.comment)
        write(run, verdict, fresh)
    except Exception as exc:
        raise fail_closed(run, number, exc) from exc


# --- handlers (fetch → decide → render → write) -------------------------------------------

def on_pull_request(run: Run) -> None:
    """A PR was opened, pushed to, edited or (un)drafted: judge the event's copy of it."""
    update(run, int(run.event["pull_request"]["number"]))


def on_review(run: Run) -> None:
    """A review was submitted, edited or dismissed: re-tally the event's copy of the PR."""
    update(run, int(run.event["pull_request"]["number"]))


def on_comment(run: Run) -> None:
    """A PR comment changed: re-tally when it is (or was) a /govbot command."""
    issue, comment = run.event.get("issue") or {}, run.event.get("comment") or {}
    if "pull_request" not in issue:
        run.echo("govbot: a comment on an issue, not a pull request: nothing to do")
        return
    login = str((comment.get("user") or {}).get("login", ""))
    if login.lower() == run.bot_login().lower():
        return  # our own status comment
    if run.action == "created" and not might_hold_command(str(comment.get("body") or "")):
        run.echo("govbot: no /govbot command in the comment: nothing to do")
        return
    update(run, int(issue["number"]))


def on_closed(run: Run) -> None:
    """A PR closed. A merge is publish's to record; a PR closed unmerged leaves the record
    of its motion on the default branch when it was put to the vote (DESIGN §7)."""
    from govbot.github.closed import record_closed

    pull = run.event.get("pull_request") or {}
    number = int(pull["number"])
    if pull.get("merged"):
        run.echo(f"govbot: PR #{number} was merged: govbot publish records its decision")
        return
    config = run.config()
    data = run.client.read_pull(number, now=run.now, protected=config.protected_patterns(),
                                compare=config.stale_approvals == "content").snapshot
    mine = bot_comments(data["comments"], MARKER, config.bot)
    state = trusted_state(mine[0] if mine else None)
    # the votes govbot counted, as it first counted them (DESIGN §5), from its trusted state
    data["recorded_votes"] = dict(state.votes) if state is not None else {}
    record_closed(run, data, config)


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
    """Sweep every open PR (review periods elapse without events) and open duty issues.
    One paged query lists the open PRs with what shows whether each changed since govbot
    last judged it (`GitHubClient.open_pulls_state`); only those that may have changed,
    or reached a time when the judgement can change, are read and judged again."""
    from govbot.github.duties import duties

    errors = []
    for item in run.client.open_pulls_state(run.bot_login()):
        if _settled(run, item):
            run.echo(f"govbot: PR #{item.number}: unchanged since govbot judged it")
            continue
        try:
            update(run, item.number, sweep=True)
        except GovbotError as exc:
            errors.append(exc)
    for duty in duties(run.config(), run.base_records(), run.now.date()):
        if run.writes:
            number = run.client.ensure_issue(duty.marker, duty.title, duty.body)
            run.echo(f"govbot: duty issue #{number}: {duty.title}")
    if errors:
        raise errors[0]


def _settled(run: Run, item: Any) -> bool:
    """Whether the sweep may leave a PR alone: govbot has no say in it (no governed file,
    nothing renamed), or nothing changed since govbot judged it (see `botstate.settled`).
    Never when the configuration does not load: then every PR is judged (and errors)."""
    from govbot.github.payloads import maybe_relevant

    try:
        patterns, base = run.config().protected_patterns(), run.base_digest()
    except GovbotError:
        return False
    if item.files is not None and not maybe_relevant(item.files, patterns):
        return True
    return settled(item.pull, item.comment, item.statuses, base, run.now)


def on_dispatch(run: Run) -> None:
    """Run by hand: input `pr` (one PR), or every open PR."""
    value = str((run.event.get("inputs") or {}).get("pr") or "").strip().lstrip("#")
    if value and not value.isdigit():
        raise UsageError(f"input pr {value!r} is not a pull request number")
    _each(run, [int(value)] if value else run.client.open_pulls(), sweep=not value)


def _each(run: Run, pulls: Iterable[int | Mapping[str, Any]], *, sweep: bool = False
          ) -> None:
    """Update each PR (a number, or a listing's copy of the PR); raise the first error
    after trying them all."""
    errors = []
    for item in pulls:
        try:
            update(run, item if isinstance(item, int) else int(item["number"]), sweep=sweep)
        except GovbotError as exc:
            errors.append(exc)
    if errors:
        raise errors[0]


Handler = Callable[[Run], None]
ROUTES: dict[tuple[str, str | None], Handler] = {
    **{(event, action): on_pull_request for event in ("pull_request", "pull_request_target")
       for action in PR_ACTIONS},
    ("pull_request_target", "closed"): on_closed,
    **{("pull_request_review", a): on_review for a in ("submitted", "edited", "dismissed")},
    **{("issue_comment", a): on_comment for a in ("created", "edited", "deleted")},
    ("workflow_run", "completed"): on_workflow_run,
    ("schedule", None): on_schedule,
    ("workflow_dispatch", None): on_dispatch,
}


def route(event: str, action: str | None) -> Handler | None:
    """The handler for an event and action, or None when govbot ignores it."""
    return ROUTES.get((event, action)) or ROUTES.get((event, None))


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
    if current.client is None:
        from govbot.github.client import GitHubClient

        current.client = GitHubClient.from_env(environment.repository, env)
    try:
        handler(current)
    finally:
        write_outputs(current)
    return current

