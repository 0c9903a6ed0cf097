"""CLI test helpers: a temporary governance repository (the `repo` fixture, imported into a test
module as `repo_fixture`) and `run`, which invokes govbot through click (used by the CLI tests
and the security tests)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from govbot.cli.main import main
from recordkit import accepted

ROOT = Path(__file__).resolve().parents[1]
ADOPTED = accepted(1, "adopt", kind="plan", changes=(
    "\n  - {op: add-goal, goal: G1, title: Reliable infrastructure, rationale: Because.}"
    "\n  - {op: add-objective, goal: G1, objective: G1.1, text: Publish an SLO.}")).text.replace(
    "member: bob", "member: amara-osei")  # a vote by the chair of this project's roster


@pytest.fixture(name="repo")
def repo_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A governance repository with this project's governance.yml and one accepted record."""
    for name in ("GITHUB_ACTIONS", "GITHUB_ACTOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "test@example.org")
    (tmp_path / "governance.yml").write_bytes((ROOT / "governance.yml").read_bytes())
    (tmp_path / "decisions").mkdir()
    (tmp_path / "decisions" / "0001-adopt.md").write_text(ADOPTED, encoding="utf-8")
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke the CLI, never letting exceptions escape unnoticed."""
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result
