"""The merge-time changes, pure (DESIGN §7): publish is a reconciliation of the branch tip.

Every run looks at the whole tip, not at one event: every record a merged PR left `proposed`
is stamped (so a failed or cancelled run is repaired by the next), and every decided record
added, edited or deleted without a vote is recorded as an override naming the commit. The
git edge (`govbot publish --local`) and the GitHub edge (`govbot publish` in Actions) read
the tip from the checkout, learn from GitHub (or a saved snapshot) which merged PR brought
each record in, call this, and commit what it returns.

A merged PR is judged with the same `vote.judge` as `govbot run` and `govbot tally`, as it
stood when it merged: reviews and comments given later are ignored. A PR merged without an
approved judgement (an admin override, or an `invalid` PR) is stamped with `override`,
never plain `accepted`. A record is stamped only with the vote on its own text: when the
text on the tip is not the text at the PR's head, it stays proposed and publish says why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govbot.model.config import Config
from govbot.model.errors import EXIT_FINDINGS, GovbotError
from govbot.model.records import CommunityVoice, Record, StampedVote, read_records
from govbot.model.vocab import DECIDED, FINAL, is_record_path, utc_stamp
from govbot.record.history import Published, Unvoted, record_blob
from govbot.record.stamp import FinalVote, plan_merge
from govbot.render.outputs import render_outputs
from govbot.vote.judge import changed_paths, judge
from govbot.vote.snapshot import load_snapshot, record_bytes
from govbot.vote.tally import Tally


@dataclass(frozen=True, slots=True)
class Commit:
    """A commit on the default branch, as publish names it: sha, author, time."""

    sha: str
    by: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class Tip:
    """The branch tip publishing works from: its commit, its tree, and the files publish
    reads there (the decision records, governance.yml and the generated files)."""

    sha: str
    tree: str
    files: Mapping[str, bytes]


@dataclass(frozen=True, slots=True)
class Merged:
    """A merged PR as publishing needs it: number, who merged it, when, the final vote, the
    proposed records of the tip it stamps (`paths`), every path it changed (`files`), and
    the default-branch commits that brought its changes in (`commits`)."""

    number: int
    merged_by: str
    merged_at: dt.datetime
    paths: frozenset[str]
    vote: FinalVote
    files: frozenset[str] = frozenset()
    commits: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Left:
    """A proposed record publish did not stamp, and why, with what to do (written for the
    secretary). The run fails (exit 1) after committing everything else."""

    path: str
    message: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one publish run changes: the files to commit (None deletes), the PRs it
    records, the records it leaves proposed, and the changes without a vote it found."""

    changes: Mapping[str, bytes | None]
    merged: tuple[Merged, ...]
    left: tuple[Left, ...]
    unvoted: tuple[Unvoted, ...]


def renderer(config: Config | None, repo: Path | None, unvoted: Sequence[Unvoted] = ()
             ) -> Callable[[Sequence[Record]], Mapping[str, bytes]]:
    """A `plan_merge` renderer bound to a roster, a template folder and the overrides."""
    return lambda records: render_outputs(records, config, repo, unvoted)


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
    recused = {*result.recused, *(m for body in result.bodies for m in body.count.recused)}
    for row in result.deciding_rows:
        if not (row.counted or (row.vote == "recuse" and row.member in recused)):
            continue
        at = utc_stamp(row.at) if row.at is not None else ""
        commit = ((by_time.get((row.id, at)) if row.id is not None else None)
                  or by_time.get((row.member.lower(), at)) or result.head_sha)
        votes.append(StampedVote(row.member, row.vote, at, commit, row.id, row.reason, row.via))
    community = tuple(CommunityVoice(v.login, v.voice, utc_stamp(v.at) if v.at else "",
                                     v.reason) for v in result.community)
    return FinalVote(result.outcome, tuple(votes), community)


def merged_at_of(data: Mapping[str, Any]) -> dt.datetime:
    """When the snapshot's PR merged (else when the snapshot was taken)."""
    pull = data.get("pull_request") or {}
    taken = parse_time(data.get("taken_at"), dt.datetime.now(dt.UTC))
    return parse_time(pull.get("merged_at"), taken)


def judge_merged(data: Mapping[str, Any], config: Config, files: Mapping[str, bytes],
                 where: str, before: Mapping[str, bytes] | None = None,
                 known: Mapping[str, Record] | None = None) -> Tally:
    """The final judgement of a merged PR from its snapshot data, as it stood when it
    merged (later votes dropped): `vote.judge` — the checks and the tally — against the
    records of `files` (the branch tip; `known`: those already parsed), those the PR
    touches as they were at its base (`before`: path → bytes, absent for a record the PR
    adds)."""
    merged_at = merged_at_of(data)
    snapshot = load_snapshot(as_of(data, merged_at), where)
    changed = changed_paths(snapshot)
    known = known if known is not None else tip_records(files)
    base = [r for p, r in known.items() if p not in changed]
    earlier, _ = read_records({p: d for p, d in (before or {}).items()
                               if is_record_path(p) and p in changed})
    return judge(snapshot, config, [*base, *earlier], merged_at)


def base_sha(data: Mapping[str, Any]) -> str | None:
    """The PR's base commit, as the snapshot holds it."""
    base = ((data.get("pull_request") or {}).get("base") or {}).get("sha")
    return base if isinstance(base, str) else None


def voted_texts(data: Mapping[str, Any]) -> dict[str, bytes]:
    """The record texts the committee voted on: the PR's head, as the snapshot holds them."""
    return record_bytes(data.get("records") or {})


def merged_from(data: Mapping[str, Any], config: Config | None, files: Mapping[str, bytes],
                where: str, number: int | None = None, *,
                paths: Collection[str] | None = None, commits: Collection[str] = (),
                before: Mapping[str, bytes] | None = None,
                known: Mapping[str, Record] | None = None) -> Merged:
    """A merged PR as publishing needs it, judged once (`judge_merged`, with `before`);
    without a governance.yml the outcome is `unknown` (and the records are stamped as an
    override). `paths`: the tip's records it stamps (default: every file it changed)."""
    pull = data.get("pull_request") or {}
    merged_at = merged_at_of(data)
    if config is None:
        vote = FinalVote("unknown")
    else:
        vote = final_vote(judge_merged(data, config, files, where, before, known),
                          as_of(data, merged_at).get("reviews") or [])
    changed = frozenset(str(f.get("filename")) for f in data.get("files") or [])
    merged_by = str((pull.get("merged_by") or {}).get("login") or "unknown")
    return Merged(number or int(pull.get("number") or 0), merged_by, merged_at,
                  frozenset(changed if paths is None else paths), vote, changed,
                  frozenset(commits))


# --- what the tip holds ------------------------------------------------------------------

def tip_records(files: Mapping[str, bytes]) -> dict[str, Record]:
    """The records of the tip that parse (the others are `govbot check`'s to report)."""
    records, _ = read_records({p: d for p, d in files.items() if is_record_path(p)})
    return {r.path: r for r in records}


def proposed(records: Mapping[str, Record]) -> list[str]:
    """The paths of the tip's proposed records: each waits for its merged PR's stamp."""
    return sorted(p for p, r in records.items() if r.status == "proposed")


def changed_decided(records: Mapping[str, Record], published: Published) -> dict[str, str]:
    """Decided records whose file is not what publish last wrote: path → `added`, `edited`
    or `deleted`. Nothing when decisions.json predates blob ids (nothing to compare with).
    A record `govbot import` brought in (`imported`) is history, not a change."""
    if not published.blobs:
        return {}
    out: dict[str, str] = {}
    for path, record in records.items():
        before = published.records.get(path)
        if before is not None and before[1] == record_blob(record):
            continue
        was_decided = before is not None and before[0] in FINAL
        if was_decided or (record.status in DECIDED and "imported" not in record.front):
            out[path] = "edited" if before is not None else "added"
    for path, (status, _, _, _) in published.records.items():
        if path not in records and status in FINAL:
            out[path] = "deleted"
    return dict(sorted(out.items()))


def unvoted_changes(records: Mapping[str, Record], published: Published,
                    candidates: Mapping[str, str], changed_by: Mapping[str, Commit | None],
                    merged: Collection[Merged], tip: str) -> list[Unvoted]:
    """The decided records changed without a vote: every candidate (`changed_decided`) but
    those changed by a PR this run records with an approved vote (a retirement, decided
    with the record that retires it). Each names the commit that last changed the file on
    the branch (the tip when the history does not say)."""
    voted = {path for m in merged if m.vote.approved for path in m.files
             if (found := changed_by.get(path)) is not None and found.sha in m.commits}
    out = []
    for path, change in candidates.items():
        if path in voted:
            continue
        record = records.get(path)
        before = published.records.get(path, (None, None, None, ""))
        commit = changed_by.get(path)
        out.append(Unvoted(
            path, record.id if record is not None else before[2],
            (record.title if record is not None else before[3]) or "", change,
            commit.sha if commit is not None else tip, commit.by if commit is not None else "",
            (commit.at.astimezone(dt.UTC).date() if commit is not None
             else dt.datetime.now(dt.UTC).date()).isoformat()))
    return out


def stampable(paths: Collection[str], voted: Mapping[str, bytes], files: Mapping[str, bytes],
              number: int, branch: str) -> tuple[set[str], list[Left]]:
    """The proposed records a merged PR may stamp: those whose text on the tip is the text
    the committee voted on (its head). Any other is left proposed, saying why."""
    ok, left = set(), []
    for path in sorted(paths):
        if voted.get(path) == files.get(path):
            ok.add(path)
        elif path not in voted:
            left.append(Left(path, f"pull request #{number} did not propose this record, so "
                             "its vote cannot decide it; it stays proposed. Open a pull request "
                             "that changes it, so the committee can vote on it"))
        else:
            left.append(Left(path, f"its text on {branch} is not the text pull request "
                             f"#{number} put to the vote (it changed after the vote, or while "
                             "merging), so govbot did not stamp it: it stays proposed. Open a "
                             "pull request that changes it, so the committee votes on the text "
                             "as it is"))
    return ok, left


# --- the changes -------------------------------------------------------------------------

def changes_for(files: Mapping[str, bytes], merged: Collection[Merged],
                config: Config | None, repo: Path | None,
                unvoted: Sequence[Unvoted] = (),
                known: Mapping[str, Record] | None = None) -> dict[str, bytes | None]:
    """All changes for the merged PRs (in the order they merged), then a fresh render
    carrying every override without a vote. `known`: the tip's records, already parsed."""
    current: dict[str, bytes] = dict(files)
    changes: dict[str, bytes | None] = {}
    render = renderer(config, repo, unvoted)
    ordered = sorted(merged, key=lambda m: (m.merged_at, m.number))
    for index, pr in enumerate(ordered):
        last = index == len(ordered) - 1
        step = plan_merge(current, pr.paths, pr.vote, pr=pr.number,
                          decided=pr.merged_at.astimezone(dt.UTC).date(),
                          merged_by=pr.merged_by, render=render if last else _no_render,
                          known=known)
        changes.update(step)
        for path, data in step.items():
            if data is None:
                current.pop(path, None)
            else:
                current[path] = data
    if not merged:
        changes = plan_merge(current, (), FinalVote("no-decision"), pr=None,
                             decided=dt.date.min, merged_by="", render=render, known=known)
    return {p: d for p, d in sorted(changes.items()) if files.get(p) != d}


def _no_render(records: Sequence[Record]) -> Mapping[str, bytes]:
    """Between two merges of one run nothing is rendered: the last merge renders it all."""
    return {}


def reconcile(files: Mapping[str, bytes], merged: Sequence[Merged], left: Sequence[Left],
              published: Published, changed_by: Mapping[str, Commit | None], tip: str,
              config: Config | None, repo: Path | None,
              records: Mapping[str, Record] | None = None) -> Outcome:
    """One publish run over the tip's `files` (`records`: those already parsed): stamp what
    `merged` records, record every decided record changed without a vote (besides those
    decisions.json already keeps), render, and return only what differs from the tip."""
    records = records if records is not None else tip_records(files)
    candidates = changed_decided(records, published)
    found = unvoted_changes(records, published, candidates, changed_by, merged, tip)
    changes = changes_for(files, merged, config, repo, [*published.overrides, *found],
                          records)
    return Outcome(changes, tuple(merged), tuple(left), tuple(found))


def commit_message(merged: Collection[Merged], unvoted: Collection[Unvoted] = ()) -> str:
    """The publish commit's message, naming the PRs it records and the records changed
    without a vote it found."""
    numbers = ", ".join(f"#{m.number}" for m in sorted(merged, key=lambda m: m.number))
    head = f"Record the decision of {numbers}" if merged else "Regenerate the published plan"
    lines = [head, "", "Stamped and regenerated by `govbot publish`: CHANGELOG.md, PLAN.md "
             "and decisions.json."]
    for u in sorted(unvoted, key=lambda u: u.path):
        lines.append(f"Recorded as an override: {u.path} {u.change} without a vote in "
                     f"{u.commit[:12]}.")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Result:
    """A publish run: the commit it made (None: nothing changed) and the records it left."""

    sha: str | None
    left: tuple[Left, ...] = ()


class NotStamped(GovbotError):
    """Publishing committed everything else, but left merged records unstamped."""

    exit_code = EXIT_FINDINGS


def not_stamped(left: Sequence[Left], sha: str | None) -> str:
    """What publishing did, then each record it left proposed: why, and what to do."""
    done = f"committed {sha}" if sha else "nothing else needed publishing"
    return "\n".join([f"{done}, but these proposed records were not stamped:",
                      *(f"{item.path}: {item.message}" for item in left)])


def finish(result: Result) -> str:
    """What a publish run prints; NotStamped (exit 1) when it left a record unstamped."""
    if result.left:
        raise NotStamped(not_stamped(result.left, result.sha))
    return f"committed {result.sha}" if result.sha else "nothing to publish: already up to date"
