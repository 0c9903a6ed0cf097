"""Deterministic synthetic governance repositories for the benchmarks (DESIGN §2, §4).

`generate(n, seed)` returns `{path: bytes}` for a repository with `governance.yml` and `n`
decision records in the exact format of the example in this repository: bodies of 1–3 KB
with Context / Decision / Consequences, every kind and status, supersede chains, and
bot-owned fields (`decided`, `pr`, `votes`, `superseded_by`) on decided records with votes
that satisfy the voting rules. Decided plan records fold into a plan with dozens of goals
and hundreds of objectives; the changes of undecided plan records apply to that plan.

    python bench/synth.py 1000 /tmp/gov-1000      # write a repository
"""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
from pathlib import Path

from synth_text import (
    goal_rationale,
    goal_title,
    objective_text,
    paragraphs,
    record_title,
    wrap,
)

from govbot.model.records import record_path, slugify

START = dt.date(2021, 1, 4)
END = dt.date(2025, 12, 15)
# login, numeric id, name, role, from, until (None: open term)
COMMITTEE = (
    ("amara-osei", 3184562, "Amara Osei", "chair", "2021-01-01", None),
    ("jvandenberg", 918273, "Joost van den Berg", "member", "2021-01-01", None),
    ("priya-raman", 22604519, "Priya Raman", "member", "2021-01-01", None),
    ("lfontaine", 5540127, "Lucie Fontaine", "member", "2021-01-01", "2024-06-30"),
    ("dkowalczyk", 14093385, "Dawid Kowalczyk", "member", "2021-01-01", "2027-12-31"),
    ("sofia-mendes", 41177026, "Sofia Mendes", "member", "2021-01-01", None),
    ("hnakamura", 67281904, "Hiroshi Nakamura", "member", "2024-07-01", None),
)
# kind: (quorum, threshold, min_approvals, review days, veto) — as in governance.yml below
RULES = {
    "plan": (0.5, "majority", 2, 7, False),
    "policy": (0.5, "majority", 2, 3, False),
    "governance": (0.75, "2/3", 3, 14, True),
    "review": (0.5, "majority", 1, 0, False),
}
GOVERNANCE_YML = """\
# governance.yml: a synthetic steering committee for the benchmarks (bench/synth.py).
committee:
{members}
rules:
  plan:       {quorum: 0.5,  threshold: majority, min_approvals: 2, review_period: 7d,  veto: false}
  policy:     {quorum: 0.5,  threshold: majority, min_approvals: 2, review_period: 3d,  veto: false}
  governance: {quorum: 0.75, threshold: 2/3,      min_approvals: 3, review_period: 14d, veto: true}
  review:     {quorum: 0.5,  threshold: majority, min_approvals: 1, review_period: 0d,  veto: false}
author: approves
stale_approvals: content
tie_breaker: chair
protected_paths:
  governance: [governance.yml, .github/**, templates/**]
review_cycle: 12 months
bot: github-actions[bot]
"""
ADOPTED_GOALS = 24
DECIDED = ("accepted", "superseded", "retired")


def governance_yml() -> str:
    """The synthetic repository's governance.yml (same rules as the example repository)."""
    lines = []
    for login, uid, name, role, start, until in COMMITTEE:
        lines += [f"  - login: {login}", f"    id: {uid}", f"    name: {name}",
                  f"    role: {role}", f"    from: {start}"]
        if until:
            lines.append(f"    until: {until}")
    return GOVERNANCE_YML.replace("{members}", "\n".join(lines))


def seated(on: dt.date) -> list[str]:
    """Logins of the members seated on a date."""
    return [c[0] for c in COMMITTEE
            if dt.date.fromisoformat(c[4]) <= on
            and (c[5] is None or on <= dt.date.fromisoformat(c[5]))]


class _Plan:
    """The generator's own model of the plan, to emit changes that always apply."""

    def __init__(self) -> None:
        self.goals: dict[str, dict[str, object]] = {}  # id -> {live, next, objectives}
        self.objectives: dict[str, bool] = {}  # id -> live
        self.next_goal = 1

    def live_goals(self) -> list[str]:
        return [g for g, v in self.goals.items() if v["live"]]

    def live_objectives(self) -> list[str]:
        return [o for o, live in self.objectives.items() if live]

    def new_goal(self) -> str:
        goal = f"G{self.next_goal}"
        self.next_goal += 1
        self.goals[goal] = {"live": True, "next": 1}
        return goal

    def new_objective(self, goal: str) -> str:
        number = int(str(self.goals[goal]["next"]))
        self.goals[goal]["next"] = number + 1
        objective = f"{goal}.{number}"
        self.objectives[objective] = True
        return objective

    def retire_goal(self, goal: str) -> None:
        self.goals[goal]["live"] = False
        for objective in self.objectives:
            if objective.split(".")[0] == goal:
                self.objectives[objective] = False


def _change_lines(op: str, args: list[tuple[str, str]]) -> list[str]:
    out = [f"  - op: {op}"]
    for key, value in args:
        if key == "rationale":
            out.append(f"    {key}: >-")
            out += [f"      {line}" for line in wrap(value, 88)]
        else:
            out.append(f"    {key}: {value}")
    return out


def _plan_ops(rng: random.Random, plan: _Plan, count: int, proposal: bool) -> list[str]:
    """`count` change operations valid against `plan` (mutating it, as the fold will).

    Proposals (undecided records) only add and edit, so that every one of them applies to
    the final plan independently of the others."""
    out: list[str] = []
    for _ in range(count):
        goals, objectives = plan.live_goals(), plan.live_objectives()
        roll = rng.random()
        if (roll < 0.06 and not proposal) or not goals:
            goal = plan.new_goal()
            out += _change_lines("add-goal", [("goal", goal), ("title", goal_title(rng)),
                                              ("rationale", goal_rationale(rng))])
        elif roll < 0.07 and not proposal and len(goals) > 12:
            goal = rng.choice(goals)
            plan.retire_goal(goal)
            out += _change_lines("retire-goal", [("goal", goal)])
        elif roll < 0.15:
            out += _change_lines("edit-goal", [("goal", rng.choice(goals)),
                                               ("rationale", goal_rationale(rng))])
        elif roll < 0.55 or len(objectives) < 10:
            goal = rng.choice(goals)
            objective = plan.new_objective(goal)
            plan.objectives[objective] = not proposal  # proposals never build on each other
            out += _change_lines("add-objective", [("goal", goal), ("objective", objective),
                                                   ("text", objective_text(rng))])
        elif roll < 0.62 and not proposal:
            objective = rng.choice(objectives)
            plan.objectives[objective] = False
            out += _change_lines("retire-objective", [("objective", objective)])
        else:
            out += _change_lines("edit-objective", [("objective", rng.choice(objectives)),
                                                    ("text", objective_text(rng))])
    return out


def _status(rng: random.Random, index: int, n: int) -> str:
    if index == 1:
        return "accepted"
    if index > n - max(2, n // 50):  # the newest records are still open
        return rng.choice(("proposed", "proposed", "draft"))
    return rng.choices(("accepted", "rejected", "expired", "withdrawn", "draft"),
                       (84, 5, 3, 6, 2))[0]


def _kind(rng: random.Random, index: int, created: dt.date, last_review: list[int]) -> str:
    if index == 1:
        return "plan"
    if created.year > last_review[0] and created.month == 1:
        last_review[0] = created.year
        return "review"
    return rng.choices(("plan", "policy", "governance", "review"), (55, 30, 13, 2))[0]


def _votes(rng: random.Random, kind: str, author: str, created: dt.date,
           decided: dt.date) -> list[str]:
    """Votes that carry the decision under its rule, cast while the voter was seated."""
    quorum, threshold, min_approvals, _, veto = RULES[kind]
    electorate = seated(decided)
    eligible = [m for m in electorate if m in seated(created)]  # seated while voting too
    needed = max(math.ceil(quorum * len(electorate)), min_approvals)
    voters = [author] if author in eligible else []
    others = [m for m in eligible if m not in voters]
    rng.shuffle(others)
    voters += others[:max(0, rng.randint(needed, len(eligible)) - len(voters))]
    votes = ["approve"] * len(voters)
    if len(voters) > min_approvals + 1:  # room for dissent without changing the outcome
        votes[-1] = "abstain" if veto or threshold != "majority" else rng.choice(
            ("approve", "object", "abstain"))
    commit = f"{rng.getrandbits(160):040x}"
    days = max(1, (decided - created).days)
    stamps = sorted(rng.randrange(days * 86400 - 3600) for _ in voters)
    out = []
    for member, vote, seconds in zip(voters, votes, stamps, strict=True):
        at = dt.datetime(created.year, created.month, created.day) + dt.timedelta(
            seconds=seconds)
        out.append(f"  - {{member: {member}, vote: {vote}, "
                   f"at: '{at:%Y-%m-%dT%H:%M:%SZ}', commit: {commit}}}")
    return out


def _ids(values: list[int]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


def generate(n: int, seed: int = 2021) -> dict[str, bytes]:
    """A governance repository with `n` decision records, as `{path: bytes}` (sorted)."""
    rng = random.Random(f"govbot-bench-{seed}-{n}")
    span = (END - START).days
    plan = _Plan()
    meta: list[dict[str, object]] = []
    last_review = [START.year]
    retired = False  # at least one record is retired, even in small repositories
    chains: list[int] = []  # heads of supersede chains (accepted policy/governance ids)
    for index in range(1, n + 1):
        created = START + dt.timedelta(days=span * (index - 1) // n)
        kind = _kind(rng, index, created, last_review)
        status = _status(rng, index, n)
        review_days = RULES[kind][3]
        decided = created + dt.timedelta(days=8 if kind == "plan" else
                                         review_days + 1 + rng.randrange(4))
        author = rng.choice(seated(created))
        related = sorted(rng.sample(range(1, index), k=min(index - 1, rng.randrange(3))))
        item: dict[str, object] = {"id": index, "kind": kind, "status": status,
                                   "created": created, "decided": decided, "author": author,
                                   "related": related, "supersedes": [], "ops": []}
        if kind == "plan" and status in DECIDED:
            count = ADOPTED_GOALS if index == 1 else rng.choice((1, 1, 2, 2, 3))
            if index == 1:
                ops: list[str] = []
                for _ in range(count):
                    goal = plan.new_goal()
                    ops += _change_lines("add-goal", [("goal", goal),
                                                      ("title", goal_title(rng)),
                                                      ("rationale", goal_rationale(rng))])
                    for _ in range(rng.randint(4, 8)):
                        ops += _change_lines("add-objective", [
                            ("goal", goal), ("objective", plan.new_objective(goal)),
                            ("text", objective_text(rng))])
                item["ops"] = ops
            else:
                item["ops"] = _plan_ops(rng, plan, count, proposal=False)
        if kind in ("policy", "governance") and status == "accepted":
            ripe = [c for c in chains if meta[c - 1]["decided"] < created]  # type: ignore[operator]
            if ripe and rng.random() < 0.35:
                old = rng.choice(ripe)
                item["supersedes"] = [old]
                meta[old - 1]["status"] = "superseded"
                meta[old - 1]["superseded_by"] = index
                chains.remove(old)
            elif ripe and (rng.random() < 0.05 or (not retired and index > n // 2)):
                retired = True
                old = rng.choice(ripe)
                meta[old - 1]["status"] = "retired"
                item["related"] = sorted({*related, old})  # type: ignore[misc]
                chains.remove(old)
            chains.append(index)
        meta.append(item)
    for item in meta:  # undecided plan records propose changes to the final plan
        if item["kind"] == "plan" and item["status"] not in DECIDED:
            item["ops"] = _plan_ops(rng, plan, rng.choice((1, 1, 2)), proposal=True)
    files = {"governance.yml": governance_yml().encode()}
    for item in meta:
        path, text = _record(rng, item)
        files[path] = text.encode()
    return dict(sorted(files.items()))


def _record(rng: random.Random, item: dict[str, object]) -> tuple[str, str]:
    index, kind, status = int(str(item["id"])), str(item["kind"]), str(item["status"])
    created, decided = item["created"], item["decided"]
    assert isinstance(created, dt.date)
    assert isinstance(decided, dt.date)
    title = record_title(rng, kind, index)
    front = [f"id: {index}", f"title: {title}", f"kind: {kind}", f"status: {status}",
             f"created: {created}", f"authors: [{item['author']}]"]
    if item["supersedes"]:
        front.append(f"supersedes: {_ids(item['supersedes'])}")  # type: ignore[arg-type]
    if item["related"]:
        front.append(f"related: {_ids(item['related'])}")  # type: ignore[arg-type]
    if kind == "plan":
        front += ["changes:", *item["ops"]]  # type: ignore[misc]
    if status in DECIDED:
        front += [f"decided: {decided}", f"pr: {index * 2 + 1}", "votes:",
                  *_votes(rng, kind, str(item["author"]), created, decided)]
        if "superseded_by" in item:
            front.append(f"superseded_by: {item['superseded_by']}")
    body = paragraphs(rng)
    text = "---\n" + "\n".join(front) + "\n---\n" + body
    return record_path(index, slugify(title)), text


def write_repo(root: Path, n: int, seed: int = 2021) -> Path:
    """Write a synthetic repository to `root` (created; must not hold other records)."""
    for path, data in generate(n, seed).items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


if __name__ == "__main__":
    write_repo(Path(sys.argv[2]), int(sys.argv[1]))
    print(f"wrote {sys.argv[1]} records to {sys.argv[2]}")
