"""Repository-wide record rules: unique ids, references, supersede cycles, and proposals that
must apply to the base plan. Pure: records in, findings out."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from govbot.model.findings import NOTICE, Finding
from govbot.model.plan import apply_records, fold
from govbot.model.records import Record
from govbot.model.vocab import DECIDED, FINAL, OPEN, is_int


def and_list(items: Sequence[str]) -> str:
    """`a, b and c` for messages."""
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _find_cycles(records: Sequence[Record]) -> Iterator[tuple[int, ...]]:
    """Cycles of the supersedes graph, each once, starting at its lowest id. One depth-first
    walk (linear time: a hostile pull request cannot make it hang)."""
    edges = {r.id: sorted({t for t in r.supersedes if t != r.id})
             for r in records if r.id is not None}
    state: dict[int, int] = {}  # 1: on the current path, 2: finished
    seen: set[tuple[int, ...]] = set()
    for root in sorted(edges):
        if root in state:
            continue
        state[root] = 1
        path = [root]
        stack = [iter(edges[root])]
        while stack:
            target = next(stack[-1], None)
            if target is None:
                stack.pop()
                state[path.pop()] = 2
            elif state.get(target) == 1:
                cycle = tuple(path[path.index(target):])
                low = cycle.index(min(cycle))
                cycle = cycle[low:] + cycle[:low]
                if cycle not in seen:
                    seen.add(cycle)
                    yield cycle
            elif target in edges and target not in state:
                state[target] = 1
                path.append(target)
                stack.append(iter(edges[target]))


def renumbered_at_merge(records: Sequence[Record], base: Sequence[Record] | None
                        ) -> dict[str, int]:
    """{path: the id it will get} for each proposed record of a pull request whose id a
    decided or closed record merged to the base meanwhile holds (DESIGN §2): publish renumbers it to
    the next free id at merge (`record.stamp`), so on the PR it is a notice, not an error.
    A record is the PR's when its text is not the base's; only a collision with exactly one
    decided base record, by exactly one of the PR's proposed records, is renumbered —
    anything else stays a duplicate to fix."""
    if base is None:
        return {}
    on_base = {r.path: r.text for r in base}
    by_id: dict[int, list[Record]] = {}
    for record in records:
        if record.id is not None:
            by_id.setdefault(record.id, []).append(record)
    free = max(by_id, default=0) + 1
    out: dict[str, int] = {}
    for number in sorted(by_id):
        group = by_id[number]
        mine = [r for r in group if on_base.get(r.path) != r.text]
        theirs = [r for r in group if on_base.get(r.path) == r.text]
        if len(mine) == 1 and len(theirs) == 1 and mine[0].status == "proposed" and \
                theirs[0].status in (*FINAL, "withdrawn"):
            out[mine[0].path] = free
            free += 1
    return out


def _reference_findings(records: Sequence[Record], base: Sequence[Record] | None = None
                        ) -> Iterator[Finding]:
    renumbered = renumbered_at_merge(records, base)
    by_id: dict[int, list[Record]] = {}
    for record in records:
        if record.id is not None:
            by_id.setdefault(record.id, []).append(record)
    free = max(by_id, default=0) + 1 + len(renumbered)
    for path, new in sorted(renumbered.items()):
        record = next(r for r in records if r.path == path)
        held = next(r.path for r in by_id[record.id or 0] if r.path != path)
        yield Finding(path, record.line("id"), f"id: {record.id} is also used by {held}, "
                      f"merged meanwhile; nothing to do: this record will be renumbered to "
                      f"{new} at merge (and references to it in this pull request follow)",
                      "repository", NOTICE)
    for number, group in by_id.items():
        if any(r.path in renumbered for r in group):
            continue
        for record in group if len(group) > 1 else ():
            paths = [r.path for r in group if r is not record]
            others = and_list(paths if len(paths) <= 3 else
                              [*paths[:2], f"{len(paths) - 2} other records"])
            yield Finding(record.path, record.line("id"), f"id: {number} is also used by "
                          f"{others}; give this record the next free id, {free}", "repository")
    for record in records:
        for key in ("supersedes", "related"):
            targets = record.front.get(key)
            for index, target in enumerate(targets if isinstance(targets, list) else ()):
                if not is_int(target) or target == record.id:
                    continue
                line = record.line(key, index)
                if target not in by_id:
                    yield Finding(record.path, line, f"{key}[{index}]: there is no record "
                                  f"{target}; check the id", "repository")
                elif key == "supersedes" and record.status in (*OPEN, *DECIDED):
                    problem = _supersede_problem(record, by_id[target][0])
                    if problem:
                        yield Finding(record.path, line, f"{key}[{index}]: {problem}",
                                      "repository")
        if record.status == "superseded" and record.superseded_by is not None:
            newer = by_id.get(record.superseded_by, [None])[0]
            line = record.line("superseded_by")
            if newer is None:
                yield Finding(record.path, line, f"superseded_by: there is no record "
                              f"{record.superseded_by}", "repository")
            elif record.id not in newer.supersedes:
                yield Finding(record.path, line, f"superseded_by: record {newer.id} does not "
                              f"list {record.id} under supersedes", "repository")
    by_number = {r.id: r for r in records if r.id is not None}
    for cycle in _find_cycles(records):
        text = " → ".join(str(n) for n in (*cycle, cycle[0]))
        for number in cycle:
            member = by_number[number]
            yield Finding(member.path, member.line("supersedes"), f"supersedes: records {text} "
                          "supersede each other in a circle; remove one of the links",
                          "repository")


def _supersede_problem(record: Record, target: Record) -> str | None:
    if target.status == "accepted" or target.status is None:
        return None
    if target.status == "superseded":
        if target.superseded_by == record.id:
            return None
        return (f"record {target.id} is already superseded by record {target.superseded_by}; "
                "supersede that record instead")
    return f"record {target.id} is {target.status}; only an accepted record can be superseded"


class _LastBase:
    """What depends on the base records alone, kept for the last base seen: a sweep judges
    every PR against the same records (one tuple, read once per run), so the base is
    folded and checked once per run, not once per PR. Only a tuple is kept (it cannot
    change behind the cache's back; Records are frozen)."""

    def __init__(self) -> None:
        self.base: tuple[Record, ...] | None = None
        self.fold: tuple[Any, list[Finding]] | None = None
        self.findings: list[Finding] | None = None

    def of(self, base: Sequence[Record]) -> _LastBase | None:
        if not isinstance(base, tuple):
            return None
        if self.base is not base:
            self.base, self.fold, self.findings = base, None, None
        return self


_LAST = _LastBase()


def _base_fold(base: Sequence[Record]) -> tuple[Any, list[Finding]]:
    """fold(base), once per base tuple (a copy of its findings each time)."""
    kept = _LAST.of(base)
    if kept is None:
        return fold(base)
    if kept.fold is None:
        kept.fold = fold(base)
    return kept.fold[0], list(kept.fold[1])


def _plan_findings(records: Sequence[Record], base: Sequence[Record] | None) -> list[Finding]:
    head_plan, findings = _base_fold(records) if records is base else fold(records)
    plan = _base_fold(base)[0] if base is not None else head_plan
    # open plan proposals, and open reviews' progress, are checked against the base plan
    pending = [r for r in records if r.kind in ("plan", "review") and r.status in OPEN]
    findings.extend(apply_records(plan, sorted(pending, key=lambda r: (r.id or 0, r.path)))[1])
    return findings


def repository_findings(records: Sequence[Record],
                         base: Sequence[Record] | None) -> list[Finding]:
    """Findings about the tree as a whole; proposals are applied to the plan of `base`.
    The base's own findings (`records` is `base`) are worked out once per base tuple."""
    kept = _LAST.of(base) if base is not None and records is base else None
    if kept is not None and kept.findings is not None:
        return list(kept.findings)
    found = [*_reference_findings(records, base), *_plan_findings(records, base)]
    if kept is not None:
        kept.findings = list(found)
    return found
