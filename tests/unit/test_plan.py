"""The plan fold: every change operation, its error messages, and the version numbering."""

from __future__ import annotations

import pytest

from govbot.model.plan import (
    Plan,
    apply_record,
    apply_records,
    decided_order,
    fold,
    next_goal_id,
    next_objective_id,
    plan_to_dict,
)
from govbot.model.records import Record, parse_record
from recordkit import text

ADOPT = ("\n  - {op: add-goal, goal: G1, title: Infrastructure, rationale: Reliable.}"
         "\n  - {op: add-objective, goal: G1, objective: G1.1, text: Publish an SLO.}"
         "\n  - {op: add-goal, goal: G2, title: Community, rationale: Healthy.}"
         "\n  - {op: retire-goal, goal: G2}")


def rec(number: int, changes: str, *, decided: str = "2021-01-19", status: str = "accepted",
        kind: str = "plan") -> Record:
    """A decided plan record with the given `changes` YAML (one change per line from line 9)."""
    fields = {"id": str(number), "title": f"Record {number}", "kind": kind, "status": status,
              "created": "2021-01-04", "authors": "[alice]", "changes": changes,
              "decided": decided, "pr": "1", "votes": "[]"}
    return parse_record(f"decisions/{number:04d}-r.md", text(fields))


BASE, _ = fold([rec(1, ADOPT)])


def test_adoption_fold() -> None:
    """The adopting record builds goals and objectives and is version 1.0."""
    assert BASE.version_text == "1.0"
    assert [g.id for g in BASE.goals] == ["G1", "G2"]
    assert BASE.goal("G2") is not None
    assert BASE.goal("G2").retired  # type: ignore[union-attr]
    assert [g.id for g in BASE.active_goals()] == ["G1"]
    assert BASE.objective("G1.1") is not None
    assert BASE.objective("G9.1") is None


P = "decisions/0002-r.md:9: changes[0]"
ERRORS = [
    ("{op: add-goals, goal: G3}", f"{P} (add-goals): unknown operation (did you mean "
     "'add-goal'?); use one of add-goal, edit-goal, retire-goal, add-objective, edit-objective "
     "or retire-objective"),
    ("{op: add-objective, goal: G1, objective: G1.2, text: y, txt: x}",
     f"{P} (add-objective): unknown key 'txt' (did you mean 'text'?); add-objective takes "
     "goal, objective or text"),
    ("{op: add-goal, goal: G3, title: T}", f"{P} (add-goal): 'rationale' is required and must "
     "be non-empty text"),
    ("{op: edit-objective, objective: G1.1, text: '  '}", f"{P} (edit-objective): 'text' is "
     "required and must be non-empty text"),
    ("{op: edit-goal, goal: G1}", f"{P} (edit-goal): give a new 'title', a new 'rationale', or "
     "both"),
    ("{op: add-goal, goal: X3, title: T, rationale: R}", f"{P} (add-goal): goal id 'X3' must "
     "look like G1, G2, …"),
    ("{op: add-goal, goal: G1, title: T, rationale: R}", f"{P} (add-goal): goal G1 already "
     "exists; goal ids are never reused, pick the next free one"),
    ("{op: retire-goal, goal: G3}", f"{P} (retire-goal): goal 'G3' does not exist in the plan; "
     "the plan has G1 or G2"),
    ("{op: retire-goal, goal: G01}", f"{P} (retire-goal): goal 'G01' does not exist in the plan "
     "(did you mean 'G1'?); the plan has G1 or G2"),
    ("{op: edit-goal, goal: G2, title: T}", f"{P} (edit-goal): goal G2 was retired; retired "
     "goals cannot be changed (add a new goal instead)"),
    ("{op: add-objective, goal: G2, objective: G2.1, text: x}", f"{P} (add-objective): goal G2 "
     "was retired; retired goals cannot be changed (add a new goal instead)"),
    ("{op: add-objective, goal: G1, objective: G2.1, text: x}", f"{P} (add-objective): "
     "objective id 'G2.1' must look like G1.1, G1.2, … (goal, dot, number)"),
    ("{op: add-objective, goal: G1, objective: G1.1, text: x}", f"{P} (add-objective): "
     "objective G1.1 already exists (ids are never reused); the next free id is G1.2"),
    ("{op: edit-objective, objective: G1.9, text: x}", f"{P} (edit-objective): objective "
     "'G1.9' does not exist in the plan (did you mean 'G1.1'?)"),
]


@pytest.mark.parametrize(("change", "expected"), ERRORS)
def test_operation_errors(change: str, expected: str) -> None:
    """Every failing operation names the record, the line, the change and how to fix it."""
    plan, findings = apply_record(BASE, rec(2, f"\n  - {change}"))
    assert [str(f) for f in findings] == [expected]
    assert plan.version == BASE.version


def test_retired_objective_cannot_change() -> None:
    """Editing or retiring a retired objective is refused."""
    plan, _ = apply_record(BASE, rec(2, "\n  - {op: retire-objective, objective: G1.1}"))
    _, findings = apply_record(plan, rec(3, "\n  - {op: edit-objective, objective: G1.1, "
                                         "text: x}"))
    assert [str(f) for f in findings] == [
        "decisions/0003-r.md:9: changes[0] (edit-objective): objective G1.1 was retired; "
        "retired objectives cannot be changed (add a new objective instead)"]
    assert next_objective_id(plan.goal("G1")) == "G1.2"  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "version", "bump"), [
    ("\n  - {op: add-goal, goal: G3, title: T, rationale: R}", (2, 0), "major"),
    ("\n  - {op: retire-goal, goal: G1}", (2, 0), "major"),
    ("\n  - {op: edit-goal, goal: G1, title: New title}", (2, 0), "major"),
    ("\n  - {op: edit-goal, goal: G1, title: Infrastructure, rationale: New.}", (1, 1), "minor"),
    ("\n  - {op: add-objective, goal: G1, objective: G1.2, text: x}", (1, 1), "minor"),
    ("\n  - {op: edit-objective, objective: G1.1, text: x}", (1, 1), "minor"),
    ("\n  - {op: retire-objective, objective: G1.1}", (1, 1), "minor"),
    ("\n  - {op: retire-objective, objective: G1.1}"
     "\n  - {op: add-goal, goal: G3, title: T, rationale: R}", (2, 0), "major"),
    ("\n  - {op: retire-objective, objective: G9.1}", (1, 0), "none"),
])
def test_version_numbering(changes: str, version: tuple[int, int], bump: str) -> None:
    """Goals bump the major number (adding, retiring, re-titling); objectives the minor."""
    plan, _ = apply_record(BASE, rec(2, changes))
    assert plan.version == version
    assert plan.history[-1].bump == bump
    assert plan.history[-1].record == 2


def test_fold_order_and_what_counts() -> None:
    """Only decided plan records count, in `decided` then id order."""
    later = rec(2, "\n  - {op: edit-objective, objective: G1.1, text: Second.}",
                decided="2022-01-01")
    earlier = rec(3, "\n  - {op: edit-objective, objective: G1.1, text: First.}",
                  decided="2021-06-01")
    draft = rec(4, "\n  - {op: retire-goal, goal: G1}", status="draft")
    policy = rec(5, "\n  - {op: retire-goal, goal: G1}", kind="policy")
    records = [later, draft, earlier, rec(1, ADOPT), policy]
    assert [r.id for r in decided_order(records)] == [1, 3, 2]
    plan, findings = fold(records)
    assert findings == []
    assert plan.objective("G1.1").text == "Second."  # type: ignore[union-attr]
    assert plan.objective("G1.1").decisions == (1, 3, 2)  # type: ignore[union-attr]
    assert plan.version_text == "1.2"


def test_plan_to_dict_and_next_ids() -> None:
    """The JSON shape of the plan, and the next free goal id (never reusing retired ones)."""
    data = plan_to_dict(BASE)
    assert data["version"] == "1.0"
    assert data["goals"][1] == {"id": "G2", "title": "Community", "rationale": "Healthy.",
                                "retired": True, "decisions": [1], "objectives": []}
    assert data["history"] == [{"record": 1, "version": "1.0", "bump": "major"}]
    assert next_goal_id(BASE) == "G3"
    assert next_goal_id(Plan()) == "G1"


def test_example_plan(repo_root: object) -> None:
    """The example repository's plan folds without findings and has five goals at adoption."""
    from pathlib import Path

    from govbot.git.repo import read_worktree

    assert isinstance(repo_root, Path)
    records = read_worktree(repo_root).records
    plan, findings = fold(records)
    assert findings == []
    assert len(plan.history) >= 1
    first, _ = fold([r for r in records if r.id == 1])
    assert [g.id for g in first.goals] == ["G1", "G2", "G3", "G4", "G5"]


def test_apply_records_equals_applying_each_in_turn() -> None:
    """Applying several proposals at once gives the same plan, history and findings as
    chaining `apply_record`, including a failing change and ids proposed twice."""
    proposals = [
        rec(2, "\n  - {op: add-objective, goal: G1, objective: G1.2, text: Run drills.}",
            status="proposed"),
        rec(3, "\n  - {op: edit-objective, objective: G1.9, text: Missing.}", status="proposed"),
        rec(4, "\n  - {op: add-objective, goal: G1, objective: G1.2, text: Again.}"
               "\n  - {op: add-goal, goal: G3, title: Money, rationale: Reserves.}",
            status="proposed"),
    ]
    chained, chained_findings = BASE, []
    for record in proposals:
        chained, found = apply_record(chained, record)
        chained_findings += found
    together, findings = apply_records(BASE, proposals)
    assert (together, findings) == (chained, chained_findings)
    assert [f.path for f in findings] == ["decisions/0003-r.md", "decisions/0004-r.md"]
    assert fold([rec(1, ADOPT)])[0] == BASE  # the input plan is left unchanged
