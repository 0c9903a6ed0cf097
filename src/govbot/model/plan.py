"""The plan: a fold of the change operations of every decided `plan` record (DESIGN §3),
with its periods (`adopt-plan`: a title, a period, a successor that retires the goals it does
not keep) and the progress the committee's `review` records assessed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from govbot.model.findings import Finding, did_you_mean, one_of
from govbot.model.records import OPS, Change, Record, as_date
from govbot.model.vocab import DECIDED

GOAL_ID = re.compile(r"^G(?P<n>[1-9]\d*)$")
OBJECTIVE_ID = re.compile(r"^G(?P<goal>[1-9]\d*)\.(?P<n>[1-9]\d*)$")
OP_KEYS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # op: (required keys, optional keys)
    "add-goal": (("goal", "title", "rationale"), ()),
    "edit-goal": (("goal",), ("title", "rationale")),
    "retire-goal": (("goal",), ()),
    "add-objective": (("goal", "objective", "text"), ()),
    "edit-objective": (("objective", "text"), ()),
    "retire-objective": (("objective",), ()),
    "adopt-plan": (("title", "from"), ("until", "keep")),
}
MAJOR_OPS = ("add-goal", "retire-goal", "adopt-plan")
# How a review record may assess an objective (DESIGN §3), and how each reads.
PROGRESS_STATUSES = ("on-track", "at-risk", "off-track", "done", "dropped")
PROGRESS_KEYS = ("objective", "status", "note")
STATUS_LABELS = {"on-track": "On track", "at-risk": "At risk", "off-track": "Off track",
                 "done": "Done", "dropped": "Dropped", None: "Not yet reviewed"}


@dataclass(frozen=True, slots=True)
class Assessment:
    """One objective's status as an accepted (or proposed) review record assessed it."""

    objective: str
    status: str
    note: str | None
    record: int
    decided: dt.date | None

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


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
    """One decided plan record applied to the plan: the version it produced and why.
    `period` counts the plans adopted so far (0: before any `adopt-plan`); `decided` is
    when the version took effect."""

    record: int
    path: str
    version: tuple[int, int]
    bump: str  # "major" | "minor" | "none"
    changes: tuple[Change, ...]
    period: int = 0
    decided: dt.date | None = None

    @property
    def version_text(self) -> str:
        return f"{self.version[0]}.{self.version[1]}"


@dataclass(frozen=True, slots=True)
class Plan:
    """The plan: its goals, the version, how it got here, its title and period (when an
    `adopt-plan` gave it one), the plans it succeeded (each as it stood on its last day) and
    every progress assessment, oldest first."""

    version: tuple[int, int] = (0, 0)
    goals: tuple[Goal, ...] = ()
    history: tuple[Step, ...] = field(default=())
    title: str | None = None
    start: dt.date | None = None  # the period's `from`
    until: dt.date | None = None
    adopted_by: int | None = None  # the record whose adopt-plan began this plan
    adopted_on: dt.date | None = None
    period: int = 0  # 0: the plan before any adopt-plan; then 1, 2, …
    replaced_by: int | None = None  # on a past plan: the record that adopted its successor
    replaced_on: dt.date | None = None
    past: tuple[Plan, ...] = ()
    assessments: tuple[Assessment, ...] = ()

    @property
    def version_text(self) -> str:
        return f"{self.version[0]}.{self.version[1]}"

    @property
    def name(self) -> str:
        """The plan's title, or a plain name when no adopt-plan gave it one."""
        return self.title or "Strategic plan"

    @property
    def period_text(self) -> str:
        """`2021-01-01 – 2024-12-31`, `from 2027-01-01`, or '' when the plan has no period."""
        if self.start is None:
            return ""
        if self.until is None:
            return f"from {self.start.isoformat()}"
        return f"{self.start.isoformat()} – {self.until.isoformat()}"

    def steps(self) -> tuple[Step, ...]:
        """The steps of this plan's own period (its versions), oldest first."""
        return tuple(s for s in self.history if s.period == self.period)

    def assessments_of(self, objective_id: str) -> tuple[Assessment, ...]:
        """Every assessment of one objective, oldest first."""
        return tuple(a for a in self.assessments if a.objective == objective_id)

    def progress(self, objective_id: str) -> Assessment | None:
        """The latest assessment of an objective; None: not yet reviewed."""
        found = self.assessments_of(objective_id)
        return found[-1] if found else None

    def active_objectives(self) -> tuple[Objective, ...]:
        return tuple(o for g in self.active_goals() for o in g.objectives if not o.retired)

    def status_counts(self, goal: Goal | None = None) -> tuple[tuple[str | None, int], ...]:
        """(status, how many active objectives have it) for the whole plan or one goal, in
        the order of PROGRESS_STATUSES then "not yet reviewed" (None); zero counts left out."""
        objectives = (self.active_objectives() if goal is None
                      else tuple(o for o in goal.objectives if not o.retired))
        latest = [(a.status if (a := self.progress(o.id)) else None) for o in objectives]
        return tuple((s, latest.count(s)) for s in (*PROGRESS_STATUSES, None)
                     if latest.count(s))

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


def progress_entries(record: Record) -> list[tuple[int, str, str, str | None]]:
    """A review record's well-formed `progress` entries: (index, objective, status, note).
    Malformed entries are left out here; `govbot check` reports them (rules/checks.py)."""
    value = record.front.get("progress")
    out = []
    for index, item in enumerate(value if isinstance(value, list) else ()):
        if not isinstance(item, dict):
            continue
        objective, status, note = item.get("objective"), item.get("status"), item.get("note")
        if isinstance(objective, str) and status in PROGRESS_STATUSES:
            out.append((index, objective.strip(), str(status),
                        " ".join(note.split()) if isinstance(note, str) and note.strip()
                        else None))
    return out


@dataclass(frozen=True, slots=True)
class _Period:
    title: str | None
    start: dt.date | None
    until: dt.date | None
    adopted_by: int | None
    adopted_on: dt.date | None
    number: int


class _Folder:
    """Applies changes to a plan, collecting findings instead of raising."""

    def __init__(self, plan: Plan):
        # a working copy with indexes, so each change costs O(1) instead of O(plan size)
        self.goals = list(plan.goals)
        self.positions = {g.id: i for i, g in reversed(list(enumerate(self.goals)))}
        # objective id -> id of the goal that holds it (reversed: the first holder wins)
        self.owners = {o.id: g.id for g in reversed(self.goals) for o in reversed(g.objectives)}
        # each goal's objectives by id, in order: the goals above keep stale `objectives`
        # until plan() puts these back, so adding or changing one is O(1), not O(goal size)
        self.objs = {g.id: {o.id: o for o in g.objectives} for g in self.goals}
        self.findings: list[Finding] = []
        self.version = plan.version
        self.history = list(plan.history)
        self.assessments = list(plan.assessments)
        self.past = list(plan.past)
        self.period = _Period(plan.title, plan.start, plan.until, plan.adopted_by,
                              plan.adopted_on, plan.period)

    def plan(self) -> Plan:
        """The plan folded so far."""
        p = self.period
        goals = tuple(replace(g, objectives=tuple(self.objs.get(g.id, {}).values()))
                      for g in self.goals)
        return Plan(self.version, goals, tuple(self.history), title=p.title,
                    start=p.start, until=p.until, adopted_by=p.adopted_by,
                    adopted_on=p.adopted_on, period=p.number, past=tuple(self.past),
                    assessments=tuple(self.assessments))

    def goal(self, goal_id: str) -> Goal | None:
        """Same answer as Plan.goal on the plan folded so far."""
        position = self.positions.get(goal_id)
        return None if position is None else self.goals[position]

    def objective(self, objective_id: str) -> Objective | None:
        """Same answer as Plan.objective on the plan folded so far."""
        return self.objs.get(self.owners.get(objective_id, ""), {}).get(objective_id)

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

    def _retire_objectives(self, goal_id: str) -> None:
        held = self.objs.get(goal_id, {})
        for objective_id, objective in held.items():
            if not objective.retired:
                held[objective_id] = replace(objective, retired=True)

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
            known = [o for g in self.goals for o in self.objs.get(g.id, {})]
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
            if key == "from":
                continue  # a date, checked by _adopt
            if _text(change.args, key) is None:
                self.fail(record, change, f"{key!r} is required and must be non-empty text")
                ok = False
        if change.op == "edit-goal" and not any(k in change.args for k in optional):
            self.fail(record, change, "give a new 'title', a new 'rationale', or both")
            ok = False
        return ok

    def _adopt(self, record: Record, change: Change) -> str | None:
        """`adopt-plan`: a new plan period begins; the plan as it stood is kept as a past plan
        and every active goal not listed under `keep` retires with it."""
        args = change.args
        problems = []
        if change.index != 0:
            problems.append("adopt-plan must be the record's first change: the new plan "
                            "begins, then the other changes apply to it")
        start = as_date(args.get("from"))
        until = as_date(args.get("until")) if args.get("until") is not None else None
        if start is None:
            problems.append(f"'from' must be the date the plan period begins, as YYYY-MM-DD "
                            f"(got {args.get('from')!r})")
        if args.get("until") is not None and until is None:
            problems.append(f"'until' must be the date the plan period ends, as YYYY-MM-DD "
                            f"(got {args.get('until')!r})")
        if start and until and until < start:
            problems.append(f"the period ends ({until}) before it begins ({start})")
        current = self.period.start
        if start and current and start <= current:
            problems.append(f"the new plan must begin after the current one, which began on "
                            f"{current} (got from: {start})")
        keep = args.get("keep", [])
        active = [g.id for g in self.goals if not g.retired]
        if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
            problems.append("'keep' must be a list of goal ids, e.g. keep: [G1, G3]")
            keep = []
        for goal_id in keep:
            if goal_id not in active:
                problems.append(f"keep: goal {goal_id!r} is not an active goal of the current "
                                "plan" + did_you_mean(goal_id, active)
                                + (f"; the plan has {one_of(active)}" if active
                                   else "; the plan has no active goal to keep"))
        if problems:
            for problem in problems:
                self.fail(record, change, problem)
            return None
        rid = record.id or 0
        if self.goals or self.history:
            self.past.append(replace(self.plan(), past=(), replaced_by=rid,
                                     replaced_on=record.decided))
        for goal in [g for g in self.goals if not g.retired]:
            if goal.id in keep:
                self._set_goal(replace(goal, decisions=_added(goal.decisions, rid)))
            else:
                self._retire_objectives(goal.id)
                self._set_goal(replace(goal, retired=True,
                                       decisions=_added(goal.decisions, rid)))
        self.period = _Period(str(_text(args, "title")), start, until, rid, record.decided,
                              self.period.number + 1)
        return "major"

    def assess(self, record: Record) -> None:
        """A review record's `progress`: each objective must exist and be active in the plan
        folded so far; every other problem with an entry is `govbot check`'s."""
        seen: set[str] = set()
        for index, objective_id, status, note in progress_entries(record):
            line = record.line("progress", index)
            where = f"progress[{index}]: "
            objective = self.objective(objective_id)
            goal = self.goal(objective.goal) if objective is not None else None
            if objective is None or goal is None:
                known = [o.id for g in self.goals if not g.retired
                         for o in self.objs.get(g.id, {}).values() if not o.retired]
                self.findings.append(Finding(
                    record.path, line, where + f"objective {objective_id!r} does not exist in "
                    "the plan" + did_you_mean(objective_id, known)
                    + "; assess the objectives of the current plan (govbot plan lists them)",
                    "plan"))
            elif objective.retired or goal.retired:
                self.findings.append(Finding(
                    record.path, line, where + f"objective {objective_id} was retired; only "
                    "active objectives are assessed", "plan"))
            elif objective_id not in seen:
                seen.add(objective_id)
                self.assessments.append(Assessment(objective_id, status, note,
                                                   record.id or 0, record.decided))

    def apply(self, record: Record, change: Change) -> str | None:
        """Apply one change; return its bump ('major'/'minor') or None when it failed."""
        if not self._check_keys(record, change):
            return None
        args = change.args
        rid = record.id or 0
        if change.op == "adopt-plan":
            return self._adopt(record, change)
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
                self._retire_objectives(goal.id)
                self._set_goal(replace(goal, retired=True,
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
                used = list(self.objs.get(goal.id, {}))
                self.fail(record, change, f"objective {objective_id} already exists (ids are "
                          f"never reused); the next free id is {next_objective_id(goal, used)}")
                return None
            new = Objective(objective_id, goal.id, str(_text(args, "text")), decisions=(rid,))
            self.objs.setdefault(goal.id, {})[objective_id] = new
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
        self.objs[goal.id][objective.id] = new
        return "minor"


def next_objective_id(goal: Goal, used: Iterable[str] = ()) -> str:
    """The next objective id for a goal, never reusing a retired one."""
    numbers = [int(m["n"]) for o in goal.objectives if (m := OBJECTIVE_ID.match(o.id))]
    numbers += [int(m["n"]) for u in used if (m := OBJECTIVE_ID.match(u))]
    return f"{goal.id}.{max(numbers, default=0) + 1}"


def next_goal_id(plan: Plan) -> str:
    numbers = [int(m["n"]) for g in plan.goals if (m := GOAL_ID.match(g.id))]
    return f"G{max(numbers, default=0) + 1}"


def _take(folder: _Folder, record: Record) -> None:
    """Fold one record into `folder`: a plan record's changes (a step with the version it
    produced: bumped once, major when a goal is added, retired or re-titled or a new plan is
    adopted, minor for objective changes, none when every change failed), or a review
    record's progress."""
    if record.kind == "review":
        folder.assess(record)
        return
    if record.kind != "plan":
        return
    bumps = [folder.apply(record, change) for change in record.changes]
    major, minor = version = folder.version
    if "major" in bumps:
        version, bump = (major + 1, 0), "major"
    elif "minor" in bumps:
        version, bump = (major, minor + 1), "minor"
    else:
        bump = "none"
    folder.version = version
    folder.history.append(Step(record.id or 0, record.path, version, bump, record.changes,
                               folder.period.number, record.decided))


def apply_record(plan: Plan, record: Record) -> tuple[Plan, list[Finding]]:
    """Apply one record to `plan` (a new Plan; the input is unchanged): a plan record's
    changes, or a review record's progress assessments."""
    return apply_records(plan, [record])


def apply_records(plan: Plan, records: Iterable[Record]) -> tuple[Plan, list[Finding]]:
    """`apply_record` for each record in turn, each on the plan the one before produced, and
    every finding. One working copy for all of them (as `fold`): linear in the records, not
    records × plan size, with the same result as chaining `apply_record`."""
    folder = _Folder(plan)
    for record in records:
        _take(folder, record)
    return folder.plan(), folder.findings


def decided_order(records: Iterable[Record]) -> list[Record]:
    """Decided plan and review records in the order the fold applies them: `decided`, then
    `id` (a review assesses the plan as it stood when it was decided)."""
    chosen = [r for r in records if r.kind in ("plan", "review")
              and r.status in DECIDED and r.decided is not None]
    return sorted(chosen, key=lambda r: (r.decided, r.id or 0, r.path))


def fold(records: Sequence[Record], *, until: dt.date | None = None
         ) -> tuple[Plan, list[Finding]]:
    """The current plan from every decided plan record (and its progress from every decided
    review record), and the findings of changes that did not apply (each with the record and
    line that caused it). With `until`: the plan as it stood at the end of that day."""
    chosen = [r for r in decided_order(records)
              if until is None or (r.decided is not None and r.decided <= until)]
    return apply_records(Plan(), chosen)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def assessment_to_dict(assessment: Assessment) -> dict[str, Any]:
    return {"status": assessment.status, "note": assessment.note,
            "record": assessment.record, "decided": _iso(assessment.decided)}


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON-ready data (used by `govbot plan --format json` and the export):
    each objective with its latest assessment (`progress`, null: not yet reviewed) and every
    earlier one (`assessments`), and each past plan as it stood on its last day."""
    return {
        "version": plan.version_text,
        "title": plan.title, "from": _iso(plan.start), "until": _iso(plan.until),
        "adopted_by": plan.adopted_by, "adopted_on": _iso(plan.adopted_on),
        "replaced_by": plan.replaced_by, "replaced_on": _iso(plan.replaced_on),
        "goals": [
            {"id": g.id, "title": g.title, "rationale": g.rationale, "retired": g.retired,
             "decisions": list(g.decisions),
             "objectives": [{"id": o.id, "text": o.text, "retired": o.retired,
                             "decisions": list(o.decisions),
                             "progress": (assessment_to_dict(a) if (a := plan.progress(o.id))
                                          else None),
                             "assessments": [assessment_to_dict(x)
                                             for x in plan.assessments_of(o.id)]}
                            for o in g.objectives]}
            for g in plan.goals
        ],
        "history": [{"record": s.record, "version": s.version_text, "bump": s.bump,
                     "period": s.period, "decided": _iso(s.decided)} for s in plan.history],
        "past": [plan_to_dict(p) for p in plan.past],
    }
