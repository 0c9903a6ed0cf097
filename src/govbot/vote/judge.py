"""Judge a pull request: check its records against the base branch, then tally the vote.

The one function both `govbot run` (in Actions) and `govbot tally` (offline, from a saved
snapshot) call, so a replayed snapshot gets the outcome and findings the bot posted. Pure:
a snapshot, the base branch's governance.yml and records, and a time in; a Tally out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from govbot.model.config import Config
from govbot.model.findings import Finding
from govbot.model.records import Record, read_records
from govbot.rules.checks import check_records, generated_findings, stray_findings
from govbot.rules.proposed import proposed_findings
from govbot.vote.ballots import day
from govbot.vote.snapshot import PullSnapshot, record_bytes
from govbot.vote.tally import Tally, tally


def changed_paths(snapshot: PullSnapshot) -> set[str]:
    """Every path the pull request touches, including the old path of a renamed file."""
    return {f.filename for f in snapshot.files} | {
        f.previous_filename for f in snapshot.files if f.previous_filename}


def touched(snapshot: PullSnapshot) -> list[tuple[str, str]]:
    """(path, diff status) of every file the PR changes; a renamed file's old name is
    `removed`."""
    return [(f.filename, f.status) for f in snapshot.files] + [
        (f.previous_filename, "removed") for f in snapshot.files if f.previous_filename]


UNREAD = ("this file in decisions/ is not a regular file at the head of the pull request (a "
          "symbolic link or a submodule), so govbot cannot judge it; replace it with the "
          "record file itself")


def unread_records(snapshot: PullSnapshot) -> list[Finding]:
    """A finding for each decision record the PR adds or changes whose text the snapshot
    lacks: the adapter reads only regular files, so a symbolic link (or submodule) in
    decisions/ would otherwise pass unjudged (DESIGN §9: such files are rejected)."""
    return [Finding(f.filename, None, UNREAD, "file") for f in snapshot.files
            if f.status != "removed" and f.filename not in snapshot.records
            and f.filename.startswith("decisions/") and f.filename.count("/") == 1
            and f.filename.endswith(".md")]


def judge(snapshot: PullSnapshot, config: Config, base: Sequence[Record],
          now: dt.datetime) -> Tally:
    """Where the pull request stands at `now`. Its records (unreadable ones become findings)
    replace their base versions in the tree; the per-file rules judge the files it touches,
    the repository-wide and lifecycle rules compare the tree with `base`, and touching a
    file govbot generates (CHANGELOG.md, PLAN.md, decisions.json) or adding a file under
    decisions/ that is not a record (`.MD`, a subfolder) is a finding too; any
    finding makes the outcome `invalid` (the findings are in `Tally.findings`)."""
    changed = changed_paths(snapshot)
    head, findings = read_records(record_bytes(snapshot.records))
    tree = [r for r in base if r.path not in changed] + head
    findings += check_records(tree, config=config, base=base, changed=changed, today=day(now))
    findings += generated_findings(changed) + unread_records(snapshot) + stray_findings(
        f.filename for f in snapshot.files if f.status != "removed")
    findings += proposed_findings(snapshot.config_files, touched(snapshot))
    return tally(snapshot, config, now, findings=findings, records=head)
