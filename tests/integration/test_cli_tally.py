"""`govbot tally`: a snapshot is judged as `govbot run` judges it, check findings included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govbot.cli.main import main
from govbot.render.comment import cell

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"
RECORD = "decisions/0012-regional-convenings.md"
ADOPTION = "decisions/0001-adopt-strategic-plan-2021-2024.md"
BAD_DATE = (f"{RECORD}:6", "created: '2026-13-01' is not a date; write it as YYYY-MM-DD, e.g. "
            "2026-11-20")
EDITED = (f"{ADOPTION}:3", "record 1 is accepted and cannot be changed (decided records are "
          "immutable); restore it, and propose a new record (govbot new) that supersedes it or "
          "lists 1 under related")


@pytest.fixture
def repo(tmp_path: Path, repo_root: Path) -> Path:
    """A governance repository: this project's roster and its adopted plan (goal G2)."""
    (tmp_path / "gov" / "decisions").mkdir(parents=True)
    for name in ("governance.yml", ADOPTION):
        (tmp_path / "gov" / name).write_bytes((repo_root / name).read_bytes())
    return tmp_path / "gov"


def snapshot(tmp_path: Path, repo: Path, edit: str) -> Path:
    """The clean-majority snapshot (approved as it is), with one record file edited."""
    data = json.loads((SNAPSHOTS / "clean-majority.json").read_text(encoding="utf-8"))
    if edit == "bad date":
        assert "created: 2026-11-18\n" in data["records"][RECORD]
        data["records"][RECORD] = data["records"][RECORD].replace(
            "created: 2026-11-18", "created: 2026-13-01")
    elif edit == "decided record":
        text = (repo / ADOPTION).read_text(encoding="utf-8")
        data["records"][ADOPTION] = text.replace("title: ", "title: Amended ", 1)
        data["files"].append({**data["files"][0], "filename": ADOPTION})
    path = tmp_path / "pr.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def tally(path: Path, repo: Path, fmt: str) -> str:
    """Run `govbot tally` and return its output (it exits 0 whatever the outcome)."""
    result = CliRunner().invoke(main, ["tally", "--snapshot", str(path), "--repo", str(repo),
                                       "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_clean_snapshot_is_approved(tmp_path: Path, repo: Path) -> None:
    """Without findings the vote is tallied as before (the base records are checked against)."""
    out = tally(snapshot(tmp_path, repo, "none"), repo, "json")
    assert (json.loads(out)["outcome"], json.loads(out)["findings"]) == ("approved", [])


@pytest.mark.parametrize(("edit", "finding"), [
    ("bad date", BAD_DATE),
    ("decided record", EDITED),
])
def test_findings_make_the_tally_invalid(tmp_path: Path, repo: Path, edit: str,
                                         finding: tuple[str, str]) -> None:
    """A snapshot whose records fail the per-file or lifecycle checks tallies `invalid`, and
    every format shows the finding."""
    path = snapshot(tmp_path, repo, edit)
    where, message = finding
    text = tally(path, repo, "text")
    assert text.startswith("outcome: invalid\n")
    assert f"finding: {where}: {message}\n" in text
    assert f"- {cell(where, 120)}: {cell(message)}\n" in tally(path, repo, "markdown")
    doc = json.loads(tally(path, repo, "json"))
    file, line = where.rsplit(":", 1)
    assert doc["outcome"] == "invalid"
    assert doc["findings"] == [{"path": file, "line": int(line), "message": message,
                                "rule": doc["findings"][0]["rule"], "severity": "error"}]


@pytest.mark.parametrize(("status", "findings"), [
    ("added", 1), ("modified", 1), ("renamed", 1), ("removed", 0)])
def test_a_record_the_snapshot_could_not_read_is_a_finding(tmp_path: Path, repo: Path,
                                                             status: str, findings: int) -> None:
    """A decisions/*.md the PR adds or changes without a text in the snapshot (GitHub serves
    a symbolic link or submodule there, not a file) makes the tally invalid instead of
    passing unjudged (DESIGN §9); a removed file has no text to read."""
    from govbot.vote.judge import UNREAD

    path = snapshot(tmp_path, repo, "none")
    data = json.loads(path.read_text(encoding="utf-8"))
    link = "decisions/0013-linked.md"
    data["files"].append({**data["files"][0], "filename": link, "status": status})
    path.write_text(json.dumps(data), encoding="utf-8")
    doc = json.loads(tally(path, repo, "json"))
    unread = [f for f in doc["findings"] if f["path"] == link]
    assert unread == [{"path": link, "line": None, "message": UNREAD, "rule": "file",
                       "severity": "error"}] * findings
    assert (doc["outcome"] == "invalid") is bool(findings)
