"""`govbot import`: each format's sample log (written from the format's documentation)
becomes records that `govbot check` passes and `govbot render` publishes, marked as imported
everywhere, with a report of what was not carried over as it was."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from clikit import repo_fixture, run  # noqa: F401 - the `repo` fixture
from govbot.cli.main import IMPORT_FORMATS
from govbot.model.adrlog import FORMATS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "import"
LOGS = {"adr-tools": "adr-tools", "madr": "madr/docs/decisions",
        "log4brains": "log4brains/docs/adr"}


def copy_log(fmt: str, tmp: Path) -> Path:
    """The sample log of a format, copied out of this repository (so it is not under git)."""
    target = tmp / "old-project"
    shutil.copytree(DATA / fmt, target)
    return target / LOGS[fmt].removeprefix(f"{fmt}/").removeprefix(fmt)


def git(folder: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True,
                   env={**os.environ, **(env or {})})


def test_the_cli_knows_every_format() -> None:
    """`--from` offers exactly the formats the parser reads."""
    assert IMPORT_FORMATS == FORMATS


def test_adr_tools_log_is_imported_with_a_report(
        repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """An adr-tools project (found through its .adr-dir) is imported after the repository's
    record 1; the report lists each record and everything not carried over as it was."""
    log = copy_log("adr-tools", tmp_path_factory.mktemp("src"))
    result = run("import", str(log), "--from", "adr-tools", "--author", "amara-osei",
                 "--repo", str(repo))
    assert result.exit_code == 0, result.output
    src = "doc/adr/"
    assert result.stdout == (
        f"imported 5 record(s) from {src} (adr-tools):\n"
        f"  {src}0001-record-architecture-decisions.md → "
        "decisions/0002-record-architecture-decisions.md (accepted)\n"
        f"  {src}0002-keep-the-member-register-in-a-spreadsheet.md → "
        "decisions/0003-keep-the-member-register-in-a-spreadsheet.md (superseded)\n"
        f"  {src}0003-publish-meeting-minutes-within-a-week.md → "
        "decisions/0004-publish-meeting-minutes-within-a-week.md (accepted)\n"
        f"  {src}0004-keep-the-member-register-in-the-membership-database.md → "
        "decisions/0005-keep-the-member-register-in-the-membership.md (accepted)\n"
        f"  {src}0005-publish-meeting-minutes-within-three-days.md → "
        "decisions/0006-publish-meeting-minutes-within-three-days.md (draft)\n"
        "not carried over as it was (read these before you commit):\n"
        + "".join(f"  {src}{name}: no GitHub login in git or in the file; authors: "
                  "[amara-osei] (--author)\n" for name in (
                      "0001-record-architecture-decisions.md",
                      "0002-keep-the-member-register-in-a-spreadsheet.md",
                      "0003-publish-meeting-minutes-within-a-week.md"))
        + f"  {src}0004-keep-the-member-register-in-the-membership-database.md: it is record 5 "
        "now, and its text still refers to records by the log's old numbers (e.g. 'ADR 2'); "
        "update them if it matters\n"
        f"  {src}0004-keep-the-member-register-in-the-membership-database.md: no GitHub login "
        "in git or in the file; authors: [amara-osei] (--author)\n"
        f"  {src}0004-keep-the-member-register-in-the-membership-database.md: the link to "
        "'../privacy/notes.md' points outside the decision log and was kept as it was; check "
        "it\n"
        f"  {src}0005-publish-meeting-minutes-within-three-days.md: status proposed → draft: a "
        "proposal goes to the committee in a pull request that sets status: proposed\n"
        f"  {src}0005-publish-meeting-minutes-within-three-days.md: no GitHub login in git or "
        "in the file; authors: [amara-osei] (--author)\n"
        "next: govbot check, then commit decisions/ straight to the default branch (imported "
        "decisions are not voted on again) and run govbot render\n")
    newer = (repo / "decisions" / "0005-keep-the-member-register-in-the-membership.md").read_text(
        "utf-8")
    assert "[ADR 2](0003-keep-the-member-register-in-a-spreadsheet.md)" in newer
    assert "supersedes: [3]\n" in newer
    assert "imported:\n  from: adr-tools\n  source: doc/adr/0004-" in newer


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_checks_clean_and_publishes_as_imported(
        repo: Path, tmp_path_factory: pytest.TempPathFactory, fmt: str) -> None:
    """After the import `govbot check` finds nothing, and `govbot render` and `govbot site`
    show each imported record as imported: no pull-request link, a note where it came from."""
    log = copy_log(fmt, tmp_path_factory.mktemp("src"))
    assert run("import", str(log), "--from", fmt, "--author", "amara-osei", "--repo",
               str(repo)).exit_code == 0
    check = run("check", "--repo", str(repo))
    assert check.exit_code == 0, check.output
    assert run("render", "--repo", str(repo)).exit_code == 0
    changelog = (repo / "CHANGELOG.md").read_text("utf-8")
    imported = [line for line in changelog.splitlines() if f"(imported from {fmt}: " in line]
    assert imported
    assert not any("pull/" in line or "(PR " in line for line in imported)
    exported = json.loads((repo / "decisions.json").read_text("utf-8"))
    schema = json.loads((ROOT / "src/govbot/schema/decisions.schema.json").read_text("utf-8"))
    jsonschema.validate(exported, schema)
    sources = [r["imported"] for r in exported["records"] if "imported" in r]
    assert sources
    assert {s["from"] for s in sources} == {fmt}
    assert [r["path"] for r in exported["records"] if "imported" not in r] == [
        "decisions/0001-adopt.md"]
    site = tmp_path_factory.mktemp("site")
    assert run("site", "--repo", str(repo), "--out", str(site)).exit_code == 0
    page = next((site / "decisions").glob("0002-*.html")).read_text("utf-8")
    assert f"(before govbot; imported from {fmt}: " in page
    assert "No votes recorded: it was decided before govbot, and imported from another " \
        "decision log." in page


def test_madr_record_0000_and_front_matter(repo: Path,
                                           tmp_path_factory: pytest.TempPathFactory) -> None:
    """MADR's record 0000 is renumbered, Jekyll keys are dropped, decision-makers become
    authors when they are logins, and the template and README are skipped."""
    log = copy_log("madr", tmp_path_factory.mktemp("src"))
    empty = tmp_path_factory.mktemp("gov")
    shutil.copy(repo / "governance.yml", empty / "governance.yml")
    result = run("import", str(log), "--from", "madr", "--author", "amara-osei", "--repo",
                 str(empty))
    assert result.exit_code == 0, result.output
    first = (empty / "decisions" / "0001-use-markdown-architectural-decision-records.md")
    assert "authors: [amara-osei]\n" in first.read_text("utf-8")
    online = (empty / "decisions" / "0002-hold-board-meetings-online.md").read_text("utf-8")
    assert "nav_order" not in online
    assert "authors: [amara-osei, dawid-kowalczyk]\n" in online
    assert "- Consulted: the membership committee\n- Informed: all members\n" in online
    assert result.stdout.endswith(
        "skipped:\n  docs/decisions/README.md: not a record of a madr log (an index or a "
        "template)\n  docs/decisions/adr-template.md: not a record of a madr log (an index "
        "or a template)\nnext: govbot check, then commit decisions/ straight to the default "
        "branch (imported decisions are not voted on again) and run govbot render\n")


def test_dates_and_authors_from_git_history(repo: Path,
                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    """In a git repository the commit that added a file gives its author's login (from a
    noreply address) and, for a record that names no date, its created date."""
    project = tmp_path_factory.mktemp("project")
    log = project / "docs" / "adr"
    log.mkdir(parents=True)
    (log / "use-english-in-meetings.md").write_text(
        "# Use English in meetings\n\n- Status: accepted\n\n## Context and Problem Statement\n"
        "\nMembers speak six languages.\n", encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Add the first decision", env={
        "GIT_AUTHOR_NAME": "Lucie",
        "GIT_AUTHOR_EMAIL": "42+lucie-fontaine@users.noreply.github.com",
        "GIT_AUTHOR_DATE": "2019-05-06T10:00:00Z", "GIT_COMMITTER_DATE": "2019-05-06T10:00:00Z"})
    result = run("import", str(log), "--from", "log4brains", "--repo", str(repo))
    assert result.exit_code == 0, result.output
    text = (repo / "decisions" / "0002-use-english-in-meetings.md").read_text("utf-8")
    assert "created: 2019-05-06\nauthors: [lucie-fontaine]\ndecided: 2019-05-06\n" in text
    assert "source: docs/adr/use-english-in-meetings.md\n" in text
    assert "not carried over" not in result.stdout


def test_dry_run_writes_nothing(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """--dry-run prints the report and leaves decisions/ as it was."""
    log = copy_log("log4brains", tmp_path_factory.mktemp("src"))
    before = sorted(p.name for p in (repo / "decisions").iterdir())
    result = run("import", str(log), "--from", "log4brains", "--author", "amara-osei",
                 "--dry-run", "--repo", str(repo))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("would import 5 record(s) from docs/adr/ (log4brains):\n")
    assert result.stdout.endswith("nothing written (--dry-run)\n")
    assert sorted(p.name for p in (repo / "decisions").iterdir()) == before


def test_ids_in_use_are_never_reused(repo: Path,
                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    """Ids taken by any file in decisions/ (even one that is not a readable record) are
    skipped, so an import never overwrites or collides."""
    log = copy_log("log4brains", tmp_path_factory.mktemp("src"))
    (repo / "decisions" / "0003-mine.md").write_text("mine", "utf-8")
    result = run("import", str(log), "--from", "log4brains", "--author", "amara-osei",
                 "--repo", str(repo))
    assert result.exit_code == 0, result.output
    assert (repo / "decisions" / "0003-mine.md").read_text("utf-8") == "mine"
    assert sorted(p.name[:4] for p in (repo / "decisions").iterdir()) == [
        "0001", "0003", "0004", "0005", "0006", "0007", "0008"]


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "madr"], "no madr records in {log} (looked for NNNN-slug.md files); check the "
     "folder and --from"),
    (["--from", "log4brains", "--author", "Not A Login"],
     "--author 'Not A Login' is not a GitHub login"),
])
def test_usage_errors(repo: Path, tmp_path_factory: pytest.TempPathFactory, args: list[str],
                      message: str) -> None:
    """A folder without records of the format, or a bad --author, exits 2 saying why."""
    log = tmp_path_factory.mktemp("empty-log")
    (log / "notes.md").write_text("# Notes\n", encoding="utf-8")
    result = run("import", str(log), *args, "--repo", str(repo))
    assert result.exit_code == 2
    assert result.stderr == f"govbot: error: {message.format(log=log)}\n"
