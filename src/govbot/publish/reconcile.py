"""The merge-time changes, pure (DESIGN §7): a merged PR's final judgement, made with the same
`vote.judge` as `govbot run` and `govbot tally`, and the file changes that record it (stamp,
supersede, renumber, then a fresh render). The git edge (`govbot publish --local`) and the
GitHub edge (`govbot publish` in Actions) read the files and the PR, call this, and commit
what it returns.

The final vote is recomputed as it stood when the PR merged: reviews and comments given later
are ignored. A PR merged without an approved judgement (an admin override, or an `invalid`
PR) is stamped with `override`, never plain `accepted`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govbot.model.config import Config
from govbot.model.records import Record, StampedVote, read_records
from govbot.model.vocab import is_record_path, utc_stamp
from govbot.record.stamp import FinalVote, plan_merge
from govbot.render.outputs import render_outputs
from govbot.vote.judge import changed_paths, judge
from govbot.vote.snapshot import load_snapshot
from govbot.vote.tally import Tally


@dataclass(frozen=True, slots=True)
class Merged:
    """A merged PR as publishing needs it: number, who merged it, when, the paths it
    changed, and the final vote."""

    number: int
    merged_by: str
    merged_at: dt.datetime
    paths: frozenset[str]
    vote: FinalVote


def renderer(config: Config | None, repo: Path | None) -> Callable[[Sequence[Record]],
                                                                    Mapping[str, bytes]]:
    """A `plan_merge` renderer bound to a roster and a template folder."""
    return lambda records: render_outputs(records, config, repo)


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


def final_vote(result: Tally, reviews: Sequence[Mapping[str, Any]] = ()) -> FinalVote:
    """A judgement → the outcome and the audit record: every counted vote and every
    recusal, each with the member's reason (and `via`, for a vote recorded for them). A
    review vote names the commit it was given on; a comment vote, the head it was counted
    at. Each vote carries the member's numeric GitHub id from the roster (when it has one),
    so the record still names them after they rename their account."""
    by_time: dict[tuple[str | int, str], str] = {}
    for r in reviews:
        user = r.get("user") or {}
        when, commit = str(r.get("submitted_at") or ""), str(r.get("commit_id") or "")
        by_time[(str(user.get("login") or "").lower(), when)] = commit
        if isinstance(user.get("id"), int):
            by_time[(user["id"], when)] = commit
    votes = []
    for row in result.votes:
        if not (row.counted or (row.vote == "recuse" and row.member in result.recused)):
            continue
        at = utc_stamp(row.at) if row.at is not None else ""
        commit = ((by_time.get((row.id, at)) if row.id is not None else None)
                  or by_time.get((row.member.lower(), at)) or result.head_sha)
        votes.append(StampedVote(row.member, row.vote, at, commit, row.id, row.reason, row.via))
    return FinalVote(result.outcome, tuple(votes))


def judge_merged(data: Mapping[str, Any], config: Config, files: Mapping[str, bytes],
                 where: str) -> Tally:
    """The final judgement of a merged PR from its snapshot data, as it stood when it
    merged (later votes dropped): `vote.judge` — the checks and the tally — against the
    records of `files` (the branch tip) other than those the PR touches."""
    pull = data.get("pull_request") or {}
    taken = parse_time(data.get("taken_at"), dt.datetime.now(dt.UTC))
    merged_at = parse_time(pull.get("merged_at"), taken)
    snapshot = load_snapshot(as_of(data, merged_at), where)
    changed = changed_paths(snapshot)
    base, _ = read_records({p: d for p, d in files.items()
                            if is_record_path(p) and p not in changed})
    return judge(snapshot, config, base, merged_at)


def merged_from(data: Mapping[str, Any], config: Config | None, files: Mapping[str, bytes],
                where: str, number: int | None = None) -> Merged:
    """A merged PR as publishing needs it, judged once (`judge_merged`); without a
    governance.yml the outcome is `unknown` (and the records are stamped as an override)."""
    pull = data.get("pull_request") or {}
    taken = parse_time(data.get("taken_at"), dt.datetime.now(dt.UTC))
    merged_at = parse_time(pull.get("merged_at"), taken)
    if config is None:
        vote = FinalVote("unknown")
    else:
        vote = final_vote(judge_merged(data, config, files, where),
                          as_of(data, merged_at).get("reviews") or [])
    paths = frozenset(str(f.get("filename")) for f in data.get("files") or [])
    merged_by = str((pull.get("merged_by") or {}).get("login") or "unknown")
    return Merged(number or int(pull.get("number") or 0), merged_by, merged_at, paths, vote)


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
    """The publish commit's message, naming the PRs it records."""
    numbers = ", ".join(f"#{m.number}" for m in sorted(merged, key=lambda m: m.number))
    head = f"Record the decision of {numbers}" if merged else "Regenerate the published plan"
    return (f"{head}\n\nStamped and regenerated by `govbot publish`: CHANGELOG.md, PLAN.md "
            "and decisions.json.\n")
