"""Timing and memory helpers for bench/run.py: medians of in-process calls and subprocesses."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PYTHON = sys.executable
_SCRIPT = Path(PYTHON).parent / "govbot"
GOVBOT = [str(_SCRIPT)] if _SCRIPT.exists() else [PYTHON, "-m", "govbot"]
ENV = {**os.environ, "PYTHONHASHSEED": "0", "GITHUB_ACTIONS": "", "NO_COLOR": "1"}

# The floor of `govbot check`: read every record and the config, parse the front matter with
# PyYAML's C loader. Nothing else. Run in-process (floor_parse) and as its own process.
FLOOR_SOURCE = """\
import sys
from pathlib import Path
import yaml

def floor_parse(root):
    # The cycle collector is paused while parsing, as `govbot check` pauses it (gc alike).
    import gc
    collecting = gc.isenabled()
    gc.disable()
    try:
        out = [yaml.load((root / "governance.yml").read_bytes().decode(),
                         Loader=yaml.CSafeLoader)]
        for path in sorted((root / "decisions").glob("*.md")):
            text = path.read_bytes().decode()
            front = text[4:text.index("\\n---\\n", 3)]
            out.append(yaml.load(front, Loader=yaml.CSafeLoader))
    finally:
        if collecting:
            gc.enable()
    return out

if __name__ == "__main__":
    print(len(floor_parse(Path(sys.argv[1]))))
"""
_namespace: dict[str, Any] = {"__name__": "bench_floor"}
exec(compile(FLOOR_SOURCE, "<floor>", "exec"), _namespace)  # our own source, run in-process too
floor_parse: Callable[[Path], list[Any]] = _namespace["floor_parse"]


def markdown_floor(root: Path) -> int:
    """The site's floor: the check floor plus every body through markdown-it (as site.py)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    floor_parse(root)
    size = 0
    for path in sorted((root / "decisions").glob("*.md")):
        text = path.read_bytes().decode()
        size += len(md.render(text[text.index("\n---\n", 3) + 5:]))
    return size


@dataclass
class Timing:
    """A median duration in seconds and every sample, or why there is none."""

    seconds: float | None
    samples: list[float] = field(default_factory=list)
    note: str = ""
    exit_code: int | None = None


def in_process(func: Callable[[], Any], repeats: int, warmup: int = 1) -> Timing:
    """Median wall time of `func()` after `warmup` untimed calls (an error is reported)."""
    samples = []
    try:
        for _ in range(warmup):
            func()
        for _ in range(repeats):
            start = time.perf_counter()
            func()
            samples.append(time.perf_counter() - start)
    except Exception as exc:  # a benchmark reports a broken command, it never crashes
        return Timing(None, note=f"error: {str(exc).splitlines()[0][:120]}")
    return Timing(statistics.median(samples), samples)


def process(argv: Sequence[str], repeats: int, *, cwd: Path | None = None, warmup: int = 1,
            ok: Sequence[int] = (0,)) -> Timing:
    """Median wall time of a whole process (interpreter start-up and imports included)."""
    samples = []
    code = 0
    for index in range(warmup + repeats):
        start = time.perf_counter()
        result = subprocess.run(list(argv), cwd=cwd, env=ENV, capture_output=True, check=False)
        elapsed = time.perf_counter() - start
        code = result.returncode
        if code not in ok:
            tail = result.stderr.decode(errors="replace").strip().splitlines()[-1:]
            return Timing(None, note=f"error (exit {code}): {' '.join(tail)[:120]}",
                          exit_code=code)
        if index >= warmup:
            samples.append(elapsed)
    return Timing(statistics.median(samples), samples, exit_code=code)


class BenchError(Exception):
    """A side of a comparison failed (a non-accepted exit code, an exception)."""


Runner = Callable[[], float]  # runs one side once and returns its wall time in seconds


def call_runner(func: Callable[[], Any]) -> Runner:
    """A runner timing one in-process call of `func`."""
    def run() -> float:
        start = time.perf_counter()
        func()
        return time.perf_counter() - start
    return run


def process_runner(argv: Sequence[str], *, cwd: Path | None = None,
                   ok: Sequence[int] = (0,)) -> Runner:
    """A runner timing one whole process (interpreter start-up and imports included)."""
    def run() -> float:
        start = time.perf_counter()
        result = subprocess.run(list(argv), cwd=cwd, env=ENV, capture_output=True, check=False)
        elapsed = time.perf_counter() - start
        if result.returncode not in ok:
            tail = result.stderr.decode(errors="replace").strip().splitlines()[-1:]
            raise BenchError(f"exit {result.returncode}: {' '.join(tail)[:120]}")
        return elapsed
    return run


@dataclass
class Comparison:
    """Two sides timed interleaved (A B B A …): each side's median and the per-pair ratios."""

    a: Timing
    b: Timing
    ratios: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        """The median of the per-pair ratios A/B (not the ratio of the medians)."""
        return statistics.median(self.ratios) if self.ratios else None


def interleaved(a: Runner, b: Runner, pairs: int, warmup: int = 1) -> Comparison:
    """Time `a` and `b` in pairs, alternating the order (A B, B A, A B, …), so the machine's
    load hits both sides alike; each pair gives one ratio a/b. A failing side is reported."""
    a_samples: list[float] = []
    b_samples: list[float] = []
    try:
        for _ in range(warmup):
            a()
            b()
        for index in range(pairs):
            if index % 2 == 0:
                a_samples.append(a())
                b_samples.append(b())
            else:
                b_samples.append(b())
                a_samples.append(a())
    except Exception as exc:  # a benchmark reports a broken command, it never crashes
        note = f"error: {str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__}"
        return Comparison(Timing(None, note=note), Timing(None, note=note))
    return Comparison(Timing(statistics.median(a_samples), a_samples),
                      Timing(statistics.median(b_samples), b_samples),
                      [x / y for x, y in zip(a_samples, b_samples, strict=True)])


# Runs a govbot command in a fresh interpreter and prints its peak RSS in KiB (Linux ru_maxrss).
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent (this harness).
_HWM = ("print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')),"
        " file=sys.stderr)")
_PEAK = f"""\
import sys
from govbot.cli.main import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
{_HWM}
"""
_FLOOR_PEAK = FLOOR_SOURCE.replace(
    "    print(len(floor_parse(Path(sys.argv[1]))))",
    f"    data = floor_parse(Path(sys.argv[1]))\n    {_HWM}")


def peak_rss_mib(args: Sequence[str], *, floor: bool = False) -> float | None:
    """Peak resident memory (MiB, VmHWM) of one govbot command (or the floor) in a fresh process."""
    source = _FLOOR_PEAK if floor else _PEAK
    result = subprocess.run([PYTHON, "-c", source, *args], env=ENV, capture_output=True,
                            check=False)
    lines = result.stderr.decode(errors="replace").strip().splitlines()
    try:
        return int(lines[-1]) / 1024
    except (IndexError, ValueError):
        return None


def timed_peak(args: Sequence[str], *, floor: bool = False) -> tuple[float | None, float | None]:
    """(wall seconds, peak RSS MiB) of one govbot command (or the floor) in a fresh process."""
    start = time.perf_counter()
    peak = peak_rss_mib(args, floor=floor)
    return (time.perf_counter() - start if peak is not None else None), peak


def bare_rss_mib() -> float:
    """Peak RSS of this platform's bare interpreter, for scale."""
    out = subprocess.run([PYTHON, "-c", f"import sys\n{_HWM}"], env=ENV, capture_output=True,
                         check=True)
    return int(out.stderr) / 1024


def imported_modules(argv: Sequence[str]) -> tuple[set[str], float]:
    """Top-level packages imported by `govbot ARGV` and govbot.cli's cumulative import ms."""
    code = ("import sys\nsys.argv = ['govbot', *sys.argv[1:]]\nfrom govbot.cli.main import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n")
    result = subprocess.run([PYTHON, "-X", "importtime", "-c", code, *argv], env=ENV,
                            capture_output=True, check=False)
    modules: set[str] = set()
    cli_ms = 0.0
    for line in result.stderr.decode(errors="replace").splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line.split("|")
        name = parts[2].strip()
        modules.add(name.split(".")[0])
        if name == "govbot.cli.main" and parts[1].strip().isdigit():
            cli_ms = int(parts[1].strip()) / 1000
    return modules, cli_ms


def usage() -> dict[str, float]:
    """CPU seconds of this process so far (user, system), for the results header."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"user": ru.ru_utime, "system": ru.ru_stime}
