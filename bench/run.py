"""Run every govbot benchmark and print a table: `python bench/run.py [--quick]`.

Each figure is a ratio taken side by side in the same run, as the median of several repeats:
govbot against a floor (PyYAML's C loader on the same files) or a peer (towncrier). Commands
that do not exist yet are reported as "n/a (command missing)". Nothing here fails on speed.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import peers  # noqa: E402
import requests_budget  # noqa: E402
import synth  # noqa: E402
import timing  # noqa: E402
from timing import GOVBOT, PYTHON, Comparison, Timing  # noqa: E402

Row = dict[str, Any]


def _commands() -> set[str]:
    from govbot.cli.main import main

    return set(getattr(main, "commands", {}))


def _cli(args: list[str]) -> Callable[[], Any]:
    """In-process call of the govbot CLI (click's runner), for the warm, no-start-up figure."""
    from click.testing import CliRunner

    from govbot.cli.main import main

    runner = CliRunner()

    def call() -> Any:
        result = runner.invoke(main, args, catch_exceptions=False)
        if result.exit_code not in (0, 1):
            raise RuntimeError(f"govbot {' '.join(args)} exited {result.exit_code}: "
                               f"{result.output[-300:]}")
        return result

    return call


def row(name: str, n: int | None, comparison: Comparison, peer_name: str,
        goal: float | None) -> Row:
    """One result: govbot's median, the peer's, the median of the per-pair ratios with their
    min–max, and whether the goal is met (by the median ratio)."""
    govbot, peer = comparison.a, comparison.b
    ratios = comparison.ratios
    ratio = comparison.ratio
    return {"measurement": name, "n": n, "govbot_s": govbot.seconds, "peer": peer_name,
            "peer_s": peer.seconds, "ratio": ratio,
            "ratio_min": min(ratios) if ratios else None,
            "ratio_max": max(ratios) if ratios else None, "pairs": len(ratios), "goal": goal,
            "met": None if ratio is None or goal is None else ratio <= goal,
            "per_record_us": govbot.seconds / n * 1e6 if govbot.seconds and n else None,
            "note": govbot.note or peer.note, "samples": govbot.samples,
            "peer_samples": peer.samples, "ratios": ratios}


AVAILABLE: set[str] = set()  # commands the CLI has (filled in by main)


def missing(name: str, n: int | None, peer_name: str, goal: float | None) -> Row:
    command = name.split()[0]
    note = "skipped (--only)" if command in AVAILABLE else "n/a (command missing)"
    return row(name, n, Comparison(Timing(None, note=note), Timing(None)), peer_name, goal)


CHECK_GOAL = 1.3  # check ≤ 1.3× the parse floor (time), ≤ 2× its peak memory, at 10,000
RENDER_GOAL = 2.0  # render ≤ 2× towncrier at 10,000
SITE_GOAL = 1.0  # site faster than MkDocs on the same N
MEMORY_GOAL = 2.0


def bench_size(n: int, work: Path, pairs: int, commands: set[str]) -> list[Row]:
    """check, render and site on one synthetic repository of n records against their floor
    or peer, each pair interleaved (A B B A …) in the same run."""
    files = synth.generate(n)
    repo = work / f"repo-{n}"
    if not repo.exists():
        synth.write_repo(repo, n)
    warmup = 1 if n < 10000 else 0  # the files were just written: already in the page cache
    rows: list[Row] = []
    floor_proc = timing.process_runner([PYTHON, "-c", timing.FLOOR_SOURCE, str(repo)])
    floor_core = timing.call_runner(lambda: timing.floor_parse(repo))
    if "check" in commands:
        check = ["check", "--repo", str(repo)]
        rows.append(row("check (process)", n, timing.interleaved(
            timing.process_runner([*GOVBOT, *check], ok=(0, 1)), floor_proc, pairs, warmup),
            "CSafeLoader floor (process)", CHECK_GOAL))
        rows.append(row("check (in-process)", n, timing.interleaved(
            timing.call_runner(_cli(check)), floor_core, pairs, warmup),
            "CSafeLoader floor (in-process)", CHECK_GOAL))
    else:
        rows.append(missing("check (process)", n, "CSafeLoader floor", CHECK_GOAL))
    if "render" in commands:
        towncrier = peers.towncrier_project(work / f"towncrier-{n}", files)
        tc_exe = Path(PYTHON).parent / "towncrier"
        tc = timing.process_runner([str(tc_exe), "build", "--draft", "--version", "1.0",
                                    "--date", "2025-12-31"], cwd=towncrier)
        rows.append(row("render (process)", n, timing.interleaved(
            timing.process_runner([*GOVBOT, "render", "--repo", str(repo)]), tc, pairs, warmup)
            if tc_exe.exists() else Comparison(Timing(None, note="towncrier not installed"),
                                               Timing(None)),
            "towncrier build --draft (process)", RENDER_GOAL))
    else:
        rows.append(missing("render (process)", n, "towncrier build --draft", RENDER_GOAL))
    if "site" in commands:
        mkdocs = peers.mkdocs_project(work / f"mkdocs-{n}", files)
        mk_exe = Path(PYTHON).parent / "mkdocs"
        mk = timing.process_runner([str(mk_exe), "build", "--quiet", "--site-dir",
                                    str(work / "mkdocs-site")], cwd=mkdocs)
        site = ["site", "--repo", str(repo), "--out", str(work / "site")]
        rows.append(row("site (process)", n, timing.interleaved(
            timing.process_runner([*GOVBOT, *site]), mk, pairs, warmup)
            if mk_exe.exists() else Comparison(Timing(None, note="mkdocs not installed"),
                                               Timing(None)),
            "mkdocs build, same records (process)", SITE_GOAL))
    else:
        rows.append(missing("site (process)", n, "mkdocs build", SITE_GOAL))
    for leftover in ("site", "mkdocs-site", f"mkdocs-{n}", f"towncrier-{n}"):
        shutil.rmtree(work / leftover, ignore_errors=True)
    return rows


def bench_tally(work: Path, pairs: int, commands: set[str]) -> list[Row]:
    """`govbot tally` on a snapshot with 1,000 reviews and 1,000 comments."""
    if "tally" not in commands:
        return [missing("tally 1,000 reviews + 1,000 comments", 2000, "json.load floor", None)]
    files = synth.generate(100)
    repo = synth.write_repo(work / "tally-repo", 100)
    snap = peers.write_snapshot(work / "snapshot.json", files, 1000, 1000)
    args = ["tally", "--snapshot", str(snap), "--repo", str(repo), "--format", "json",
            "--now", "2026-01-15T00:00:00Z"]
    floor = [PYTHON, "-c", "import json,sys; json.load(open(sys.argv[1]))", str(snap)]
    return [row("tally 1,000 reviews + 1,000 comments (process)", 2000, timing.interleaved(
        timing.process_runner([*GOVBOT, *args]), timing.process_runner(floor), pairs),
        "json.load of the snapshot (process)", None)]


def bench_startup(pairs: int) -> tuple[list[Row], dict[str, Any]]:
    """`govbot --help` and `govbot check` on the example repository, and what they import."""
    bare = timing.process_runner([PYTHON, "-c", "pass"])
    rows = [row("start-up: govbot --help", None, timing.interleaved(
                timing.process_runner([*GOVBOT, "--help"]), bare, pairs),
                "bare `python -c pass`", None),
            row("start-up: govbot check (example repo)", None, timing.interleaved(
                timing.process_runner([*GOVBOT, "check", "--repo", str(ROOT)], ok=(0, 1, 2)),
                bare, pairs), "bare `python -c pass`", None)]
    imports: dict[str, Any] = {}
    for label, argv in (("--help", ["--help"]), ("check", ["check", "--repo", str(ROOT)])):
        modules, cli_ms = timing.imported_modules(argv)
        imports[label] = {"imports_pygithub": "github" in modules, "govbot_cli_import_ms": cli_ms,
                          "heavy": sorted(modules & {"github", "requests", "jinja2",
                                                     "jsonschema", "urllib3"})}
    return rows, imports


def bench_scale(n: int, work: Path, commands: set[str]) -> dict[str, Any]:
    """One fresh process each of the floor, check, render and site at n records: wall time
    and peak RSS (VmHWM, MiB), and how many entries the site's feed holds."""
    repo = work / f"repo-{n}"
    if not repo.exists():
        synth.write_repo(repo, n)
    out: dict[str, Any] = {"n": n}
    out["floor_s"], out["floor_mib"] = timing.timed_peak([str(repo)], floor=True)
    for name, args in (("check", ["check", "--repo", str(repo)]),
                       ("render", ["render", "--repo", str(repo)]),
                       ("site", ["site", "--repo", str(repo), "--out", str(work / "site")])):
        out[f"{name}_s"], out[f"{name}_mib"] = (timing.timed_peak(args) if name in commands
                                                else (None, None))
    feed = work / "site" / "feed.xml"
    out["feed_entries"] = feed.read_text().count("<entry>") if feed.exists() else None
    shutil.rmtree(work / "site", ignore_errors=True)
    return out


def _fmt_s(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def table(rows: list[Row]) -> str:
    """The results as a fixed-width text table."""
    head = (f"{'measurement':<42} {'N':>6} {'govbot':>9} {'peer/floor':>10} "
            f"{'ratio (min-max)':>19} {'goal':>6} {'met':>4} {'µs/rec':>7}  note")
    lines = [head, "-" * len(head)]
    for r in rows:
        ratio = (f"{r['ratio']:.2f}x ({r['ratio_min']:.2f}-{r['ratio_max']:.2f})"
                 if r["ratio"] else "-")
        goal = f"≤{r['goal']:g}x" if r["goal"] else "-"
        met = {True: "yes", False: "NO", None: "-"}[r["met"]]
        per = f"{r['per_record_us']:.0f}" if r["per_record_us"] else "-"
        lines.append(f"{r['measurement']:<42} {r['n'] or '':>6} {_fmt_s(r['govbot_s']):>9} "
                     f"{_fmt_s(r['peer_s']):>10} {ratio:>19} {goal:>6} {met:>4} {per:>7}  "
                     f"{r['note']}")
    return "\n".join(lines)


def goals(rows: list[Row], scale: list[dict[str, Any]], at: int = 10000) -> list[dict[str, Any]]:
    """Issue 13's goals: measured, met or missed and by how much (None: not measured)."""
    by = {(r["measurement"], r["n"]): r for r in rows}
    out: list[dict[str, Any]] = []

    def ratio_goal(text: str, key: str, n: int, goal: float) -> None:
        r = by.get((key, n))
        value = r["ratio"] if r else None
        out.append({"goal": text, "n": n, "value": value,
                    "range": [r["ratio_min"], r["ratio_max"]] if r and value else None,
                    "met": None if value is None else value <= goal, "limit": goal})

    ratio_goal(f"check ≤ {CHECK_GOAL}× the parse floor (process)", "check (process)", at,
               CHECK_GOAL)
    ratio_goal(f"check ≤ {CHECK_GOAL}× the parse floor (in-process)", "check (in-process)", at,
               CHECK_GOAL)
    big = next((s for s in scale if s["n"] == at), None)
    mem = (big["check_mib"] / big["floor_mib"]
           if big and big.get("check_mib") and big.get("floor_mib") else None)
    out.append({"goal": f"check ≤ {MEMORY_GOAL}× the floor's peak memory", "n": at,
                "value": mem, "range": None, "limit": MEMORY_GOAL,
                "met": None if mem is None else mem <= MEMORY_GOAL})
    ratio_goal(f"render ≤ {RENDER_GOAL}× towncrier", "render (process)", at, RENDER_GOAL)
    for n in sorted({r["n"] for r in rows if r["measurement"] == "site (process)"}):
        r = by[("site (process)", n)]
        value = r["ratio"]
        out.append({"goal": "site faster than MkDocs", "n": n, "value": value,
                    "range": [r["ratio_min"], r["ratio_max"]] if value else None,
                    "limit": SITE_GOAL, "met": None if value is None else value < SITE_GOAL})
    for s in scale:
        if s.get("feed_entries") is not None:
            out.append({"goal": "feed capped at 50 entries", "n": s["n"],
                        "value": s["feed_entries"], "range": None, "limit": 50,
                        "met": s["feed_entries"] <= 50})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 records, 3 pairs "
                        "(about a minute)")
    parser.add_argument("--sizes", default=None, help="comma-separated record counts "
                        "(default 100,1000,10000,50000)")
    parser.add_argument("--pairs", type=int, default=None, help="interleaved pairs per ratio "
                        "(default 5; 3 at 10,000 records)")
    parser.add_argument("--ratio-max", type=int, default=10000, help="sizes above this get "
                        "only the scale table (one run each), no interleaved ratios")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--keep", action="store_true", help="keep the generated repositories")
    parser.add_argument("--only", default=None, help="comma-separated subset of: "
                        "check,render,site,tally,startup,requests,scale")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in (args.sizes or ("100,1000" if args.quick else
                                             "100,1000,10000,50000")).split(",")]
    pairs = args.pairs or (3 if args.quick else 5)
    commands = available = _commands()
    AVAILABLE.update(available)
    only = set(args.only.split(",")) if args.only else None
    if only is not None:  # a missing command and a skipped one are both left out
        commands = commands & only
    work = Path(tempfile.mkdtemp(prefix="govbot-bench-"))
    rows: list[Row] = []
    scale: list[dict[str, Any]] = []
    load_before = os.getloadavg()
    try:
        for n in sizes:
            print(f"… {n} records", file=sys.stderr, flush=True)
            if n <= args.ratio_max:
                rows += bench_size(n, work, pairs if n < 10000 else max(3, pairs - 2),
                                   commands)
            if only is None or "scale" in only:
                scale.append(bench_scale(n, work, commands))
            shutil.rmtree(work / f"repo-{n}", ignore_errors=True)
        print("… tally, start-up, requests", file=sys.stderr, flush=True)
        if only is None or "tally" in only:
            rows += bench_tally(work, pairs, commands)
        imports: dict[str, Any] = {}
        if only is None or "startup" in only:
            startup, imports = bench_startup(pairs)
            rows += startup
        budget = (requests_budget.measure(available) if only is None or "requests" in only
                  else {"status": "skipped (--only)"})
        bare = timing.bare_rss_mib()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    result_goals = goals(rows, scale)
    print(table(rows))
    print("\nscale (one fresh process each; s, peak RSS MiB):")
    for s in scale:
        print("  " + json.dumps({k: round(v, 2) if isinstance(v, float) else v
                                 for k, v in s.items()}))
    print("\ngoals:")
    for g in result_goals:
        print("  " + json.dumps(g, ensure_ascii=False))
    print("\nimports:", json.dumps(imports))
    print()
    print(requests_budget.table(budget))
    result = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                          "cpus": len(os.sched_getaffinity(0)),
                          "load_before": load_before, "load_after": os.getloadavg(),
                          "bare_python_mib": bare},
              "command": "python bench/run.py " + " ".join(argv if argv is not None
                                                           else sys.argv[1:]),
              "sizes": sizes, "pairs": pairs, "rows": rows, "scale": scale,
              "goals": result_goals, "imports": imports, "requests": budget}
    args.out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
