"""Merge-time edits: stamping, superseding, renumbering and the whole plan of one merge."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govbot.model.findings import hidden_characters
from govbot.model.records import Record, StampedVote, parse_record
from govbot.record.stamp import (
    MAX_REASON,
    FinalVote,
    close,
    plan_merge,
    quoted,
    reason_text,
    renumber,
    renumber_references,
    scalar,
    stamp,
    supersede,
)

PROPOSED = """\
---
id: 12
title: Add an objective on regional convenings
kind: plan            # plan | policy | governance | review
status: proposed      # draft | proposed
created: 2026-11-20
authors: [alice]
supersedes: [3]       # optional, ids
related:
  - 5
  - 3
changes:
  - op: add-objective
    goal: G2
    objective: G2.4
    text: Convene regional gatherings.
---
## Context

Body text, kept as is: status: proposed
"""

VOTES = (StampedVote("bob", "approve", "2026-11-21T09:00:00Z", "abc123"),  # no id on the roster
         StampedVote("alice", "approve", "2026-11-20T10:00:00Z", "abc123", 101),
         StampedVote("carol", "object", "2026-11-21T08:00:00Z", "def456", 303))

STAMPED_TAIL = """\
decided: 2026-11-24
pr: 42
votes:
  - {member: alice, id: 101, vote: approve, at: '2026-11-20T10:00:00Z', commit: abc123}
  - {member: carol, id: 303, vote: object, at: '2026-11-21T08:00:00Z', commit: def456}
  - {member: bob, vote: approve, at: '2026-11-21T09:00:00Z', commit: abc123}
"""


def _expected_stamp(tail: str) -> str:
    head, _, body = PROPOSED.partition("---\n## Context")
    head = head.replace("status: proposed      #", "status: accepted      #")
    return head + tail + "---\n## Context" + body


def test_stamp_accepts_and_appends_bot_fields_byte_for_byte() -> None:
    """Stamping changes only the status value and appends decided, pr and votes."""
    out = stamp(PROPOSED, decided=dt.date(2026, 11, 24), pr=42, votes=VOTES)
    assert out == _expected_stamp(STAMPED_TAIL)


def test_stamp_records_an_override_visibly() -> None:
    """A PR merged without an approved vote gets an `override` field naming who and why."""
    out = stamp(PROPOSED, decided=dt.date(2026, 11, 24), pr=42, votes=VOTES,
                override={"outcome": "pending", "merged_by": "dana"})
    assert out == _expected_stamp(STAMPED_TAIL + "override: {merged_by: dana, outcome: pending}\n")


def test_stamp_with_no_votes_writes_an_empty_list() -> None:
    """No counted vote is written as `votes: []`, never left out."""
    out = stamp(PROPOSED, decided=dt.date(2026, 11, 24), pr=7, votes=())
    assert out == _expected_stamp("decided: 2026-11-24\npr: 7\nvotes: []\n")


def test_stamp_keeps_crlf_line_endings() -> None:
    """A record saved with Windows line endings keeps them, added lines included."""
    crlf = PROPOSED.replace("\n", "\r\n")
    out = stamp(crlf, decided=dt.date(2026, 11, 24), pr=42, votes=VOTES)
    assert out == _expected_stamp(STAMPED_TAIL).replace("\n", "\r\n")


def test_stamp_replaces_bot_fields_set_by_hand() -> None:
    """Bot-owned keys already in the file (an admin merge of a bad PR) are replaced, not
    duplicated, and the result parses."""
    tampered = PROPOSED.replace("changes:\n",
                                "pr: 1   # wrong\nvotes:\n  - {member: x}\nchanges:\n")
    out = stamp(tampered, decided=dt.date(2026, 11, 24), pr=42, votes=VOTES)
    assert out == _expected_stamp(STAMPED_TAIL)
    record = parse_record("decisions/0012-x.md", out)
    assert (record.status, record.pr, len(record.votes)) == ("accepted", 42, 3)
    assert sorted(record.votes, key=lambda v: v.member) == sorted(VOTES, key=lambda v: v.member)


def test_stamp_keeps_recusals_abstentions_reasons_and_who_recorded_them() -> None:
    """The audit record keeps every kind of vote with the member's words, quoted so that
    they read back exactly, and `via` for a vote recorded by the secretary."""
    votes = (StampedVote("carol", "recuse", "2026-11-21T08:00:00Z", "def456", 303,
                         "I sit on the vendor's board: conflict of interest, see minutes #4"),
             StampedVote("dave", "abstain", "2026-11-21T09:30:00Z", "def456", None, "",
                         "alice"),
             StampedVote("erin", "object", "2026-11-22T09:30:00Z", "def456", 7,
                         '  "Too costly"\n\n- see the budget  '))
    out = stamp(PROPOSED, decided=dt.date(2026, 11, 24), pr=42, votes=votes)
    assert out == _expected_stamp(
        "decided: 2026-11-24\npr: 42\nvotes:\n"
        "  - {member: carol, id: 303, vote: recuse, at: '2026-11-21T08:00:00Z', commit: def456, "
        'reason: "I sit on the vendor\'s board: conflict of interest, see minutes #4"}\n'
        "  - {member: dave, vote: abstain, at: '2026-11-21T09:30:00Z', commit: def456, "
        "via: alice}\n"
        "  - {member: erin, id: 7, vote: object, at: '2026-11-22T09:30:00Z', commit: def456, "
        'reason: "\\"Too costly\\"\\n\\n- see the budget"}\n')
    record = parse_record("decisions/0012-x.md", out)
    assert [(v.vote, v.reason, v.via) for v in record.votes] == [
        ("recuse", "I sit on the vendor's board: conflict of interest, see minutes #4", ""),
        ("abstain", "", "alice"), ("object", '"Too costly"\n\n- see the budget', "")]


def test_a_long_reason_is_cut_visibly() -> None:
    """A reason longer than MAX_REASON characters is kept up to the limit, ending with …"""
    assert reason_text("x" * (MAX_REASON + 5)) == "x" * (MAX_REASON - 1) + "…"
    assert reason_text(" short ") == "short"
    assert reason_text("a\ud800b") == "a\ufffdb"  # a lone surrogate cannot be written in YAML


@given(st.text(st.characters(exclude_categories=()), max_size=60))
def test_any_reason_reads_back_exactly_and_hides_nothing(reason: str) -> None:
    """Whatever a member writes (quotes, backslashes, line breaks, NEL, bidi overrides,
    zero-width characters, lone surrogates), the stamped record parses, reads back the same
    words, and its front matter holds no hidden or control character."""
    vote = StampedVote("bob", "object", "2026-11-21T09:00:00Z", "abc123", None, reason)
    out = stamp(PROPOSED, decided=dt.date(2026, 11, 24), pr=42, votes=[vote])
    record = parse_record("decisions/0012-x.md", out)
    assert [v.reason for v in record.votes] == [reason_text(reason)]
    front = out[:out.index("---\n## Context")]
    assert all(hidden_characters(line) is None for line in front.splitlines())
    assert "\n" not in quoted(reason)


def test_supersede_sets_status_and_superseded_by() -> None:
    """Superseding edits the status in place and appends `superseded_by`."""
    accepted = stamp(PROPOSED, decided=dt.date(2026, 11, 24), pr=42, votes=VOTES)
    out = supersede(accepted, 20)
    assert out == accepted.replace("status: accepted      #", "status: superseded      #") \
        .replace("\n---\n## Context", "\nsuperseded_by: 20\n---\n## Context")


def test_renumber_moves_id_and_file_name() -> None:
    """Renumbering changes the `id` line and the file-name prefix, nothing else."""
    path, text = renumber("decisions/0012-add-an-objective.md", PROPOSED, 13)
    assert path == "decisions/0013-add-an-objective.md"
    assert text == PROPOSED.replace("id: 12\n", "id: 13\n", 1)


@pytest.mark.parametrize(("mapping", "supersedes", "related"), [
    ({3: 30}, "supersedes: [30]       # optional, ids", "  - 5\n  - 30"),
    ({5: 6, 3: 4}, "supersedes: [4]       # optional, ids", "  - 6\n  - 4"),
    ({99: 100}, "supersedes: [3]       # optional, ids", "  - 5\n  - 3"),
])
def test_renumber_references_follow_in_flow_and_block_lists(
        mapping: dict[int, int], supersedes: str, related: str) -> None:
    """Ids in `supersedes` (flow list) and `related` (block list) follow a renumbering;
    the comment with a digit-free text and the body are untouched."""
    out = renumber_references(PROPOSED, mapping)
    expected = PROPOSED.replace("supersedes: [3]       # optional, ids", supersedes) \
        .replace("  - 5\n  - 3", related)
    assert out == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("alice", "alice"), ("github-actions[bot]", '"github-actions[bot]"'), ("yes", '"yes"'),
    ("123", '"123"'), ("a b", '"a b"'), (7, "7"), ("1e3", '"1e3"'), ("0o17", '"0o17"'),
    ("0010", '"0010"'), ("1_000", '"1_000"'), ("12e45", '"12e45"'),
])
def test_scalar_reads_back_as_the_same_value(value: str | int, expected: str) -> None:
    """Values written into YAML are plain when both YAML 1.2 (govbot) and YAML 1.1 readers
    read them back as the same text, and quoted otherwise."""
    assert scalar(value) == expected


# --- plan_merge --------------------------------------------------------------------------

def _record(number: int, slug: str, status: str, *, supersedes: str = "",
            related: str = "", extra: str = "") -> bytes:
    lines = [f"id: {number}", f"title: Record {slug}", "kind: policy", f"status: {status}",
             "created: 2026-01-01", "authors: [alice]"]
    if supersedes:
        lines.append(f"supersedes: [{supersedes}]")
    if related:
        lines.append(f"related: [{related}]")
    if status in ("accepted", "superseded"):
        lines += ["decided: 2026-01-02", "pr: 1", "votes: []"]
    body = "## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n"
    return ("---\n" + "\n".join(lines) + "\n" + extra + "---\n" + body).encode()


def _ids(records: Sequence[Record]) -> Mapping[str, bytes]:
    text = "".join(f"{r.id} {r.status} {r.path}\n"
                   for r in sorted(records, key=lambda r: r.path))
    return {"INDEX": text.encode()}


APPROVED = FinalVote("approved", (StampedVote("bob", "approve", "2026-11-21T09:00:00Z", "abc"),))


def _merge(files: Mapping[str, bytes], paths: set[str], vote: FinalVote = APPROVED
           ) -> dict[str, bytes | None]:
    return plan_merge(files, paths, vote, pr=42, decided=dt.date(2026, 11, 24),
                      merged_by="dana", render=_ids)


def test_merge_stamps_supersedes_and_renders() -> None:
    """One merge stamps its proposed record, supersedes what it replaces, renders outputs."""
    files = {"decisions/0001-old.md": _record(1, "old", "accepted"),
             "decisions/0002-new.md": _record(2, "new", "proposed", supersedes="1")}
    changes = _merge(files, {"decisions/0002-new.md"})
    assert sorted(changes) == ["INDEX", "decisions/0001-old.md", "decisions/0002-new.md"]
    old = parse_record("o", (changes["decisions/0001-old.md"] or b"").decode())
    new = parse_record("n", (changes["decisions/0002-new.md"] or b"").decode())
    assert (old.status, old.superseded_by) == ("superseded", 2)
    assert (new.status, new.pr, new.decided) == ("accepted", 42, dt.date(2026, 11, 24))
    assert changes["INDEX"] == (b"1 superseded decisions/0001-old.md\n"
                                b"2 accepted decisions/0002-new.md\n")


def test_merge_renumbers_a_colliding_id_and_its_references() -> None:
    """Two PRs picked id 2: the one published second moves to the next free id, and the
    references in its own records follow; the record merged first is untouched."""
    files = {"decisions/0001-base.md": _record(1, "base", "accepted"),
             "decisions/0002-first.md": _record(2, "first", "accepted"),
             "decisions/0002-second.md": _record(2, "second", "proposed", related="1"),
             "decisions/0003-companion.md": _record(3, "companion", "draft", related="2")}
    changes = _merge(files, {"decisions/0002-second.md", "decisions/0003-companion.md"})
    assert changes["decisions/0002-second.md"] is None
    moved = parse_record("m", (changes["decisions/0004-second.md"] or b"").decode())
    companion = parse_record("c", (changes["decisions/0003-companion.md"] or b"").decode())
    assert (moved.id, moved.status, moved.related) == (4, "accepted", (1,))
    assert companion.related == (4,)
    assert "decisions/0002-first.md" not in changes


def test_merge_without_approval_is_recorded_as_override() -> None:
    """A PR merged while its vote was pending is stamped with `override`, visibly."""
    files = {"decisions/0001-a.md": _record(1, "a", "proposed")}
    changes = _merge(files, {"decisions/0001-a.md"}, FinalVote("pending"))
    text = (changes["decisions/0001-a.md"] or b"").decode()
    assert "override: {merged_by: dana, outcome: pending}\n" in text
    assert parse_record("a", text).front["override"] == {"merged_by": "dana",
                                                         "outcome": "pending"}


def test_merge_rerun_changes_nothing() -> None:
    """Publishing the same merge again (records already stamped) returns no change."""
    files = {"decisions/0001-old.md": _record(1, "old", "accepted"),
             "decisions/0002-new.md": _record(2, "new", "proposed", supersedes="1")}
    first = _merge(files, {"decisions/0002-new.md"})
    after = {**files, **{p: d for p, d in first.items() if d is not None}}
    assert _merge(after, {"decisions/0002-new.md"}) == {}


def test_merge_is_independent_of_input_order() -> None:
    """Shuffling the input mapping gives the same changes, byte for byte."""
    files = {f"decisions/{n:04d}-r{n}.md": _record(n, f"r{n}", "accepted") for n in range(1, 9)}
    files["decisions/0009-new.md"] = _record(9, "new", "proposed", supersedes="3, 5")
    expected = _merge(files, {"decisions/0009-new.md"})
    items = list(files.items())
    for seed in range(5):
        random.Random(seed).shuffle(items)
        assert _merge(dict(items), {"decisions/0009-new.md"}) == expected


def test_a_record_with_a_bom_on_the_tip_does_not_break_later_merges() -> None:
    """A record committed with a byte-order mark (and superseded later) is read, and kept
    byte for byte apart from the stamp: publishing the PRs after it still works."""
    files = {"decisions/0001-old.md": b"\xef\xbb\xbf" + _record(1, "old", "accepted"),
             "decisions/0002-new.md": _record(2, "new", "proposed", supersedes="1")}
    changes = _merge(files, {"decisions/0002-new.md"})
    old = (changes["decisions/0001-old.md"] or b"").decode()
    assert old.startswith("\ufeff---\nid: 1\n")
    assert parse_record("o", old).superseded_by == 2


# --- the reconciliation: decided records changed without a vote ---------------------------

def _export(records: dict[str, bytes], overrides: list[dict[str, object]] | None = None,
            blobs: bool = True) -> bytes:
    """A decisions.json as publish last wrote it for `records`."""
    import json

    from govbot.record.history import record_to_dict

    items = [record_to_dict(parse_record(p, d.decode())) for p, d in records.items()]
    if not blobs:
        for item in items:
            del item["blob"]
    return json.dumps({"records": items, "overrides": overrides or []}).encode()


def test_changed_decided_finds_edits_deletions_and_additions() -> None:
    """Against the blobs decisions.json recorded: an edited decided record, a deleted one
    and a decided one that appeared are found; proposed, rejected and imported records,
    and records unchanged since, are not. An export without blobs finds nothing."""
    from govbot.publish.reconcile import changed_decided, tip_records
    from govbot.record.history import read_published

    before = {"decisions/0001-a.md": _record(1, "a", "accepted"),
              "decisions/0002-b.md": _record(2, "b", "accepted"),
              "decisions/0003-c.md": _record(3, "c", "accepted"),
              "decisions/0004-d.md": _record(4, "d", "proposed")}
    now = {"decisions/0001-a.md": before["decisions/0001-a.md"],
           "decisions/0002-b.md": before["decisions/0002-b.md"].replace(b"\nd\n", b"\nD\n"),
           "decisions/0004-d.md": _record(4, "d", "accepted"),
           "decisions/0005-e.md": _record(5, "e", "accepted"),
           "decisions/0006-f.md": _record(6, "f", "proposed"),
           "decisions/0007-g.md": _record(7, "g", "accepted", extra="imported: {from: x}\n"),
           "decisions/0008-h.md": _record(8, "h", "rejected")}
    records = tip_records(now)
    assert changed_decided(records, read_published(_export(before))) == {
        "decisions/0002-b.md": "edited", "decisions/0003-c.md": "deleted",
        "decisions/0004-d.md": "edited", "decisions/0005-e.md": "added"}
    assert changed_decided(records, read_published(_export(before, blobs=False))) == {}
    assert changed_decided(records, read_published(None)) == {}


def test_an_approved_pr_that_changed_a_decided_record_is_not_an_override() -> None:
    """A decided record changed by the commit of a PR this run records with an approved
    vote is voted; by any other commit (or an unapproved PR) it is an override naming the
    commit, or the tip when the history has none."""
    from govbot.publish.reconcile import Commit, Merged, unvoted_changes
    from govbot.record.history import Published, Unvoted

    at = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
    published = Published({"decisions/0001-a.md": ("accepted", "x", 1, "A"),
                           "decisions/0002-b.md": ("accepted", "y", 2, "B"),
                           "decisions/0003-c.md": ("accepted", "z", 3, "C")}, (), True)
    candidates = {"decisions/0001-a.md": "edited", "decisions/0002-b.md": "edited",
                  "decisions/0003-c.md": "deleted"}
    changed_by = {"decisions/0001-a.md": Commit("m1", "GitHub", at),
                  "decisions/0002-b.md": Commit("m2", "GitHub", at)}
    paths = frozenset({"decisions/0001-a.md", "decisions/0002-b.md"})
    merged = [Merged(7, "dana", at, frozenset(), APPROVED, paths, frozenset({"m1"})),
              Merged(8, "dana", at, frozenset(), FinalVote("pending"), paths,
                     frozenset({"m2"}))]
    found = unvoted_changes({}, published, candidates, changed_by, merged, "tip")
    assert found[0] == Unvoted("decisions/0002-b.md", 2, "B", "edited", "m2", "GitHub",
                               "2026-11-24")
    assert [(u.path, u.change, u.commit, u.by) for u in found] == [
        ("decisions/0002-b.md", "edited", "m2", "GitHub"),
        ("decisions/0003-c.md", "deleted", "tip", "")]


@pytest.mark.parametrize(("data", "message"), [
    (b"{not json", "decisions.json is not valid JSON"),
    (b"[]", "decisions.json is not govbot's export"),
    (b'{"records": [], "overrides": [{"path": "x"}]}', "decisions.json: overrides: "),
    (b'{"records": [], "overrides": [7]}', "decisions.json: overrides: 7 is not"),
])
def test_an_unreadable_export_is_refused_rather_than_its_overrides_lost(
        data: bytes, message: str) -> None:
    """Regenerating decisions.json from the records alone would drop the overrides it keeps:
    an export govbot cannot read stops the run (exit 2) with how to restore it."""
    from govbot.model.errors import ConfigError
    from govbot.record.history import read_published

    with pytest.raises(ConfigError, match=message) as info:
        read_published(data)
    assert "git checkout <last good commit> -- decisions.json" in str(info.value)
    assert info.value.exit_code == 2


def test_overrides_are_carried_and_rendered_newest_first() -> None:
    """Overrides read back from decisions.json render again in it, unchanged and in the
    order found, and in the changelog, newest first, escaped."""
    import json

    from govbot.record.history import read_published
    from govbot.render.outputs import render_outputs

    overrides = [{"path": "decisions/0001-a.md", "id": 1, "title": "A *b*", "change": "edited",
                  "commit": "c" * 40, "by": "@mallory", "date": "2026-11-01"},
                 {"path": "decisions/0002-b.md", "id": None, "title": "B", "change": "deleted",
                  "commit": "d" * 40, "by": "", "date": "2026-11-02"}]
    carried = read_published(_export({}, overrides)).overrides
    out = render_outputs([], None, None, carried)
    assert json.loads(out["decisions.json"])["overrides"] == overrides
    changelog = out["CHANGELOG.md"].decode()
    second = changelog.index("- 2026-11-02: [#? B](decisions/0002-b.md) was **deleted without "
                             f"a vote**, in commit [{'d' * 12}](../../commit/{'d' * 40})\n")
    first = changelog.index("- 2026-11-01: [#1 A \\*b\\*](decisions/0001-a.md) was **edited "
                            f"without a vote**, in commit [{'c' * 12}](../../commit/"
                            f"{'c' * 40}) by @\u2060mallory\n")
    assert "## Changed without a vote" in changelog
    assert second < first


def test_stampable_keeps_only_the_text_that_was_voted_on() -> None:
    """A record is stamped only when its text is the PR head's; otherwise it is left with
    the reason (changed after the vote, or not part of the PR)."""
    from govbot.publish.reconcile import stampable

    files = {"decisions/0001-a.md": b"same", "decisions/0002-b.md": b"edited later",
             "decisions/0003-c.md": b"elsewhere"}
    ok, left = stampable(files, {"decisions/0001-a.md": b"same", "decisions/0002-b.md": b"v"},
                         files, 9, "trunk")
    assert ok == {"decisions/0001-a.md"}
    assert [(item.path, item.message.split(",")[0].split(" so ")[0]) for item in left] == [
        ("decisions/0002-b.md", "its text on trunk is not the text pull request #9 put to the "
                                "vote (it changed after the vote"),
        ("decisions/0003-c.md", "pull request #9 did not propose this record")]


def test_finish_says_what_was_done_and_fails_on_a_record_left_proposed() -> None:
    """A clean run prints its commit (or that nothing changed); one that left a record
    proposed fails (exit 1) after saying what it did, one line per record."""
    from govbot.publish.reconcile import Left, NotStamped, Result, finish

    assert finish(Result("abc")) == "committed abc"
    assert finish(Result(None)) == "nothing to publish: already up to date"
    with pytest.raises(NotStamped) as info:
        finish(Result(None, (Left("decisions/0001-a.md", "why"), Left("decisions/0002-b.md",
                                                                       "because"))))
    assert info.value.exit_code == 1
    assert str(info.value) == ("nothing else needed publishing, but these proposed records "
                               "were not stamped:\ndecisions/0001-a.md: why\n"
                               "decisions/0002-b.md: because")


def test_several_merges_render_once_and_keep_merge_order() -> None:
    """Two PRs in one run: the one that merged first keeps the contested id, whatever their
    numbers; the outputs are rendered once, after both."""
    from govbot.publish.reconcile import Merged, changes_for

    files = {"decisions/0002-late.md": _record(2, "late", "proposed"),
             "decisions/0002-early.md": _record(2, "early", "proposed")}
    early = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    merged = [Merged(9, "dana", early, frozenset({"decisions/0002-early.md"}), APPROVED),
              Merged(4, "dana", early + dt.timedelta(days=1),
                     frozenset({"decisions/0002-late.md"}), APPROVED)]
    renders: list[int] = []

    def render(records: Sequence[Record]) -> Mapping[str, bytes]:
        renders.append(len(records))
        return {}

    import govbot.publish.reconcile as reconcile

    original = reconcile.renderer
    reconcile.renderer = lambda *args: render  # type: ignore[assignment]
    try:
        changes = changes_for(files, merged, None, None)
    finally:
        reconcile.renderer = original
    assert renders == [2]
    assert parse_record("e", (changes["decisions/0002-early.md"] or b"").decode()).pr == 9
    assert parse_record("l", (changes["decisions/0003-late.md"] or b"").decode()).pr == 4


@pytest.mark.parametrize("status", ["rejected", "expired", "withdrawn"])
def test_close_records_a_motion_byte_for_byte(status: str) -> None:
    """Closing changes only the status value and appends decided, pr and votes, exactly as
    stamping does: the minutes of a motion that was not adopted."""
    out = close(PROPOSED, status=status, decided=dt.date(2026, 11, 24), pr=42, votes=VOTES)
    assert out == _expected_stamp(STAMPED_TAIL).replace("status: accepted", f"status: {status}")
    assert parse_record("decisions/0012-x.md", out).status == status


def test_close_refuses_another_status() -> None:
    """Only rejected, expired and withdrawn close a motion; accepted is stamp()'s."""
    with pytest.raises(ValueError, match="not 'accepted'"):
        close(PROPOSED, status="accepted", decided=dt.date(2026, 11, 24), pr=42, votes=())
