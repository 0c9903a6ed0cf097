"""Repository-wide rules: unique ids, references, supersede cycles, proposals against the plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from govbot.model.records import Record
from govbot.rules.checks import check_records
from govbot.rules.crossref import and_list
from recordkit import PATH, accepted, make

TODAY = dt.date(2026, 11, 24)
ADOPT = accepted(1, "adopt", kind="plan", changes=(
    "\n  - {op: add-goal, goal: G1, title: Reliable infrastructure, rationale: Because.}"
    "\n  - {op: add-objective, goal: G1, objective: G1.1, text: Publish an SLO.}"))


def found(records: list[Record], **kwargs: object) -> list[str]:
    """check_records' findings as strings."""
    return [str(f) for f in check_records(records, today=TODAY, **kwargs)]  # type: ignore[arg-type]


@pytest.mark.parametrize(("items", "expected"), [
    ([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")])
def test_and_list(items: list[str], expected: str) -> None:
    """and_list joins words for messages."""
    assert and_list(items) == expected


def test_duplicate_ids_are_reported_on_each_record() -> None:
    """Two records with one id each say which other file uses it and the next free id."""
    other = make(path="decisions/0012-other.md")
    assert found([make(), other]) == [
        "decisions/0012-other.md:2: id: 12 is also used by "
        "decisions/0012-regional-convenings.md; give this record the next free id, 13",
        f"{PATH}:2: id: 12 is also used by decisions/0012-other.md; give this record the next "
        "free id, 13",
    ]


def test_many_duplicate_ids_are_summarised() -> None:
    """When many records share an id, each message names two and counts the rest."""
    same = [make(path=f"decisions/0012-r{n}.md") for n in range(5)]
    assert found(same)[0] == ("decisions/0012-r0.md:2: id: 12 is also used by "
                              "decisions/0012-r1.md, decisions/0012-r2.md and 2 other records; "
                              "give this record the next free id, 13")


CASES = [
    ([], {"related": "[99]"}, f"{PATH}:8: related[0]: there is no record 99; check the id"),
    ([], {"supersedes": "[99]"}, f"{PATH}:8: supersedes[0]: there is no record 99; check the id"),
    ([make(path="decisions/0003-three.md", id="3", status="withdrawn")], {"supersedes": "[3]"},
     f"{PATH}:8: supersedes[0]: record 3 is withdrawn; only an accepted record can be "
     "superseded"),
]


@pytest.mark.parametrize(("others", "changes", "expected"), CASES)
def test_reference_rules(others: list[Record], changes: dict[str, str], expected: str) -> None:
    """supersedes/related must name existing records; only accepted records are superseded."""
    assert found([*others, make(**changes)]) == [expected]


def test_superseding_a_record_already_superseded() -> None:
    """Superseding a record someone else already superseded points at the newer record."""
    old = make(path="decisions/0003-three.md", id="3", status="superseded", decided="2021-01-19",
               pr="3", votes="[]", superseded_by="5", created="2021-01-04")
    newer = make(path="decisions/0005-five.md", id="5", status="accepted",
                 decided="2021-02-19", pr="4", votes="[]", supersedes="[3]",
                 created="2021-01-04")
    assert found([old, newer, make(supersedes="[3]")]) == [
        f"{PATH}:8: supersedes[0]: record 3 is already superseded by record 5; supersede that "
        "record instead"]


def test_superseded_by_must_point_back() -> None:
    """A superseded record's superseded_by names a record that lists it under supersedes."""
    old = make(path="decisions/0003-three.md", id="3", status="superseded", decided="2021-01-19",
               pr="3", votes="[]", superseded_by="5", created="2021-01-04")
    newer = make(path="decisions/0005-five.md", id="5", status="accepted",
                 decided="2021-02-19", pr="4", votes="[]", created="2021-01-04")
    gone = make(path="decisions/0003-three.md", id="3", status="superseded",
                decided="2021-01-19", pr="3", votes="[]", superseded_by="9",
                created="2021-01-04")
    assert found([old, newer]) == ["decisions/0003-three.md:11: superseded_by: record 5 does "
                                   "not list 3 under supersedes"]
    assert found([gone]) == ["decisions/0003-three.md:11: superseded_by: there is no record 9"]


def test_supersede_cycle() -> None:
    """A circle of supersedes links is reported on every record in it."""
    three = make(path="decisions/0003-three.md", id="3", status="withdrawn", supersedes="[4]")
    four = make(path="decisions/0004-four.md", id="4", status="withdrawn", supersedes="[5]")
    five = make(path="decisions/0005-five.md", id="5", status="withdrawn", supersedes="[3]")
    message = "supersedes: records 3 → 4 → 5 → 3 supersede each other in a circle; remove one " \
        "of the links"
    assert found([five, three, four]) == [
        f"decisions/0003-three.md:8: {message}", f"decisions/0004-four.md:8: {message}",
        f"decisions/0005-five.md:8: {message}"]


def test_supersede_graph_is_walked_in_linear_time() -> None:
    """A dense supersedes graph (every record superseding all older ones) does not hang, and a
    long circle is reported once per member."""
    dense = [make(path=f"decisions/{n:04d}-r.md", id=str(n), status="withdrawn",
                  supersedes=str(list(range(1, n)))) for n in range(1, 200)]
    assert found(dense) == []
    ring = [make(path=f"decisions/{n:04d}-r.md", id=str(n), status="withdrawn",
                 supersedes=f"[{n % 60 + 1}]") for n in range(1, 61)]
    result = found(ring)
    assert len(result) == 60
    assert result[0].startswith("decisions/0001-r.md:8: supersedes: records 1 → 2 → 3 → ")


def plan_record(changes: str, **kwargs: str) -> Record:
    """A proposed plan record 12 with the given `changes` YAML."""
    return make(kind="plan", changes=changes, **kwargs)


def test_proposal_applies_to_the_base_plan() -> None:
    """A proposal that applies cleanly to the plan has no findings."""
    ok = plan_record("\n  - {op: add-objective, goal: G1, objective: G1.2, text: Do more.}")
    assert found([ADOPT, ok], base=[ADOPT]) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ("\n  - {op: add-objective, goal: G9, objective: G9.1, text: New.}",
     f"{PATH}:9: changes[0] (add-objective): goal 'G9' does not exist in the plan; the plan "
     "has G1"),
    ("\n  - {op: edit-objective, objective: G1.1, text: Same id.}"
     "\n  - {op: add-objective, goal: G1, objective: G1.1, text: Again.}",
     f"{PATH}:10: changes[1] (add-objective): objective G1.1 already exists (ids are never "
     "reused); the next free id is G1.2"),
])
def test_proposal_that_does_not_apply(changes: str, expected: str) -> None:
    """Each change of a proposal must apply to the base plan; the finding names its line."""
    assert found([ADOPT, plan_record(changes)], base=[ADOPT]) == [expected]


def test_proposals_apply_in_id_order() -> None:
    """Two proposals in one tree build on each other, and a collision is caught."""
    first = plan_record("\n  - {op: add-objective, goal: G1, objective: G1.2, text: One.}")
    second = make(path="decisions/0013-next.md", id="13", kind="plan", changes=(
        "\n  - {op: add-objective, goal: G1, objective: G1.2, text: Two.}"))
    assert found([ADOPT, second, first]) == [
        "decisions/0013-next.md:9: changes[0] (add-objective): objective G1.2 already exists "
        "(ids are never reused); the next free id is G1.3"]


def test_old_problems_in_unchanged_files_are_not_blamed() -> None:
    """With `changed`, a dangling reference already on the base is not reported."""
    old = make(path="decisions/0005-five.md", id="5", related="[99]")
    assert found([old, make()], base=[old], changed={PATH}) == []
    assert found([old, make()], changed={PATH}) == []


def test_breaking_a_reference_is_blamed_on_the_pull_request() -> None:
    """A PR that renumbers a record breaks the reference to it, even from an unchanged file."""
    five = make(path="decisions/0005-five.md", id="5", status="draft")
    pointer = make(path="decisions/0006-six.md", id="6", related="[5]")
    renumbered = make(path="decisions/0007-seven.md", id="7", status="draft")
    result = found([pointer, renumbered], base=[five, pointer],
                   changed={"decisions/0005-five.md", "decisions/0007-seven.md"})
    assert result == [
        "decisions/0005-five.md: record 5 (draft) was deleted; records are never removed: "
        "restore the file, and set status: withdrawn to drop a proposal, or supersede a "
        "decision with a new record",
        "decisions/0006-six.md:8: related[0]: there is no record 5; check the id"]


MERGED = accepted(12, "merged-meanwhile")
RENUMBER = (f"{PATH}:2: notice: id: 12 is also used by decisions/0012-merged-meanwhile.md, "
            "merged meanwhile; nothing to do: this record will be renumbered to 13 at merge "
            "(and references to it in this pull request follow)")


def test_a_collision_with_a_record_merged_meanwhile_is_a_notice() -> None:
    """A proposed record of the PR whose id a decided base record took meanwhile is
    renumbered at merge (DESIGN §2): a notice on the PR, no error on either record."""
    base = [ADOPT, MERGED]
    findings = check_records([*base, make()], base=base, changed={PATH}, today=TODAY)
    assert [str(f) for f in findings] == [RENUMBER]
    assert [f.is_error for f in findings] == [False]


@pytest.mark.parametrize(("base", "mine", "why"), [
    ([ADOPT, make(path="decisions/0012-merged-meanwhile.md")], [make()],
     "the base record is not decided: publish would not renumber"),
    ([ADOPT, MERGED], [make(status="draft")], "a draft is not renumbered"),
    ([ADOPT, MERGED], [make(), make(path="decisions/0012-third.md")],
     "two of the PR's records share the id"),
    (None, [MERGED, make()], "no base: nothing says which record is the PR's"),
], ids=["base proposed", "draft", "two of mine", "no base"])
def test_other_collisions_stay_errors(base: list[Record] | None, mine: list[Record],
                                      why: str) -> None:
    """Anything publish would not renumber stays a duplicate id to fix."""
    records = [*(base or []), *mine]
    findings = check_records(records, base=base, changed={r.path for r in mine}, today=TODAY)
    duplicates = [f for f in findings if "is also used by" in f.message]
    assert duplicates, why
    assert all(f.is_error for f in duplicates), why


def test_renumbered_ids_skip_each_other() -> None:
    """Two records renumbered at merge get consecutive free ids, as publish assigns them."""
    base = [ADOPT, MERGED, accepted(13, "also-merged")]
    thirteen = make(path="decisions/0013-mine.md", id="13")
    findings = check_records([*base, make(), thirteen], base=base,
                             changed={PATH, thirteen.path}, today=TODAY)
    assert [(f.path, f.message.split("renumbered to ")[1][:2]) for f in findings] == [
        (PATH, "14"), ("decisions/0013-mine.md", "15")]


def test_the_base_is_folded_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Judging many PRs against one base (a tuple, as a run reads it once) folds the base
    plan once: each later PR folds only its own tree. Same findings either way."""
    import govbot.rules.crossref as crossref

    folds: list[int] = []
    real = crossref.fold

    def counting(records: Any) -> Any:
        folds.append(len(records))
        return real(records)

    monkeypatch.setattr(crossref, "fold", counting)
    base = (ADOPT, MERGED)
    first = check_records([*base, make()], base=base, changed={PATH}, today=TODAY)
    assert len(folds) == 2  # the tree, and the base once
    again = check_records([*base, make()], base=base, changed={PATH}, today=TODAY)
    assert (len(folds), again) == (3, first)  # the tree only
    check_records([*base, make()], base=list(base), changed={PATH}, today=TODAY)
    assert len(folds) == 7  # a list may change: never kept (as before: four folds)
