"""Markdown tables for bench/README.md from run.py's JSON results.

    python bench/report.py bench/results.json [bench/results-before.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _ms(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value * 1000:,.0f} ms" if value < 10 else f"{value:,.1f} s"


def results_table(result: dict[str, Any]) -> str:
    """Every interleaved comparison: govbot, peer or floor, median per-pair ratio (min–max)."""
    lines = ["| measurement | N | govbot | peer / floor | ratio (min–max) | pairs | goal | met "
             "| µs/record |",
             "| --- | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |"]
    for r in result["rows"]:
        peer = f"{_ms(r['peer_s'])} ({r['peer']})" if r["peer_s"] else (r["note"] or "—")
        ratio = (f"{r['ratio']:.2f}× ({r['ratio_min']:.2f}–{r['ratio_max']:.2f})"
                 if r.get("ratio") else "—")
        goal = f"≤ {r['goal']:g}×" if r["goal"] else "—"
        if r["goal"] == 1.0:
            goal = "< 1×"
        met = {True: "yes", False: "**no**", None: "—"}[r["met"]]
        per = f"{r['per_record_us']:,.0f}" if r["per_record_us"] else "—"
        lines.append(f"| {r['measurement']} | {r['n'] or ''} | {_ms(r['govbot_s'])} | {peer} "
                     f"| {ratio} | {r.get('pairs', '')} | {goal} | {met} | {per} |")
    return "\n".join(lines)


def scale_table(result: dict[str, Any]) -> str:
    """Time and peak RSS of one fresh process each, per size."""
    lines = ["| records | floor | check | render | site | feed entries |",
             "| ---: | ---: | ---: | ---: | ---: | ---: |"]

    def cell(s: dict[str, Any], name: str) -> str:
        if s.get(f"{name}_s") is None:
            return "n/a"
        return f"{_ms(s[f'{name}_s'])}, {s[f'{name}_mib']:,.0f} MiB"

    for s in result.get("scale", []):
        lines.append(f"| {s['n']:,} | {cell(s, 'floor')} | {cell(s, 'check')} "
                     f"| {cell(s, 'render')} | {cell(s, 'site')} "
                     f"| {s.get('feed_entries') if s.get('feed_entries') is not None else '—'} |")
    return "\n".join(lines)


def goals_table(result: dict[str, Any]) -> str:
    """Issue 13's goals: measured value, limit, met or missed and by how much."""
    lines = ["| goal | N | measured (min–max) | met |", "| --- | ---: | ---: | --- |"]
    for g in result.get("goals", []):
        value = g["value"]
        if value is None:
            measured, met = "not measured", "—"
        elif "feed" in g["goal"]:
            measured, met = f"{value} entries", "yes" if g["met"] else "**no**"
        else:
            span = f" ({g['range'][0]:.2f}–{g['range'][1]:.2f})" if g["range"] else ""
            measured = f"{value:.2f}×{span}"
            met = ("yes" if g["met"] else
                   f"**no**, missed by {value / g['limit'] - 1:.0%}")
        lines.append(f"| {g['goal']} | {g['n']:,} | {measured} | {met} |")
    return "\n".join(lines)


def requests_table(result: dict[str, Any]) -> str:
    """The request budget, requests per event and per sweep (bench/requests_budget.py)."""
    import requests_budget

    budget = result["requests"]
    if "status" in budget or "events" not in budget:
        return f"GitHub API requests: {budget.get('status', 'an older results file')}"
    if isinstance(budget.get("publish"), dict):  # JSON made the record counts strings
        budget = {**budget, "publish": {int(k) if str(k).isdigit() else k: v
                                        for k, v in budget["publish"].items()}}
    return requests_budget.table(budget)


def before_after(before: dict[str, Any], after: dict[str, Any]) -> str:
    """check rows of a run before the fixes against the current run."""
    def index(result: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
        return {(r["measurement"], r["n"]): r for r in result["rows"]
                if r["measurement"].startswith("check")}

    old, new = index(before), index(after)
    lines = ["| measurement | N | before | after | ratio to floor before → after |",
             "| --- | ---: | ---: | ---: | --- |"]
    for key in sorted(old, key=lambda k: (k[1], k[0])):
        if key in new and old[key]["govbot_s"] and new[key]["govbot_s"]:
            o, n = old[key], new[key]
            lines.append(f"| {key[0]} | {key[1]} | {_ms(o['govbot_s'])} | {_ms(n['govbot_s'])} "
                         f"| {o['ratio']:.2f}× → {n['ratio']:.2f}× |")
    mem_old, mem_new = before.get("memory_mib", {}), after.get("memory_mib", {})
    if mem_old.get("check") and mem_new.get("check"):
        lines.append(f"| peak RSS of check | {mem_new['n']} | {mem_old['check']:.0f} MiB "
                     f"| {mem_new['check']:.0f} MiB | floor {mem_new['floor']:.0f} MiB |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    after = json.loads(Path(argv[0]).read_text())
    machine = after.get("machine", {})
    print(f"Command: `{after.get('command', 'python bench/run.py')}`; {machine.get('cpus')} "
          f"cores, Python {machine.get('python')}, load average (1/5/15 min) "
          f"{'/'.join(f'{x:.1f}' for x in machine.get('load_before', []))} before, "
          f"{'/'.join(f'{x:.1f}' for x in machine.get('load_after', []))} after.", end="\n\n")
    print(goals_table(after), end="\n\n")
    print(results_table(after), end="\n\n")
    print(scale_table(after), end="\n\n")
    print(requests_table(after), end="\n\n")
    imports = after.get("imports", {})
    for command, info in imports.items():
        print(f"- `govbot {command}`: imports PyGithub: {info['imports_pygithub']}; "
              f"govbot.cli import {info['govbot_cli_import_ms']:.0f} ms; heavy imports: "
              f"{', '.join(info['heavy']) or 'none'}")
    if len(argv) > 1:
        print()
        print(before_after(json.loads(Path(argv[1]).read_text()), after))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
