"""When a pull request closes unmerged (DESIGN §7), pure: the motion's final judgement and
the file changes that record it.

A motion that was put to the vote — at least one counted vote, or proposed by a seated
member — leaves its record on the default branch even though it was not adopted: each
record the PR proposed becomes `rejected` (the vote was `failing` or `blocked`), `expired`
(voting closed at the deadline without approval) or `withdrawn` (otherwise: the proposer
or the chair closed it), with `decided`, `pr` and `votes`, like a merged decision. A
drive-by PR from someone who is not seated, with no counted vote, writes nothing; nor does
a draft, nor a PR whose records have check findings (they could not be recorded as they
stand).

The judgement is `vote.judge`, the one judgement `govbot run` and publish make, as the PR
stood when it closed (later reviews and comments dropped). The GitHub edge
(`github.router`'s `closed` handler) reads the PR and the branch tip, calls this, and
commits what it returns through the same Git Data API path as publish. Recording is
idempotent: a record already on the tip for this PR is never written again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govbot.model.config import Config
from govbot.model.records import Record, parse_record, read_records
from govbot.model.vocab import is_record_path
from govbot.publish.reconcile import as_of, final_vote, parse_time, renderer
from govbot.record.history import read_published
from govbot.record.stamp import CLOSED_STATUSES, FinalVote, close, renumber
from govbot.vote.ballots import day
from govbot.vote.judge import changed_paths, judge
from govbot.vote.snapshot import load_snapshot, record_bytes

CLOSING = {"failing": "rejected", "blocked": "rejected", "expired": "expired"}


@dataclass(frozen=True, slots=True)
class Closed:
    """A pull request closed unmerged, judged: the records it put to the vote (path → text
    at its head), the status they close with, the final vote, and — when nothing is to be
    recorded — why."""

    number: int
    closed_at: dt.datetime
    outcome: str
    status: str
    vote: FinalVote
    records: Mapping[str, str]
    skip: str = ""


def recorded(tip: Sequence[Record], number: int) -> bool:
    """Whether the tip already holds a closed motion of pull request `number`."""
    return any(r.pr == number and r.status in CLOSED_STATUSES for r in tip)


def closing_status(outcome: str) -> str:
    """The status a motion closes with: rejected, expired or withdrawn."""
    return CLOSING.get(outcome, "withdrawn")


def _put_to_vote(data: Mapping[str, Any], config: Config, counted: bool,
                 closed: dt.date) -> bool:
    if counted:
        return True
    user = (data.get("pull_request") or {}).get("user") or {}
    login = user.get("login") if isinstance(user.get("login"), str) else None
    user_id = user.get("id") if isinstance(user.get("id"), int) else None
    return any(m.seated(closed) for body in config.bodies.values()
               if (m := body.find_member(login, user_id)) is not None)


def closed_motion(data: Mapping[str, Any], config: Config, base: Sequence[Record],
                  where: str) -> Closed:
    """Judge a pull request closed unmerged, as it stood when it closed, against `base`
    (the default branch's records), and say what is to be recorded."""
    pull = data.get("pull_request") or {}
    closed_at = parse_time(pull.get("closed_at"), parse_time(data.get("taken_at"),
                                                             dt.datetime.now(dt.UTC)))
    number = int(pull.get("number") or 0)
    then = as_of(data, closed_at)
    snapshot = load_snapshot(then, where)
    changed = changed_paths(snapshot)
    head = read_records(record_bytes(snapshot.records))[0]
    # a record that took one of the PR's ids on the branch meanwhile is no fault of the
    # motion: its record is renumbered when it is recorded (`close_changes`)
    ids = {r.id for r in head}
    result = judge(snapshot, config, [r for r in base if r.path not in changed
                                      and r.id not in ids], closed_at)
    vote = final_vote(result, then.get("reviews") or [])
    status = closing_status(result.outcome)
    proposed = {r.path: r.text for r in head if r.status == "proposed"}
    counted = any(row.counted for row in result.deciding_rows)
    skip = ""
    if not proposed:
        skip = "it proposed no record (only proposed records are put to the vote)"
    elif snapshot.draft:
        skip = "it was still a draft, so nothing was put to the vote"
    elif result.outcome == "invalid":
        skip = (f"its records have {len(result.findings)} check finding(s), so they cannot "
                "be recorded as they stand")
    elif not _put_to_vote(data, config, counted, day(closed_at)):
        skip = ("nobody voted and its author is not a seated member, so it was never put to "
                "the vote")
    return Closed(number, closed_at, result.outcome, status, vote, proposed, skip)


def close_changes(files: Mapping[str, bytes], closed: Closed, config: Config | None,
                  repo: Path | None) -> dict[str, bytes | None]:
    """The file changes that record a closed motion on the tip whose decision records and
    generated files are `files`: each proposed record closed (renumbered to the next free
    id when a record on the tip holds its id), then a fresh render. Nothing when there is
    nothing to record, or when the tip already has the records of this PR."""
    if closed.skip:
        return {}
    tip = [parse_record(p, d.decode("utf-8")) for p, d in sorted(files.items())
           if is_record_path(p)]
    done = {r.slug for r in tip if r.pr == closed.number}
    taken = {r.id for r in tip if r.id is not None}
    out: dict[str, str] = {}
    for path, text in sorted(closed.records.items()):
        record = parse_record(path, text)
        if record.slug in done or path in files:
            continue  # recorded by an earlier run, or the path is taken: never overwrite
        if record.id in taken or record.id is None:
            path, text = renumber(path, text, max(taken | {0}) + 1)
        taken.add(parse_record(path, text).id or 0)
        out[path] = close(text, path=path, status=closed.status,
                          decided=closed.closed_at.astimezone(dt.UTC).date(),
                          pr=closed.number, votes=closed.vote.votes,
                          community=closed.vote.community)
    if not out:
        return {}
    records = [*tip, *(parse_record(p, t) for p, t in out.items())]
    changes: dict[str, bytes | None] = {p: t.encode("utf-8") for p, t in out.items()}
    # the changes made without a vote that decisions.json keeps are kept with it
    overrides = read_published(files.get("decisions.json")).overrides
    for path, data in renderer(config, repo, overrides)(records).items():
        if files.get(path) != data:
            changes[path] = data
    return dict(sorted(changes.items()))


def close_message(closed: Closed) -> str:
    """The commit message of a closed motion's record."""
    ids = ", ".join(sorted(closed.records))
    return (f"Record the closed motion of #{closed.number}: {closed.status}\n\n"
            f"Pull request #{closed.number} closed without being merged (vote: "
            f"{closed.outcome}); govbot records {ids} as {closed.status}, with its votes, and "
            "regenerates CHANGELOG.md, PLAN.md and decisions.json.\n")
