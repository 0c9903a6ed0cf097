"""The plan: a fold of the change operations of every decided `plan` record (DESIGN §3)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from govbot.model.findings import Finding, did_you_mean, one_of
from govbot.model.records import OPS, Change, Record

GOAL_ID = re.compile(r"^G(?P<n>[1-9]\d*)$")
OBJECTIVE_ID = re.compile(r"^G(?P<goal>[1-9]\d*)\.(?P<n>[1-9]\d*)$")
DECIDED_STATUSES = ("accepted", "superseded", "retired")
OP_KEYS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # op: (required keys, optional keys)
    "add-goal": (("goal", "title", "rationale"), ()),
    "edit-goal": (("goal",), ("title", "rationale")),
    "retire-goal": (("goal",), ()),
    "add-objective": (("goal", "objective", "text"), ()),
    "edit-objective": (("objective", "text"), ()),
    "retire-objective": (("objective",), ()),
}
MAJOR_OPS = ("add-goal", "retire-goal")


@dataclass(frozen=True, slots=True)
class Objective:
    id: str
    goal: str
    text: str
    retired: bool = False
    decisions: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Goal:
    id: str
    title: str
    rationale: str
    retired: bool = False
    objectives: tuple[Objective, ...] = ()
    decisions: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Step:
    """One decided plan record applied to the plan: the version it produced and why."""

    record: int
    path: str
    version: tuple[int, int]
    bump: str  # "major" | "minor" | "none"
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    version: tuple[int, int] = (0, 0)
    goals: tuple[Goal, ...] = ()
    history: tuple[Step, ...] = field(default=())

    @property
    def version_text(self) -> str:
        return f"{self.version[0]}.{self.version[1]}"

    def goal(self, goal_id: str) -> Goal | None:
        return next((g for g in self.goals if g.id == goal_id), None)

    def objective(self, objective_id: str) -> Objective | None:
        for goal in self.goals:
            for objective in goal.objectives:
                if objective.id == objective_id:
                    return objective
        return None

    def active_goals(self) -> tuple[Goal, ...]:
        return tuple(g for g in self.goals if not g.retired)


def _added(ids: tuple[int, ...], record: int) -> tuple[int, ...]:
    return ids if record in ids else (*ids, record)


def _text(args: Mapping[str, Any], key: str) -> str | None:
    value = args.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


class _Folder:
    """Applies changes to a plan, collecting findings instead of raising."""

    def __init__(self, plan: Plan):
        # a working copy with indexes, so each change costs O(1) instead of O(plan size)
        self.goals = list(plan.goals)
        self.positions = {g.id: i for i, g in reversed(list(enumerate(self.goals)))}
        # objective id -> id of the goal that holds it (reversed: the first holder wins)
        self.owners = {o.id: g.id for g in reversed(self.goals) for o in reversed(g.objectives)}
        self.findings: list[Finding] = []

    def goal(self, goal_id: str) -> Goal | None:
        """Same answer as Plan.goal on the plan folded so far."""
        position = self.positions.get(goal_id)
        return None if position is None else self.goals[position]

    def objective(self, objective_id: str) -> Objective | None:
        """Same answer as Plan.objective on the plan folded so far."""
        owner = self.goal(self.owners.get(objective_id, ""))
        if owner is None:
            return None
        return next(o for o in owner.objectives if o.id == objective_id)

    def fail(self, record: Record, change: Change, message: str) -> None:
        where = f"changes[{change.index}] ({change.op}): "
        self.findings.append(Finding(record.path, change.line, where + message, "plan"))

    def _set_goal(self, goal: Goal) -> None:
        position = self.positions.get(goal.id)
        if position is None:
            self.positions[goal.id] = len(self.goals)
            self.goals.append(goal)
        else:
            self.goals[position] = goal

    def _live_goal(self, record: Record, change: Change, goal_id: str) -> Goal | None:
        goal = self.goal(goal_id)
        if goal is None:
            known = [g.id for g in self.goals]
            self.fail(record, change, f"goal {goal_id!r} does not exist in the plan"
                      + did_you_mean(goal_id, known)
                      + (f"; the plan has {one_of(known)}" if known else ""))
            return None
        if goal.retired:
            self.fail(record, change, f"goal {goal_id} was retired; retired goals cannot "
                      "be changed (add a new goal instead)")
            return None
        return goal

    def _live_objective(self, record: Record, change: Change,
                        objective_id: str) -> tuple[Goal, Objective] | None:
        objective = self.objective(objective_id)
        if objective is None:
            known = [o.id for g in self.goals for o in g.objectives]
            self.fail(record, change, f"objective {objective_id!r} does not exist in the plan"
                      + did_you_mean(objective_id, known))
            return None
        if objective.retired:
            self.fail(record, change, f"objective {objective_id} was retired; retired "
                      "objectives cannot be changed (add a new objective instead)")
            return None
        goal = self.goal(objective.goal)
        assert goal is not None
        return goal, objective

    def _check_keys(self, record: Record, change: Change) -> bool:
        if change.op not in OP_KEYS:
            self.fail(record, change, f"unknown operation{did_you_mean(change.op, OPS)}; "
                      f"use one of {one_of(list(OPS))}")
            return False
        required, optional = OP_KEYS[change.op]
        ok = True
        for key in change.args:
            if key not in required + optional:
                self.fail(record, change, f"unknown key {key!r}"
                          + did_you_mean(key, required + optional)
                          + f"; {change.op} takes {one_of(list(required + optional))}")
                ok = False
        for key in required:
            if _text(change.args, key) is None:
                self.fail(record, change, f"{key!r} is required and must be non-empty text")
                ok = False
        if change.op == "edit-goal" and not any(k in change.args for k in optional):
            self.fail(record, change, "give a new 'title', a new 'rationale', or both")
            ok = False
        return ok

    def apply(self, record: Record, change: Change) -> str | None:
        """Apply one change; return its bump ('major'/'minor') or None when it failed."""
        if not self._check_keys(record, change):
            return None
        args = change.args
        rid = record.id or 0
        if change.op == "add-goal":
            goal_id = str(args["goal"])
            if not GOAL_ID.match(goal_id):
                self.fail(record, change, f"goal id {goal_id!r} must look like G1, G2, …")
                return None
            if self.goal(goal_id) is not None:
                self.fail(record, change, f"goal {goal_id} already exists; goal ids are never "
                          "reused, pick the next free one")
                return None
            self._set_goal(Goal(goal_id, str(_text(args, "title")),
                                str(_text(args, "rationale")), decisions=(rid,)))
            return "major"
        if change.op in ("edit-goal", "retire-goal"):
            goal = self._live_goal(record, change, str(args["goal"]))
            if goal is None:
                return None
            if change.op == "retire-goal":
                objectives = tuple(replace(o, retired=True) if not o.retired else o
                                   for o in goal.objectives)
                self._set_goal(replace(goal, retired=True, objectives=objectives,
                                       decisions=_added(goal.decisions, rid)))
                return "major"
            title = _text(args, "title") or goal.title
            rationale = _text(args, "rationale") or goal.rationale
            self._set_goal(replace(goal, title=title, rationale=rationale,
                                   decisions=_added(goal.decisions, rid)))
            return "major" if title != goal.title else "minor"
        if change.op == "add-objective":
            goal = self._live_goal(record, change, str(args["goal"]))
            if goal is None:
                return None
            objective_id = str(args["objective"])
            match = OBJECTIVE_ID.match(objective_id)
            if not match or f"G{match['goal']}" != goal.id:
                self.fail(record, change, f"objective id {objective_id!r} must look like "
                          f"{goal.id}.1, {goal.id}.2, … (goal, dot, number)")
                return None
            if self.objective(objective_id) is not None:
                used = [o.id for o in goal.objectives]
                self.fail(record, change, f"objective {objective_id} already exists (ids are "
                          f"never reused); the next free id is {next_objective_id(goal, used)}")
                return None
            new = Objective(objective_id, goal.id, str(_text(args, "text")), decisions=(rid,))
            self._set_goal(replace(goal, objectives=(*goal.objectives, new)))
            self.owners[objective_id] = goal.id
            return "minor"
        found = self._live_objective(record, change, str(args["objective"]))
        if found is None:
            return None
        goal, objective = found
        if change.op == "edit-objective":
            new = replace(objective, text=str(_text(args, "text")),
                          decisions=_added(objective.decisions, rid))
        else:
            new = replace(objective, retired=True, decisions=_added(objective.decisions, rid))
        objectives = tuple(new if o.id == objective.id else o for o in goal.objectives)
        self._set_goal(replace(goal, objectives=objectives))
        return "minor"


def next_objective_id(goal: Goal, used: Iterable[str] = ()) -> str:
    """The next objective id for a goal, never reusing a retired one."""
    numbers = [int(m["n"]) for o in goal.objectives if (m := OBJECTIVE_ID.match(o.id))]
    numbers += [int(m["n"]) for u in used if (m := OBJECTIVE_ID.match(u))]
    return f"{goal.id}.{max(numbers, default=0) + 1}"


def next_goal_id(plan: Plan) -> str:
    numbers = [int(m["n"]) for g in plan.goals if (m := GOAL_ID.match(g.id))]
    return f"G{max(numbers, default=0) + 1}"


def _step(folder: _Folder, version: tuple[int, int], record: Record) -> Step:
    """Apply one record's changes in `folder`; the step with the version it produced."""
    bumps = [folder.apply(record, change) for change in record.changes]
    major, minor = version
    if "major" in bumps:
        version, bump = (major + 1, 0), "major"
    elif "minor" in bumps:
        version, bump = (major, minor + 1), "minor"
    else:
        bump = "none"
    return Step(record.id or 0, record.path, version, bump, record.changes)


def apply_record(plan: Plan, record: Record) -> tuple[Plan, list[Finding]]:
    """Apply every change of one record to `plan` (a new Plan; the input is unchanged).

    The version is bumped once for the record: major when a goal is added, retired or
    re-titled; minor for objective changes; none when every change failed."""
    folder = _Folder(plan)
    step = _step(folder, plan.version, record)
    new = replace(plan, goals=tuple(folder.goals), version=step.version,
                  history=(*plan.history, step))
    return new, folder.findings


def apply_records(plan: Plan, records: Iterable[Record]) -> tuple[Plan, list[Finding]]:
    """`apply_record` for each record in turn, each on the plan the one before produced, and
    every finding. One working copy for all of them (as `fold`): linear in the records, not
    records × plan size, with the same result as chaining `apply_record`."""
    folder = _Folder(plan)
    version = plan.version
    history = list(plan.history)
    for record in records:
        history.append(_step(folder, version, record))
        version = history[-1].version
    new = replace(plan, goals=tuple(folder.goals), version=version, history=tuple(history))
    return new, folder.findings


def decided_order(records: Iterable[Record]) -> list[Record]:
    """Decided plan records in the order the fold applies them: `decided`, then `id`."""
    chosen = [r for r in records
              if r.kind == "plan" and r.status in DECIDED_STATUSES and r.decided is not None]
    return sorted(chosen, key=lambda r: (r.decided, r.id or 0, r.path))


def fold(records: Sequence[Record]) -> tuple[Plan, list[Finding]]:
    """The current plan from every decided plan record, and the findings of changes that
    did not apply (each with the record and line that caused it)."""
    folder = _Folder(Plan())  # one working copy for the whole fold: linear in records
    history: list[Step] = []
    version = Plan().version
    for record in decided_order(records):
        history.append(_step(folder, version, record))
        version = history[-1].version
    return Plan(version, tuple(folder.goals), tuple(history)), folder.findings


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON-ready data (used by `govbot plan --format json` and the export)."""
    return {
        "version": plan.version_text,
        "goals": [
            {"id": g.id, "title": g.title, "rationale": g.rationale, "retired": g.retired,
             "decisions": list(g.decisions),
             "objectives": [{"id": o.id, "text": o.text, "retired": o.retired,
                             "decisions": list(o.decisions)} for o in g.objectives]}
            for g in plan.goals
        ],
        "history": [{"record": s.record, "version": f"{s.version[0]}.{s.version[1]}",
                     "bump": s.bump} for s in plan.history],
    }
