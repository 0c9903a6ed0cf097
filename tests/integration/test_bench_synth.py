"""The benchmark's synthetic governance repositories (bench/synth.py): deterministic and valid."""

from __future__ import annotations

import collections
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from govbot.model.config import read_config
from govbot.model.plan import fold
from govbot.model.records import KINDS, STATUSES, read_records

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import synth  # noqa: E402


@pytest.fixture(scope="module")
def hundred() -> dict[str, bytes]:
    """The 100-record repository, generated once for this module."""
    return synth.generate(100)


def test_same_seed_same_bytes(hundred: dict[str, bytes]) -> None:
    """Generating twice with the same seed gives byte-identical files."""
    assert synth.generate(100) == hundred


@pytest.mark.parametrize(("n", "seed"), [(100, 1), (30, 2021)])
def test_other_seed_or_size_other_bytes(hundred: dict[str, bytes], n: int, seed: int) -> None:
    """A different seed or size gives a different repository."""
    assert synth.generate(n, seed) != hundred


def test_records_parse_and_fold_without_findings(hundred: dict[str, bytes]) -> None:
    """All 100 records parse, governance.yml reads cleanly and the plan folds cleanly."""
    files = dict(hundred)
    config, config_findings = read_config("governance.yml", files.pop("governance.yml").decode())
    records, findings = read_records(files)
    plan, plan_findings = fold(records)
    assert config is not None
    assert (config_findings, findings, plan_findings) == ([], [], [])
    assert len(records) == 100
    assert len(plan.active_goals()) >= 24
    assert sum(len(g.objectives) for g in plan.goals) >= 150


def test_every_kind_and_status_appears(hundred: dict[str, bytes]) -> None:
    """The repository has every kind, every status, and supersede links both ways."""
    records, _ = read_records({p: d for p, d in hundred.items() if p != "governance.yml"})
    kinds = collections.Counter(r.kind for r in records)
    statuses = collections.Counter(r.status for r in records)
    assert set(kinds) == set(KINDS)
    assert set(statuses) == set(STATUSES)
    by_id = {r.id: r for r in records}
    superseded = [r for r in records if r.status == "superseded"]
    assert superseded
    assert all(r.id in by_id[r.superseded_by].supersedes for r in superseded)


def test_bodies_are_realistic_size(hundred: dict[str, bytes]) -> None:
    """Bodies are about 1–3 KB and have the three required sections."""
    records, _ = read_records({p: d for p, d in hundred.items() if p != "governance.yml"})
    sizes = sorted(len(r.body.encode()) for r in records)
    assert 700 <= sizes[len(sizes) // 2] <= 3000
    assert all({"Context", "Decision", "Consequences"} <= {t for t, _ in r.sections}
               for r in records)


def test_ratios_are_interleaved_medians_of_pairs() -> None:
    """bench/timing.interleaved alternates the order (A B, B A, …) and reports the median of
    the per-pair ratios with every ratio, not the ratio of the medians."""
    import timing

    calls: list[str] = []
    a_times = iter([1.0, 4.0, 2.0, 9.0])
    b_times = iter([1.0, 1.0, 2.0, 3.0])  # the first of each is the warm-up

    def side(name: str, times: Iterator[float]) -> Callable[[], float]:
        def run() -> float:
            calls.append(name)
            return next(times)
        return run

    result = timing.interleaved(side("a", a_times), side("b", b_times), pairs=3, warmup=1)
    assert calls == ["a", "b", "a", "b", "b", "a", "a", "b"]
    assert result.ratios == [4.0, 1.0, 3.0]
    assert result.ratio == 3.0  # the ratio of the medians would be 4 / 2
    assert (result.a.seconds, result.b.seconds) == (4.0, 2.0)


def test_a_failing_side_is_reported_not_raised() -> None:
    """A side that fails gives no ratio and says why."""
    import timing

    def broken() -> float:
        raise timing.BenchError("exit 2: boom")

    result = timing.interleaved(broken, lambda: 1.0, pairs=2)
    assert result.ratio is None
    assert result.a.note == "error: exit 2: boom"


def test_the_parse_floor_pauses_the_cycle_collector_as_check_does(tmp_path: Path) -> None:
    """The floor parses with the cycle collector paused (as `govbot check`), then restores it."""
    import gc

    import timing

    synth.write_repo(tmp_path, 3)
    seen: list[bool] = []
    real = timing._namespace["yaml"]

    class Spy:
        CSafeLoader = real.CSafeLoader

        @staticmethod
        def load(text: str, Loader: object) -> object:
            seen.append(gc.isenabled())
            return real.load(text, Loader=Loader)

    timing._namespace["yaml"] = Spy
    try:
        assert len(timing.floor_parse(tmp_path)) == 4
    finally:
        timing._namespace["yaml"] = real
    assert seen == [False] * 4
    assert gc.isenabled()
