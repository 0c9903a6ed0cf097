"""govbot demo: the whole lifecycle runs offline and shows each milestone."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from govbot.cli.demo import run_demo
from govbot.cli.main import main
from govbot.model.errors import UsageError

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@needs_git
def test_demo_shows_every_milestone() -> None:
    """The demo exits 0 and prints the outcomes, the changelog entry and the plan diff."""
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    out = result.output
    for milestone in [
        "== 1. govbot init: scaffold a governance repository",
        "    decisions/0002-add-an-objective-on-mentoring-new-maintainers.md",
        "== 3. govbot check --base main: the proposal applies to the plan on main\n"
        "    no problems found",
        "    outcome: pending",
        "    outcome: approved",
        "    | ## ✅ Approved: the committee's vote carries; this can be merged",
        "    status: accepted",
        "    pr: 2",
        "    - [#2 Add an objective on mentoring new maintainers]",
        "      - Objective G2.1: Pair every new maintainer with a mentor for their first six "
        "months.",
        "    +- **G2.1** Pair every new maintainer with a mentor",
        "== 8. A motion voted down: pull request #3 closes unmerged, and its record stays",
        "    outcome when it closed: failing, so the record is rejected",
        "    status: rejected",
        "      - {login: a-contributor, voice: support, at: '",
        "    ## Motions not adopted",
        "    - rejected ",
    ]:
        assert milestone in out
    assert out.index("outcome: pending") < out.index("outcome: approved")
    assert "; for: dana, ben; against: amara, chen" in out


@needs_git
def test_demo_keep_leaves_a_real_repository(tmp_path: Path) -> None:
    """--keep DIR leaves a repository whose records pass govbot check; the only findings
    are the workflows' placeholder pins, as the closing line says."""
    target = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--keep", str(target)])
    assert result.exit_code == 0, result.output
    assert f"The demo repository is in {target}. Its workflows keep the placeholder pin" \
        in result.output
    assert (target / "CHANGELOG.md").is_file()
    check = CliRunner().invoke(main, ["check", "--repo", str(target)])
    assert check.exit_code == 1, check.output
    assert {line.split(":", 1)[0] for line in check.stdout.splitlines()} == {
        f".github/workflows/{name}" for name in ("govbot.yml", "govbot-sweep.yml",
                                                  "govbot-validate.yml", "govbot-publish.yml")}
    assert all("pinned to the placeholder commit" in line for line in check.stdout.splitlines())


def test_demo_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    """--keep never builds into a directory that already holds files."""
    (tmp_path / "x").write_text("mine")
    with pytest.raises(UsageError, match="is not empty; give --keep a new or empty directory"):
        run_demo(tmp_path, print, today=dt.date(2026, 3, 2))


def test_demo_says_when_git_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without git the demo stops with exit 2 and says how to install it."""
    monkeypatch.setattr("govbot.cli.demo.shutil.which", lambda name: None)
    result = CliRunner().invoke(main, ["demo", "--keep", str(tmp_path / "d")])
    assert result.exit_code == 2
    assert "govbot demo needs git, and git was not found on PATH" in result.output
