"""Run every govbot benchmark and print a table: `python bench/run.py [--quick]`.

Each figure is a ratio taken side by side in the same run, as the median of several repeats:
govbot against a floor (PyYAML's C loader on the same files) or a peer (towncrier). Commands
that do not exist yet are reported as "n/a (command missing)". Nothing here fails on speed.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
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
from timing import GOVBOT, PYTHON, Timing  # noqa: E402

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


def row(name: str, n: int | None, govbot: Timing, peer: Timing | None, peer_name: str,
        goal: float | None) -> Row:
    """One result: govbot's median, the peer's, their ratio and whether the goal is met."""
    ratio = (govbot.seconds / peer.seconds
             if peer and govbot.seconds and peer.seconds else None)
    return {"measurement": name, "n": n, "govbot_s": govbot.seconds, "peer": peer_name,
            "peer_s": peer.seconds if peer else None, "ratio": ratio, "goal": goal,
            "met": None if ratio is None or goal is None else ratio <= goal,
            "per_record_us": govbot.seconds / n * 1e6 if govbot.seconds and n else None,
            "note": govbot.note or (peer.note if peer else ""),
            "samples": govbot.samples, "peer_samples": peer.samples if peer else []}


AVAILABLE: set[str] = set()  # commands the CLI has (filled in by main)


def missing(name: str, n: int | None, peer_name: str, goal: float | None) -> Row:
    command = name.split()[0]
    note = "skipped (--only)" if command in AVAILABLE else "n/a (command missing)"
    return row(name, n, Timing(None, note=note), None, peer_name, goal)


def bench_size(n: int, work: Path, repeats: int, commands: set[str]) -> list[Row]:
    """check, render and site on one synthetic repository of n records, with their peers."""
    files = synth.generate(n)
    repo = synth.write_repo(work / f"repo-{n}", n)
    towncrier = peers.towncrier_project(work / f"towncrier-{n}", files)
    rows: list[Row] = []
    floor_proc = timing.process([PYTHON, "-c", timing.FLOOR_SOURCE, str(repo)], repeats)
    floor_core = timing.in_process(lambda: timing.floor_parse(repo), repeats)
    if "check" in commands:
        check = ["check", "--repo", str(repo)]
        rows.append(row("check (process)", n, timing.process([*GOVBOT, *check], repeats,
                                                             ok=(0, 1)),
                        floor_proc, "CSafeLoader floor (process)", 1.5))
        rows.append(row("check (in-process)", n, timing.in_process(_cli(check), repeats),
                        floor_core, "CSafeLoader floor (in-process)", 1.5))
    else:
        rows.append(missing("check (process)", n, "CSafeLoader floor", 1.5))
    tc_argv = ["towncrier", "build", "--draft", "--version", "1.0", "--date", "2025-12-31"]
    tc_exe = str(Path(PYTHON).parent / "towncrier")
    tc_proc = (timing.process([tc_exe, *tc_argv[1:]], repeats, cwd=towncrier)
               if Path(tc_exe).exists() else Timing(None, note="towncrier not installed"))
    md_floor = (timing.in_process(lambda: timing.markdown_floor(repo), repeats)
                if "site" in commands else None)
    for name, args, floor, floor_name in (
            ("render", ["render", "--repo", str(repo)], floor_core,
             "CSafeLoader floor (in-process)"),
            ("site", ["site", "--repo", str(repo), "--out", str(work / "site")], md_floor,
             "floor + markdown-it bodies (in-process)")):
        if name in commands:
            rows.append(row(f"{name} (process)", n, timing.process([*GOVBOT, *args], repeats),
                            tc_proc, "towncrier build --draft (process)", 1.0))
            rows.append(row(f"{name} (in-process)", n,
                            timing.in_process(_cli(args), repeats), floor, floor_name, None))
        else:
            rows.append(missing(f"{name} (process)", n, "towncrier build --draft", 1.0))
    shutil.rmtree(work / "site", ignore_errors=True)
    return rows


def bench_tally(work: Path, repeats: int, commands: set[str]) -> list[Row]:
    """`govbot tally` on a snapshot with 1,000 reviews and 1,000 comments."""
    if "tally" not in commands:
        return [missing("tally 1,000 reviews + 1,000 comments", 2000, "json.load floor", None)]
    files = synth.generate(100)
    repo = synth.write_repo(work / "tally-repo", 100)
    snap = peers.write_snapshot(work / "snapshot.json", files, 1000, 1000)
    args = ["tally", "--snapshot", str(snap), "--repo", str(repo), "--format", "json",
            "--now", "2026-01-15T00:00:00Z"]
    floor = [PYTHON, "-c", "import json,sys; json.load(open(sys.argv[1]))", str(snap)]
    return [
        row("tally 1,000 reviews + 1,000 comments (process)", 2000,
            timing.process([*GOVBOT, *args], repeats), timing.process(floor, repeats),
            "json.load of the snapshot (process)", None),
        row("tally 1,000 reviews + 1,000 comments (in-process)", 2000,
            timing.in_process(_cli(args), repeats), None, "", None),
    ]


def bench_startup(repeats: int) -> tuple[list[Row], dict[str, Any]]:
    """`govbot --help` and `govbot check` on the example repository, and what they import."""
    bare = timing.process([PYTHON, "-c", "pass"], repeats)
    rows = [row("start-up: govbot --help", None, timing.process([*GOVBOT, "--help"], repeats),
                bare, "bare `python -c pass`", None),
            row("start-up: govbot check (example repo)", None,
                timing.process([*GOVBOT, "check", "--repo", str(ROOT)], repeats, ok=(0, 1, 2)),
                bare, "bare `python -c pass`", None)]
    imports: dict[str, Any] = {}
    for label, argv in (("--help", ["--help"]), ("check", ["check", "--repo", str(ROOT)])):
        modules, cli_ms = timing.imported_modules(argv)
        imports[label] = {"imports_pygithub": "github" in modules, "govbot_cli_import_ms": cli_ms,
                          "heavy": sorted(modules & {"github", "requests", "jinja2",
                                                     "jsonschema", "urllib3"})}
    return rows, imports


def bench_memory(n: int, work: Path, commands: set[str]) -> dict[str, Any]:
    """Peak RSS (MiB) of check / render / site at n records against the floor's."""
    repo = work / f"repo-{n}"
    if not repo.exists():
        synth.write_repo(repo, n)
    out: dict[str, Any] = {"n": n, "bare_python": timing.bare_rss_mib(),
                           "floor": timing.peak_rss_mib([str(repo)], floor=True)}
    for name, args in (("check", ["check", "--repo", str(repo)]),
                       ("render", ["render", "--repo", str(repo)]),
                       ("site", ["site", "--repo", str(repo), "--out", str(work / "site")])):
        out[name] = timing.peak_rss_mib(args) if name in commands else None
    return out


def _fmt_s(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def table(rows: list[Row]) -> str:
    """The results as a fixed-width text table."""
    head = (f"{'measurement':<48} {'N':>6} {'govbot':>9} {'peer/floor':>10} {'ratio':>7} "
            f"{'goal':>6} {'met':>4} {'µs/rec':>7}  note")
    lines = [head, "-" * len(head)]
    for r in rows:
        ratio = f"{r['ratio']:.2f}x" if r["ratio"] else "-"
        goal = f"≤{r['goal']:g}x" if r["goal"] else "-"
        met = {True: "yes", False: "NO", None: "-"}[r["met"]]
        per = f"{r['per_record_us']:.0f}" if r["per_record_us"] else "-"
        lines.append(f"{r['measurement']:<48} {r['n'] or '':>6} {_fmt_s(r['govbot_s']):>9} "
                     f"{_fmt_s(r['peer_s']):>10} {ratio:>7} {goal:>6} {met:>4} {per:>7}  "
                     f"{r['note']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 records, 3 repeats "
                        "(under a minute)")
    parser.add_argument("--sizes", default=None, help="comma-separated record counts "
                        "(default 100,1000,10000)")
    parser.add_argument("--repeats", type=int, default=None, help="timed repeats per figure")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--keep", action="store_true", help="keep the generated repositories")
    parser.add_argument("--only", default=None, help="comma-separated subset of: "
                        "check,render,site,tally,startup,requests,memory")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in (args.sizes or ("100,1000" if args.quick else
                                             "100,1000,10000")).split(",")]
    repeats = args.repeats or (3 if args.quick else 5)
    commands = available = _commands()
    AVAILABLE.update(available)
    only = set(args.only.split(",")) if args.only else None
    if only is not None:  # a missing command and a skipped one are both left out
        commands = commands & only
    work = Path(tempfile.mkdtemp(prefix="govbot-bench-"))
    rows: list[Row] = []
    try:
        for n in sizes:
            print(f"… {n} records", file=sys.stderr, flush=True)
            rows += bench_size(n, work, repeats if n < 10000 else max(3, repeats - 2),
                               commands)
        print("… tally, start-up, requests, memory", file=sys.stderr, flush=True)
        if only is None or "tally" in only:
            rows += bench_tally(work, repeats, commands)
        imports: dict[str, Any] = {}
        if only is None or "startup" in only:
            startup, imports = bench_startup(repeats)
            rows += startup
        budget = (requests_budget.measure(available) if only is None or "requests" in only
                  else {"status": "skipped (--only)"})
        memory = (bench_memory(max(sizes), work, commands)
                  if only is None or "memory" in only else {})
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(table(rows))
    print("\nimports:", json.dumps(imports))
    print()
    print(requests_budget.table(budget))
    print("peak RSS (MiB):", json.dumps({k: round(v, 1) if isinstance(v, float) else v
                                         for k, v in memory.items()}))
    result = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                          "cpus": len(__import__("os").sched_getaffinity(0))},
              "sizes": sizes, "repeats": repeats, "rows": rows, "imports": imports,
              "requests": budget, "memory_mib": memory}
    args.out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
