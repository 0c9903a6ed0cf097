"""Every command finds the governance repository from where it is run, as git finds its own
(DESIGN §13): walking up to the folder that holds governance.yml, `--repo` overriding, and a
clear error (exit 2) outside one, with nothing written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from clikit import repo_fixture, run  # noqa: F401 - the `repo` fixture
from govbot.git.workspace import find_repository

OUTSIDE = ("govbot: error: not in a governance repository: there is no governance.yml in "
           "{here} or in a folder above it; cd into one, pass --repo DIR, or create one with "
           "govbot init\n")


def test_new_inside_decisions_writes_into_the_repository(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`govbot new` run inside decisions/ writes decisions/0002-….md with the next id (not
    decisions/decisions/0001-….md) and prints the path from where it was run."""
    monkeypatch.chdir(repo / "decisions")
    result = run("new", "Adopt a travel policy", "--kind", "policy", "--author", "alice")
    assert (result.exit_code, result.stdout) == (0, "0002-adopt-a-travel-policy.md\n")
    assert (repo / "decisions" / "0002-adopt-a-travel-policy.md").is_file()
    assert not (repo / "decisions" / "decisions").exists()


def test_new_at_the_top_prints_the_repository_path(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At the top of the repository the printed path is decisions/NNNN-slug.md."""
    monkeypatch.chdir(repo)
    result = run("new", "Adopt a travel policy", "--kind", "policy", "--author", "alice")
    assert result.stdout == "decisions/0002-adopt-a-travel-policy.md\n"


@pytest.mark.parametrize("args", [["check"], ["plan"], ["render", "--check"]])
def test_commands_work_from_a_subfolder(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                        args: list[str]) -> None:
    """check, plan and render judge the whole repository from any folder inside it."""
    assert run("render", "--repo", str(repo)).exit_code == 0
    (repo / "docs" / "deep").mkdir(parents=True)
    monkeypatch.chdir(repo / "docs" / "deep")
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ("govbot: checked governance.yml and 1 record(s): no problems "
                             "found\n" if args == ["check"] else "")


def test_check_paths_are_relative_to_where_you_are(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`govbot check 0001-adopt.md` inside decisions/ judges that record."""
    monkeypatch.chdir(repo / "decisions")
    result = run("check", "0001-adopt.md")
    assert result.exit_code == 0, result.output
    assert result.stderr == "govbot: checked 1 changed file(s): no problems found\n"


@pytest.mark.parametrize("args", [
    ["plan"], ["plan", "--format", "json"], ["site", "--out", "site"], ["check"],
    ["new", "A title", "--author", "alice"], ["render"], ["tally", "--snapshot", "s.json"],
    ["report", "--from", "2026-01-01", "--to", "2026-06-30", "--out", "pack.html"],
    ["import", ".", "--from", "madr"],
])
def test_outside_a_repository_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          args: list[str]) -> None:
    """Outside a governance repository each command exits 2 saying so, and writes nothing
    (no empty plan, no site, no record)."""
    (tmp_path / "s.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == OUTSIDE.format(here=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]


@pytest.mark.parametrize("args", [["plan"], ["site", "--out", "{tmp}/site"],
                                  ["new", "A title", "--author", "alice"],
                                  ["report", "--from", "2026-01-01", "--to", "2026-06-30",
                                   "--out", "{tmp}/site/pack.html"]])
def test_an_explicit_repo_must_be_a_governance_repository(
        tmp_path: Path, args: list[str]) -> None:
    """`--repo DIR` naming a folder without governance.yml is refused too."""
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(*[a.format(tmp=tmp_path) for a in args], "--repo", str(empty))
    assert result.exit_code == 2
    assert result.stderr == (f"govbot: error: no governance.yml in {empty}, so it is not a "
                             "governance repository; pass --repo DIR, or create one with "
                             "govbot init\n")
    assert list(empty.iterdir()) == []
    assert not (tmp_path / "site").exists()


def test_repo_overrides_discovery(repo: Path, tmp_path_factory: pytest.TempPathFactory,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """--repo wins over the repository around the current folder."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "governance.yml").write_text("committee: [}", encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    assert run("check").exit_code == 1
    assert run("check", "--repo", str(repo)).exit_code == 0


def test_discovery_stops_at_the_top_of_a_git_repository(tmp_path: Path) -> None:
    """A governance.yml above the enclosing git repository belongs to something else."""
    (tmp_path / "governance.yml").write_text("", encoding="utf-8")
    inner = tmp_path / "project"
    (inner / "src").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(inner)], check=True)
    assert find_repository(inner / "src") is None
    assert find_repository(tmp_path / "other") == tmp_path
    (inner / "governance.yml").write_text("", encoding="utf-8")
    assert find_repository(inner / "src") == inner
