"""A/B: govbot at a git ref against the working tree, interleaved, on the same synthetic repo.

    python bench/ab.py REF [--sizes 1000] [--pairs 7] [--only check,render,tally]

Each pair runs the same command once with REF's code and once with the working tree's (the
order alternates, A B B A …), as separate processes with `PYTHONPATH` pointing at each
`src/`, so the machine's load hits both sides alike. It reports, per command and size, the
median of the per-pair ratios (working tree / REF) with their min–max: a refactor is "no
slowdown beyond noise" when 1.0 lies inside that range or the median is within a few per cent.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synth import write_repo

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "snapshots" / "clean-majority.json"


def _entry(src: Path) -> str:
    """The CLI's import path in a source tree (it moved when the package was re-laid)."""
    module = "govbot.cli.main" if (src / "govbot" / "cli" / "main.py").exists() else "govbot.cli"
    return f"import sys; from {module} import main; sys.exit(main())"


def _commands(repo: Path) -> dict[str, list[str]]:
    return {
        "check": ["check", "--repo", str(repo), "--format", "json"],
        "render": ["render", "--repo", str(repo), "--check"],
        "tally": ["tally", "--snapshot", str(SNAPSHOT), "--repo", str(repo), "--format", "json"],
    }


def _time(src: Path, args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _entry(src), *args], env=env, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ref")
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--only", default="check,render,tally")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govbot-ab-") as tmp:
        old = Path(tmp) / "ref"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(old),
                        args.ref], check=True)
        try:
            print(f"{'command':8} {'records':>8}  median ratio (min–max), "
                  f"working tree / {args.ref}")
            for size in (int(s) for s in args.sizes.split(",")):
                repo = write_repo(Path(tmp) / f"repo-{size}", size)
                for name, argv in _commands(repo).items():
                    if name not in args.only.split(","):
                        continue
                    sides = (old / "src", ROOT / "src")
                    for side in sides:  # warm-up: caches, .pyc files
                        _time(side, argv)
                    ratios = []
                    for pair in range(args.pairs):
                        order = sides if pair % 2 == 0 else sides[::-1]
                        took = {side: _time(side, argv) for side in order}
                        ratios.append(took[sides[1]] / took[sides[0]])
                    print(f"{name:8} {size:>8}  {statistics.median(ratios):.3f} "
                          f"({min(ratios):.3f}–{max(ratios):.3f})")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                           check=False)
            shutil.rmtree(old, ignore_errors=True)


if __name__ == "__main__":
    main()
