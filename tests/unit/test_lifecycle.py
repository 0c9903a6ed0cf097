"""Lifecycle rules: what a pull request may do to a record, against the base branch."""

from __future__ import annotations

import pytest

from govbot.model.records import Record
from govbot.rules.lifecycle import check_lifecycle
from recordkit import PATH, accepted, make

THREE = accepted(3, "three")
THREE_PATH = "decisions/0003-three.md"


def found(head: list[Record], base: list[Record], changed: set[str] | None = None) -> list[str]:
    """check_lifecycle's findings as strings."""
    return [str(f) for f in check_lifecycle(head, base, changed)]


@pytest.mark.parametrize("status", ["draft", "proposed"])
def test_new_record_may_start_open(status: str) -> None:
    """(new) → draft / proposed is allowed."""
    assert found([make(status=status)], []) == []


IMPORT = ("; to bring in decisions taken before govbot, run govbot import and commit its "
          "records directly to the default branch instead")


@pytest.mark.parametrize(("status", "expected"), [
    ("accepted", f"{PATH}:5: status: only govbot sets accepted, when the PR merges after an "
     f"approved vote; a new record starts as 'status: proposed' (or draft){IMPORT}"),
    ("superseded", f"{PATH}:5: status: only govbot sets superseded, when the record that "
     f"supersedes it is merged; a new record starts as 'status: proposed' (or draft){IMPORT}"),
    ("withdrawn", f"{PATH}:5: status: a new record starts as draft or proposed; to drop a "
     f"proposal, leave its file out of the pull request{IMPORT}"),
    ("retired", f"{PATH}:5: status: a new record cannot start as retired; set 'status: "
     f"proposed' (or draft){IMPORT}"),
    ("rejected", f"{PATH}:5: status: a new record cannot start as rejected; set 'status: "
     f"proposed' (or draft){IMPORT}"),
])
def test_new_record_with_another_status(status: str, expected: str) -> None:
    """A new record that is not draft or proposed says what to do."""
    assert found([make(status=status)], []) == [expected]


def test_an_imported_record_cannot_be_added_decided_in_a_pull_request() -> None:
    """`imported` does not get an accepted record past the vote: in a pull request it is a
    new record like any other (imported history goes straight to the default branch)."""
    record = make(status="accepted", decided="2026-11-22",
                  imported="{from: madr, source: docs/decisions/0003-x.md}")
    assert found([record], []) == [
        f"{PATH}:5: status: only govbot sets accepted, when the PR merges after an approved "
        f"vote; a new record starts as 'status: proposed' (or draft){IMPORT}"]


@pytest.mark.parametrize(("before", "after"), [
    ("draft", "proposed"), ("proposed", "draft"), ("draft", "withdrawn"),
    ("proposed", "withdrawn"), ("proposed", "proposed")])
def test_allowed_transitions(before: str, after: str) -> None:
    """draft ↔ proposed and draft/proposed → withdrawn are allowed, with body edits."""
    head = make(status=after, body="## Context\n\nEdited.\n")
    assert found([head], [make(status=before)]) == []


@pytest.mark.parametrize(("after", "expected"), [
    ("accepted", f"{PATH}:5: status: only govbot sets accepted, when the PR merges after an "
     "approved vote; set it back to proposed"),
    ("superseded", f"{PATH}:5: status: only govbot sets superseded, when the record that "
     "supersedes it is merged; set it back to proposed"),
    ("retired", f"{PATH}:5: status: only an accepted record can be retired; to drop a proposal, "
     "set status: withdrawn"),
    ("rejected", f"{PATH}:5: status: a pull request cannot mark a proposal rejected; to drop "
     "it, set status: withdrawn"),
])
def test_forbidden_transitions_from_proposed(after: str, expected: str) -> None:
    """proposed → accepted/superseded/retired/rejected is not something a PR may do."""
    assert found([make(status=after)], [make()]) == [expected]


def test_accepted_record_is_immutable() -> None:
    """Any byte change to an accepted record is an error on the first changed line."""
    edited = accepted(3, "three", extra="\nA late addition.\n")
    assert found([edited], [THREE]) == [
        f"{THREE_PATH}:24: record 3 is accepted and cannot be changed (decided records are "
        "immutable); restore it, and propose a new record (govbot new) that supersedes it or "
        "lists 3 under related"]


def test_unchanged_records_are_fine() -> None:
    """Records identical to the base produce nothing."""
    assert found([THREE, make()], [THREE, make()]) == []


@pytest.mark.parametrize("status", ["superseded", "retired"])
def test_other_decided_records_are_immutable(status: str) -> None:
    """Superseded and retired records are immutable too."""
    base = accepted(3, "three", status=status)
    edited = accepted(3, "three", status=status, extra="x\n")
    assert found([edited], [base])[0].startswith(
        f"{THREE_PATH}:24: record 3 is {status} and cannot be changed")


def test_closed_records_stay_closed() -> None:
    """A withdrawn record cannot be reopened or edited."""
    assert found([make()], [make(status="withdrawn")]) == [
        f"{PATH}:5: record 12 is withdrawn and closed; restore it, and propose a new record "
        "(govbot new) that lists 12 under related"]


def test_accepted_to_superseded_is_bot_only() -> None:
    """accepted → superseded is only done by govbot at merge of the superseding record."""
    text = THREE.text.replace("status: accepted", "status: superseded")
    from govbot.model.records import parse_record

    assert found([parse_record(THREE_PATH, text)], [THREE]) == [
        f"{THREE_PATH}:5: status: only govbot sets superseded, when the record that supersedes "
        "it is merged; keep status: accepted here and list 3 under supersedes in the new record"]


def retired_three() -> Record:
    """Record 3 with only its status changed to retired."""
    from govbot.model.records import parse_record

    return parse_record(THREE_PATH, THREE.text.replace("status: accepted", "status: retired"))


def test_retiring_needs_a_new_decision_in_the_same_pull_request() -> None:
    """accepted → retired is allowed only with a new policy/governance record relating to it."""
    message = (f"{THREE_PATH}:5: status: record 3 can be retired only by a new policy or "
               "governance decision in the same pull request that lists 3 under related; add "
               "one (govbot new --kind policy) and change nothing here but the status")
    assert found([retired_three()], [THREE]) == [message]
    assert found([retired_three(), make(related="[3]")], [THREE]) == []
    assert found([retired_three(), make(related="[3]", kind="review")], [THREE]) == [message]


def test_deleted_record_is_an_error() -> None:
    """A record present on the base and gone from the tree is reported at its old path."""
    assert found([], [THREE]) == [
        f"{THREE_PATH}: record 3 (accepted) was deleted; records are never removed: restore "
        "the file, and set status: withdrawn to drop a proposal, or supersede a decision with a "
        "new record"]


def test_renaming_an_accepted_record_is_an_error() -> None:
    """A rename (same id, new path) of a decided record is refused."""
    from govbot.model.records import parse_record

    moved = parse_record("decisions/0003-renamed.md", THREE.text)
    assert found([moved], [THREE]) == [
        f"decisions/0003-renamed.md:1: this renames {THREE_PATH}, which is accepted; decided "
        "records keep their file name: restore the old path"]


def test_renaming_a_proposal_is_allowed() -> None:
    """A draft or proposal may be renamed; it is then judged as an edit."""
    moved = make(path="decisions/0012-better-name.md", status="accepted")
    assert found([make(path="decisions/0012-better-name.md")], [make()]) == []
    assert found([moved], [make()]) == [
        "decisions/0012-better-name.md:5: status: only govbot sets accepted, when the PR merges "
        "after an approved vote; set it back to proposed"]


def test_changed_limits_which_records_are_judged() -> None:
    """Records outside `changed` are not compared (deletions always are)."""
    assert found([make(status="accepted")], [make()], changed=set()) == []


def test_a_pull_request_cannot_write_the_record_of_a_closed_motion() -> None:
    """govbot writes decided, pr and votes on a withdrawn record when a PR closes unmerged;
    a PR that withdraws a proposal and adds them itself is refused."""
    withdrawn = make(status="withdrawn", decided="2026-11-22", pr="7", votes="[]")
    assert found([withdrawn], [make()]) == [
        f"{PATH}:8: decided: only govbot writes this field, when the pull request merges or "
        "closes; remove it"]
    assert found([make(status="withdrawn")], [make()]) == []


@pytest.mark.parametrize("status", ["rejected", "expired"])
def test_a_recorded_closed_motion_stays_closed(status: str) -> None:
    """A motion govbot recorded as rejected or expired cannot be reopened or edited."""
    assert found([make()], [make(status=status)]) == [
        f"{PATH}:5: record 12 is {status} and closed; restore it, and propose a new record "
        "(govbot new) that lists 12 under related"]
