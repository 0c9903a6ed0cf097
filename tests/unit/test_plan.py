"""The plan fold: every change operation, its error messages, and the version numbering."""

from __future__ import annotations

import pytest

from govbot.model.plan import (
    STATUS_LABELS,
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
     "'add-goal'?); use one of add-goal, edit-goal, retire-goal, add-objective, edit-objective, "
     "retire-objective or adopt-plan"),
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
    assert data["history"] == [{"record": 1, "version": "1.0", "bump": "major", "period": 0,
                                "decided": "2021-01-19"}]
    assert (data["title"], data["from"], data["until"], data["past"]) == (None, None, None, [])
    assert data["goals"][0]["objectives"][0]["progress"] is None
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


# Plan periods (DESIGN §2, §3): adopt-plan gives the plan a title and a period; a successor
# retires the goals it does not keep and keeps the previous plan as it stood on its last day.
ADOPT_2021 = ("\n  - {op: adopt-plan, title: Plan 2021–2024, from: 2021-01-01, until: 2024-12-31}"
              + ADOPT)
SUCCESSOR = ("\n  - {op: adopt-plan, title: Plan 2025–2028, from: 2025-01-01, until: 2028-12-31,"
             " keep: [G1]}"
             "\n  - {op: add-goal, goal: G3, title: Money, rationale: Reserves.}")


def test_adopt_plan_gives_the_plan_a_title_and_period() -> None:
    """The first adopt-plan names the plan and its period; nothing is retired or kept as a
    past plan, and the adoption is a major version."""
    plan, findings = fold([rec(1, ADOPT_2021)])
    assert findings == []
    assert (plan.title, plan.period_text, plan.adopted_by, plan.version_text) == (
        "Plan 2021–2024", "2021-01-01 – 2024-12-31", 1, "1.0")
    assert plan.adopted_on is not None
    assert plan.adopted_on.isoformat() == "2021-01-19"
    assert plan.past == ()
    assert plan.period == 1
    assert [g.id for g in plan.active_goals()] == ["G1"]
    untitled, _ = fold([rec(1, ADOPT)])
    assert (untitled.title, untitled.name, untitled.period_text, untitled.period) == (
        None, "Strategic plan", "", 0)


def test_a_successor_plan_retires_the_goals_it_does_not_keep() -> None:
    """A successor keeps the goals listed under `keep` (with their objectives), retires every
    other active goal, and keeps the previous plan as it stood on its last day."""
    first = rec(1, ADOPT_2021 + "\n  - {op: add-goal, goal: G4, title: Standards, "
                "rationale: Open.}")
    tweak = rec(2, "\n  - {op: edit-objective, objective: G1.1, text: Publish SLOs.}",
                decided="2022-03-01")
    successor = rec(3, SUCCESSOR, decided="2025-01-10")
    plan, findings = fold([successor, tweak, first])
    assert findings == []
    assert (plan.title, plan.period_text, plan.version_text, plan.period) == (
        "Plan 2025–2028", "2025-01-01 – 2028-12-31", "2.0", 2)
    assert [g.id for g in plan.active_goals()] == ["G1", "G3"]
    assert plan.goal("G4").retired  # type: ignore[union-attr]
    assert plan.goal("G1").decisions == (1, 3)  # type: ignore[union-attr]
    assert plan.objective("G1.1").text == "Publish SLOs."  # type: ignore[union-attr]
    [past] = plan.past
    assert (past.title, past.version_text, past.replaced_by, past.period) == (
        "Plan 2021–2024", "1.1", 3, 1)
    assert past.replaced_on is not None
    assert past.replaced_on.isoformat() == "2025-01-10"
    assert [g.id for g in past.active_goals()] == ["G1", "G4"]  # as it stood, G4 still active
    assert [s.record for s in past.steps()] == [1, 2]
    assert [s.record for s in plan.steps()] == [3]
    assert [(s.record, s.period) for s in plan.history] == [(1, 1), (2, 1), (3, 2)]


def test_the_plan_before_any_adopt_plan_is_kept_when_a_titled_plan_succeeds_it() -> None:
    """A repository that started without adopt-plan keeps its untitled plan as a past plan."""
    plan, findings = fold([rec(1, ADOPT), rec(2, SUCCESSOR, decided="2025-01-10")])
    assert findings == []
    [past] = plan.past
    assert (past.title, past.period, past.name) == (None, 0, "Strategic plan")
    assert plan.period == 1


P2 = "decisions/0002-r.md:9: changes"
ADOPT_ERRORS = [
    ("\n  - {op: adopt-plan, title: T, until: 2030-01-01}",
     [f"{P2}[0] (adopt-plan): 'from' must be the date the plan period begins, as YYYY-MM-DD "
      "(got None)"]),
    ("\n  - {op: adopt-plan, title: T, from: soon}",
     [f"{P2}[0] (adopt-plan): 'from' must be the date the plan period begins, as YYYY-MM-DD "
      "(got 'soon')"]),
    ("\n  - {op: adopt-plan, title: T, from: 2025-01-01, until: later}",
     [f"{P2}[0] (adopt-plan): 'until' must be the date the plan period ends, as YYYY-MM-DD "
      "(got 'later')"]),
    ("\n  - {op: adopt-plan, title: T, from: 2025-01-01, until: 2024-01-01}",
     [f"{P2}[0] (adopt-plan): the period ends (2024-01-01) before it begins (2025-01-01)"]),
    ("\n  - {op: adopt-plan, title: T, from: 2020-06-01}",
     [f"{P2}[0] (adopt-plan): the new plan must begin after the current one, which began on "
      "2021-01-01 (got from: 2020-06-01)"]),
    ("\n  - {op: adopt-plan, title: T, from: 2025-01-01, keep: G1}",
     [f"{P2}[0] (adopt-plan): 'keep' must be a list of goal ids, e.g. keep: [G1, G3]"]),
    ("\n  - {op: adopt-plan, title: T, from: 2025-01-01, keep: [G1, G2, G01]}",
     [f"{P2}[0] (adopt-plan): keep: goal 'G2' is not an active goal of the current plan; "
      "the plan has G1",
      f"{P2}[0] (adopt-plan): keep: goal 'G01' is not an active goal of the current plan "
      "(did you mean 'G1'?); the plan has G1"]),
    ("\n  - {op: adopt-plan, title: '', from: 2025-01-01}",
     [f"{P2}[0] (adopt-plan): 'title' is required and must be non-empty text"]),
    ("\n  - {op: adopt-plan, title: T, from: 2025-01-01, keeps: [G1]}",
     [f"{P2}[0] (adopt-plan): unknown key 'keeps' (did you mean 'keep'?); adopt-plan takes "
      "title, from, until or keep"]),
    ("\n  - {op: add-goal, goal: G3, title: T, rationale: R}"
     "\n  - {op: adopt-plan, title: T, from: 2025-01-01}",
     [f"{P2}[1] (adopt-plan): adopt-plan must be the record's first change: the new plan "
      "begins, then the other changes apply to it"]),
]


@pytest.mark.parametrize(("changes", "expected"), ADOPT_ERRORS)
def test_adopt_plan_errors(changes: str, expected: list[str]) -> None:
    """A malformed adopt-plan says what is wrong and how to write it, and changes nothing."""
    base, _ = fold([rec(1, ADOPT_2021)])
    plan, findings = apply_record(base, rec(2, changes, decided="2025-01-10"))
    assert [str(f).replace("10: changes", "9: changes") for f in findings] == expected
    assert (plan.title, plan.past) == ("Plan 2021–2024", ())


def test_fold_until_gives_the_plan_as_it_stood() -> None:
    """`fold(records, until=day)` leaves out what was decided after that day."""
    records = [rec(1, ADOPT_2021), rec(2, SUCCESSOR, decided="2025-01-10")]
    import datetime as dt

    before, _ = fold(records, until=dt.date(2025, 1, 9))
    assert (before.title, before.version_text) == ("Plan 2021–2024", "1.0")
    after, _ = fold(records, until=dt.date(2025, 1, 10))
    assert after.title == "Plan 2025–2028"


# Progress (DESIGN §3): review records assess objectives; the latest assessment counts.
def review(number: int, progress: str, *, decided: str = "2022-01-20",
           status: str = "accepted") -> Record:
    """A review record with the given `progress` YAML."""
    fields = {"id": str(number), "title": f"Review {number}", "kind": "review",
              "status": status, "created": "2022-01-04", "authors": "[alice]",
              "progress": progress, "decided": decided, "pr": "1", "votes": "[]"}
    if status not in ("accepted", "superseded"):
        for key in ("decided", "pr", "votes"):
            del fields[key]
    return parse_record(f"decisions/{number:04d}-review.md", text(fields))


TWO_OBJECTIVES = ADOPT + "\n  - {op: add-objective, goal: G1, objective: G1.2, text: Drills.}"


def test_progress_is_the_latest_assessment_with_its_history() -> None:
    """Each objective's progress is its latest accepted assessment; the earlier ones are
    its history; an objective never assessed is "not yet reviewed"."""
    first = review(2, "\n  - {objective: G1.1, status: at-risk, note: '  Two  outages. '}",
                   decided="2022-01-20")
    second = review(3, "\n  - {objective: G1.1, status: on-track}", decided="2023-01-20")
    draft = review(4, "\n  - {objective: G1.1, status: off-track}", status="draft")
    plan, findings = fold([second, draft, rec(1, TWO_OBJECTIVES), first])
    assert findings == []
    latest = plan.progress("G1.1")
    assert latest is not None
    assert (latest.status, latest.label, latest.record, latest.note) == (
        "on-track", "On track", 3, None)
    assert [(a.status, a.note, a.record) for a in plan.assessments_of("G1.1")] == [
        ("at-risk", "Two outages.", 2), ("on-track", None, 3)]
    assert plan.progress("G1.2") is None
    assert STATUS_LABELS[None] == "Not yet reviewed"
    assert plan.status_counts() == (("on-track", 1), (None, 1))
    assert plan.version_text == "1.0"  # a review never changes the version
    data = plan_to_dict(plan)["goals"][0]["objectives"][0]
    assert data["progress"] == {"status": "on-track", "note": None, "record": 3,
                                "decided": "2023-01-20"}
    assert [a["record"] for a in data["assessments"]] == [2, 3]


def test_progress_is_checked_against_the_plan_of_its_day() -> None:
    """An assessment must name an objective that exists and is active when the review is
    decided; one retired later keeps its assessment in the history."""
    retire = rec(5, "\n  - {op: retire-objective, objective: G1.2}", decided="2022-06-01")
    early = review(2, "\n  - {objective: G1.2, status: off-track}", decided="2022-01-20")
    late = review(3, "\n  - {objective: G1.2, status: done}"
                     "\n  - {objective: G1.9, status: done}"
                     "\n  - {objective: G2.1, status: done}", decided="2023-01-20")
    plan, findings = fold([rec(1, TWO_OBJECTIVES), retire, early, late])
    assert [str(f) for f in findings] == [
        "decisions/0003-review.md:9: progress[0]: objective G1.2 was retired; only active "
        "objectives are assessed",
        "decisions/0003-review.md:10: progress[1]: objective 'G1.9' does not exist in the plan "
        "(did you mean 'G1.1'?); assess the objectives of the current plan (govbot plan lists "
        "them)",
        "decisions/0003-review.md:11: progress[2]: objective 'G2.1' does not exist in the plan "
        "(did you mean 'G1.1'?); assess the objectives of the current plan (govbot plan lists "
        "them)"]
    assert [a.status for a in plan.assessments_of("G1.2")] == ["off-track"]


def test_a_proposed_review_is_checked_against_the_base_plan() -> None:
    """An open review's progress is applied to the base plan by the repository rules."""
    from govbot.rules.crossref import repository_findings

    base = [rec(1, ADOPT)]
    proposed = review(2, "\n  - {objective: G1.4, status: done}", status="proposed")
    findings = repository_findings([*base, proposed], base)
    assert [str(f) for f in findings] == [
        "decisions/0002-review.md:9: progress[0]: objective 'G1.4' does not exist in the plan "
        "(did you mean 'G1.1'?); assess the objectives of the current plan (govbot plan lists "
        "them)"]


def test_the_example_plan_has_a_title_a_period_and_progress(repo_root: object) -> None:
    """The example repository's plan is the Strategic Plan 2021–2024, and its 2023 review
    (record 6) assessed its objectives."""
    from pathlib import Path

    from govbot.git.repo import read_worktree

    assert isinstance(repo_root, Path)
    plan, findings = fold(read_worktree(repo_root).records)
    assert findings == []
    assert (plan.title, plan.period_text) == ("Strategic Plan 2021–2024",
                                              "2021-01-01 – 2024-12-31")
    g11 = plan.progress("G1.1")
    assert g11 is not None
    assert (g11.status, g11.record) == ("on-track", 6)
    assert plan.progress("G1.3") is None


def test_govbot_plan_shows_the_title_period_and_progress(repo_root: object) -> None:
    """`govbot plan` prints the plan's title and period and each objective's progress;
    `--format json` has the same, with every assessment."""
    import json

    from click.testing import CliRunner

    from govbot.cli.main import main

    runner = CliRunner()
    text = runner.invoke(main, ["plan", "--repo", str(repo_root)]).output
    assert "# Strategic Plan 2021–2024 — version 2.0\n" in text
    assert "**Period:** 2021-01-01 – 2024-12-31" in text
    assert "  - Progress: **Off track** (review [#6](" in text
    assert "  - Progress: not yet reviewed\n" in text
    data = json.loads(runner.invoke(main, ["plan", "--repo", str(repo_root), "--format",
                                           "json"]).output)
    assert (data["title"], data["from"], data["until"]) == (
        "Strategic Plan 2021–2024", "2021-01-01", "2024-12-31")
    g21 = data["goals"][1]["objectives"][0]
    assert (g21["id"], g21["progress"]["status"], len(g21["assessments"])) == (
        "G2.1", "off-track", 1)
