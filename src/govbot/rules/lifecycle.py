"""Lifecycle rules: what a pull request may do to a record, judged against the base branch
(DESIGN §2 table), and what the default branch itself may hold once publish has run (no
merged record left `proposed`, DESIGN §7). Pure: records in, findings out."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence

from govbot.model.findings import Finding
from govbot.model.records import BOT_OWNED, Record
from govbot.model.vocab import DECIDED, OPEN

CLOSED = ("withdrawn", "rejected", "expired")
BOT_ONLY = {
    "accepted": "only govbot sets accepted, when the PR merges after an approved vote",
    "superseded": "only govbot sets superseded, when the record that supersedes it is merged",
}
# Decisions taken before govbot are imported (`govbot import`) by committing them to the
# default branch (`govbot check` without --base judges them there); a pull request may only
# add open records, `imported` or not.
IMPORTING = ("; to bring in decisions taken before govbot, run govbot import and commit its "
             "records directly to the default branch instead")


def _first_difference(old: str, new: str) -> int:
    """The first line (1-based) where two texts differ."""
    for number, (a, b) in enumerate(zip(old.splitlines(), new.splitlines(), strict=False), 1):
        if a != b:
            return number
    return min(len(old.splitlines()), len(new.splitlines())) + 1


def _new_record(head: Record) -> Iterator[Finding]:
    status = head.status
    if status in OPEN or status is None:
        return
    line = head.line("status")
    if status in BOT_ONLY:
        fix = f"{BOT_ONLY[status]}; a new record starts as 'status: proposed' (or draft)"
    elif status == "withdrawn":
        fix = ("a new record starts as draft or proposed; to drop a proposal, leave its file "
               "out of the pull request")
    else:
        fix = f"a new record cannot start as {status}; set 'status: proposed' (or draft)"
    yield Finding(head.path, line, f"status: {fix}{IMPORTING}", "lifecycle")


def _retires_properly(base: Record, head: Record, records: Sequence[Record],
                      base_paths: Collection[str]) -> bool:
    same_front = {k: v for k, v in base.front.items() if k != "status"} == \
        {k: v for k, v in head.front.items() if k != "status"}
    if not same_front or base.body != head.body:
        return False
    return any(r.path not in base_paths and r.kind in ("policy", "governance")
               and r.status in OPEN and base.id in r.related for r in records)


def _decided_record(base: Record, head: Record, records: Sequence[Record],
                    base_paths: Collection[str]) -> Iterator[Finding]:
    number = base.id if base.id is not None else "?"
    if base.status == "accepted" and head.status == "retired":
        if not _retires_properly(base, head, records, base_paths):
            yield Finding(head.path, head.line("status"), f"status: record {number} can be "
                          "retired only by a new policy or governance decision in the same pull "
                          f"request that lists {number} under related; add one (govbot new "
                          "--kind policy) and change nothing here but the status", "lifecycle")
        return
    if base.status == "accepted" and head.status == "superseded":
        yield Finding(head.path, head.line("status"), f"status: {BOT_ONLY['superseded']}; "
                      f"keep status: accepted here and list {number} under supersedes in the "
                      "new record", "lifecycle")
        return
    yield Finding(head.path, _first_difference(base.text, head.text),
                  f"record {number} is {base.status} and cannot be changed (decided records "
                  "are immutable); restore it, and propose a new record (govbot new) that "
                  f"supersedes it or lists {number} under related", "lifecycle")


def _transition(base: Record, head: Record, records: Sequence[Record],
                base_paths: Collection[str]) -> Iterator[Finding]:
    if base.text == head.text:
        return
    if base.status in DECIDED:
        yield from _decided_record(base, head, records, base_paths)
        return
    number = base.id if base.id is not None else "?"
    if base.status in CLOSED:
        yield Finding(head.path, _first_difference(base.text, head.text),
                      f"record {number} is {base.status} and closed; restore it, and propose "
                      f"a new record (govbot new) that lists {number} under related",
                      "lifecycle")
        return
    status = head.status
    added = [k for k in BOT_OWNED if k in head.front and head.front[k] != base.front.get(k)]
    if added and status == "withdrawn":  # (on open records the per-file rules say so)
        yield Finding(head.path, head.line(added[0]), f"{added[0]}: only govbot writes this "
                      "field, when the pull request merges or closes; remove it", "lifecycle")
    if base.status is None or status is None or status in (*OPEN, "withdrawn"):
        return
    line = head.line("status")
    if status in BOT_ONLY:
        yield Finding(head.path, line, f"status: {BOT_ONLY[status]}; set it back to "
                      f"{base.status}", "lifecycle")
    elif status == "retired":
        yield Finding(head.path, line, "status: only an accepted record can be retired; to "
                      "drop a proposal, set status: withdrawn", "lifecycle")
    else:
        yield Finding(head.path, line, f"status: a pull request cannot mark a proposal "
                      f"{status}; to drop it, set status: withdrawn", "lifecycle")


def check_lifecycle(records: Sequence[Record], base: Sequence[Record],
                    changed: Collection[str] | None = None) -> list[Finding]:
    """Findings for every record the tree adds, edits, renames or deletes relative to `base`.

    A record is matched with its base version by path; a base record whose path is gone is
    matched by id (a rename), which only draft and proposed records may undergo."""
    base_by_path = {r.path: r for r in base}
    head_paths = {r.path for r in records}
    added_by_id = {r.id: r for r in records if r.path not in base_by_path and r.id is not None}
    findings: list[Finding] = []
    pairs: dict[str, Record] = {}
    for old in base:
        if old.path in head_paths:
            continue
        new: Record | None = added_by_id.get(old.id) if old.id is not None else None
        if new is not None and old.status in OPEN:
            pairs[new.path] = old
        elif new is not None:
            findings.append(Finding(new.path, 1, f"this renames {old.path}, which is "
                                    f"{old.status}; decided records keep their file name: "
                                    "restore the old path", "lifecycle"))
            pairs[new.path] = old
        else:
            findings.append(Finding(old.path, None, f"record {old.id} ({old.status}) was "
                                    "deleted; records are never removed: restore the file, "
                                    "and set status: withdrawn to drop a proposal, or supersede "
                                    "a decision with a new record", "lifecycle"))
    for head in records:
        if changed is not None and head.path not in changed:
            continue
        before = base_by_path.get(head.path) or pairs.get(head.path)
        if before is None:
            findings.extend(_new_record(head))
        elif before.path == head.path or before.status in OPEN:
            findings.extend(_transition(before, head, records, base_by_path))
    return findings


UNSTAMPED = ("status: proposed on the default branch: this record was merged, but its decision "
             "is not recorded yet (govbot publish stamps every merged record with its vote). "
             "Run the govbot-publish workflow (Actions → govbot-publish → Run workflow); if it "
             "ran, its log says why it left this record proposed and what to do")


def unstamped_findings(records: Sequence[Record]) -> list[Finding]:
    """For `govbot check --default-branch`: every `proposed` record is a finding, since a
    record reaches the default branch only by a merge (or a direct push), and publish then
    decides it. A run of publish still queued after a merge makes this briefly true."""
    return [Finding(r.path, r.line("status"), UNSTAMPED, "lifecycle")
            for r in records if r.status == "proposed"]
