"""govbot init: the scaffolded files, their validity, and never clobbering user files."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from govbot.cli import scaffold
from govbot.cli.main import main
from govbot.git.repo import read_worktree
from govbot.model.config import load_config, read_config
from govbot.model.errors import UsageError
from govbot.model.plan import Plan, apply_record
from govbot.model.records import parse_record
from govbot.rules.checks import check_tree

TODAY = dt.date(2026, 3, 2)
RECORD = "decisions/0001-adopt-the-strategic-plan-2026-2029.md"
SHA = "a" * 40


def answers(**overrides: object) -> scaffold.Answers:
    """Answers as the flags of a typical first run would give them."""
    values: dict[str, object] = {
        "org": "Acme Foundation", "plan_title": "Strategic Plan 2026–2029",
        "goals": (("Grow the community", "Few people carry most projects: share the load."),),
        "chair": "alice", "members": ("bob", "carol"), "today": TODAY}
    values.update(overrides)
    return scaffold.Answers(**values)  # type: ignore[arg-type]


def init(tmp_path: Path, *args: str) -> tuple[int, str]:
    """Run `govbot init` on tmp_path without a terminal; (exit code, output)."""
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--no-input", *args])
    return result.exit_code, result.output


def test_scaffold_lists_every_file() -> None:
    """A scaffold holds governance.yml, record 0001, four workflows (the hourly sweep in one
    of its own) and CODEOWNERS."""
    assert sorted(scaffold.scaffold(answers())) == sorted([
        "governance.yml", RECORD, ".github/workflows/govbot.yml",
        ".github/workflows/govbot-sweep.yml", ".github/workflows/govbot-validate.yml",
        ".github/workflows/govbot-publish.yml", ".github/CODEOWNERS"])


def test_templates_are_copied_only_on_request() -> None:
    """--templates adds the packaged templates under templates/."""
    files = scaffold.scaffold(answers(), scaffold.packaged_templates())
    assert "templates/plan.md.j2" in files


@pytest.mark.parametrize(("members", "plan_min", "governance_min"), [
    ((), 1, 1), (("bob",), 2, 2), (("bob", "carol"), 2, 3), (("bob", "bob", "Alice"), 2, 2)])
def test_governance_yml_loads_with_reachable_minimums(
        members: tuple[str, ...], plan_min: int, governance_min: int) -> None:
    """governance.yml loads; min_approvals never exceed the committee's size."""
    config = load_config("governance.yml", scaffold.governance_yml(answers(members=members)))
    assert config.rules["plan"].min_approvals == plan_min
    assert config.rules["governance"].min_approvals == governance_min
    assert config.committee[0].login == "alice"
    assert config.committee[0].role == "chair"
    assert config.committee[0].start == TODAY
    assert all(m.role == "member" for m in config.committee[1:])


@pytest.mark.parametrize("goal", [
    ("Plain title", "A plain rationale."),
    ("Title: with colon", "rationale with 'quotes', #hash and \"double\""),
    ("yes", "null"),
    ("- dash", "@mention & <b>"),
])
def test_adoption_record_round_trips_user_text(goal: tuple[str, str]) -> None:
    """Goal titles and rationales read back exactly, whatever YAML syntax they contain."""
    path, text = scaffold.adoption_record(answers(goals=(goal,)))
    record = parse_record(path, text)
    assert record.changes[0].args == {"goal": "G1", "title": goal[0], "rationale": goal[1]}
    assert (record.id, record.kind, record.status, record.authors) == (
        1, "plan", "proposed", ("alice",))


def test_adoption_record_folds_into_a_plan() -> None:
    """Each goal becomes G1, G2, … in the plan the record adopts."""
    goals = (("One", "First."), ("Two", "Second."))
    record = parse_record(*scaffold.adoption_record(answers(goals=goals)))
    plan, findings = apply_record(Plan(), record)
    assert findings == []
    assert [(g.id, g.title) for g in plan.goals] == [("G1", "One"), ("G2", "Two")]


def test_default_goal_when_none_given() -> None:
    """Without goals the record still proposes one placeholder goal to rewrite."""
    record = parse_record(*scaffold.adoption_record(answers(goals=())))
    assert record.changes[0].args["title"] == scaffold.DEFAULT_GOAL[0]


@pytest.mark.parametrize(("text", "expected"), [
    ("Grow: share the load", ("Grow", "share the load")),
    ("  Two  words :  and a: colon ", ("Two words", "and a: colon")),
])
def test_parse_goal(text: str, expected: tuple[str, str]) -> None:
    """A goal is split at its first colon, whitespace tidied."""
    assert scaffold.parse_goal(text) == expected


@pytest.mark.parametrize("text", ["no colon", ": no title", "no rationale:  "])
def test_parse_goal_refuses_malformed(text: str) -> None:
    """A goal without a title or rationale is a usage error showing the format."""
    with pytest.raises(UsageError) as info:
        scaffold.parse_goal(text)
    assert info.value.message == (
        f"--goal {text!r}: write a goal as \"Title: why it matters\", e.g. --goal \"Grow our "
        "community: most projects depend on a few people\"")


def test_workflows_are_pinned_to_the_given_action() -> None:
    """--action replaces the placeholder pin in every workflow, with a version comment."""
    files = scaffold.scaffold(answers(action=f"acme/govbot@{SHA}"))
    for name in scaffold.WORKFLOWS:
        text = files[f".github/workflows/{name}"]
        assert scaffold.PLACEHOLDER_SHA not in text
        assert f"uses: acme/govbot@{SHA} # v" in text


@pytest.mark.parametrize("name", scaffold.WORKFLOWS)
def test_packaged_workflows_follow_the_policy(name: str) -> None:
    """Each workflow: permissions {} at the top, every action pinned, no PR event in run:."""
    text = scaffold.workflow(name, None)
    data = yaml.safe_load(text)
    assert data["permissions"] == {}
    for job in data["jobs"].values():
        for step in job.get("steps", []):
            if "uses" in step:
                assert "@" in step["uses"]
                assert len(step["uses"].split("@")[1]) == 40
            assert "github.event" not in step.get("run", "")
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize(("ref", "ok"), [
    (f"acme/govbot@{SHA}", True), ("acme/govbot@v1", False), (f"govbot@{SHA}", False)])
def test_check_action(ref: str, ok: bool) -> None:
    """Only OWNER/REPO@<40-hex sha> pins the action."""
    if ok:
        assert scaffold.check_action(ref) == ref
    else:
        with pytest.raises(UsageError):
            scaffold.check_action(ref)


def test_init_fresh_directory_passes_check(tmp_path: Path) -> None:
    """A fresh scaffold loads and passes every check."""
    code, output = init(tmp_path, "--org", "Acme", "--chair", "alice", "--member", "bob",
                        "--goal", "Grow: share the load", "--plan-title",
                        "Strategic Plan 2026–2029")
    assert code == 0, output
    assert "created  " in output
    assert "govbot/check and govbot/vote" in output
    tree = read_worktree(tmp_path)
    assert check_tree(tree, None) == []
    assert len(tree.records) == 1
    assert tree.records[0].path == RECORD


def test_init_without_flags_uses_defaults(tmp_path: Path) -> None:
    """Non-interactive with no flags: every placeholder is written, and the checklist lists
    each with how to fix it, as `govbot check` reports it."""
    code, output = init(tmp_path / "acme-foundation")
    assert code == 0, output
    text = (tmp_path / "acme-foundation" / "governance.yml").read_text()
    assert "committee of acme foundation" in text
    assert f"login: {scaffold.PLACEHOLDER_LOGIN}" in text
    problems = [line.strip() for line in output.splitlines() if line.startswith(" " * 8)]
    assert [p.split(": ", 1)[0] for p in problems] == [
        ".github/CODEOWNERS:4", ".github/CODEOWNERS:5", ".github/CODEOWNERS:6",
        ".github/workflows/govbot-publish.yml:46", ".github/workflows/govbot-sweep.yml:46",
        ".github/workflows/govbot-validate.yml:42", ".github/workflows/govbot.yml:63",
        ".github/workflows/govbot.yml:88",
        f"{RECORD}:11", f"{RECORD}:12", "governance.yml:19"]
    check = CliRunner().invoke(main, ["check", "--repo", str(tmp_path / "acme-foundation")])
    assert check.exit_code == 1
    assert check.stdout.splitlines() == problems
    _, findings = read_config("governance.yml", text)
    assert [str(f) for f in findings] == [
        "governance.yml:19: committee[0].login: 'your-github-login' is the placeholder "
        "`govbot init` wrote; put the member's real GitHub login here (and their numeric id)"]


@pytest.mark.parametrize(("args", "repository", "site_url"), [
    ([], None, None),
    (["--repository", "Acme/governance"], "Acme/governance", "https://acme.github.io/governance/"),
    (["--repository", "acme/Acme.github.io"], "acme/Acme.github.io", "https://acme.github.io/"),
])
def test_init_writes_the_repository_when_known(tmp_path: Path, args: list[str],
                                               repository: str | None,
                                               site_url: str | None) -> None:
    """`--repository` sets `repository` and the Pages `site_url`; without it both are
    commented placeholders, and either way governance.yml loads."""
    code, output = init(tmp_path, "--chair", "alice", *args)
    assert code == 0, output
    text = (tmp_path / "governance.yml").read_text()
    config = load_config("governance.yml", text)
    assert (config.repository, config.site_url) == (repository, site_url)
    assert ("# repository: my-org/governance\n" in text) == (repository is None)


def test_rerun_skips_existing_files(tmp_path: Path) -> None:
    """A second run keeps the user's edits and says which files it skipped."""
    init(tmp_path, "--chair", "alice")
    (tmp_path / "governance.yml").write_text("# mine\n")
    code, output = init(tmp_path, "--chair", "alice")
    assert code == 0
    assert (tmp_path / "governance.yml").read_text() == "# mine\n"
    assert f"skipped  {tmp_path / 'governance.yml'} (it exists; --force overwrites it)" \
        in output
    assert "created  " not in output


def test_existing_record_one_is_never_duplicated(tmp_path: Path) -> None:
    """An existing decisions/0001-*.md under another name keeps record 0001 unwritten."""
    (tmp_path / "decisions").mkdir()
    (tmp_path / "decisions" / "0001-ours.md").write_text("x")
    init(tmp_path, "--chair", "alice")
    assert sorted(p.name for p in (tmp_path / "decisions").iterdir()) == ["0001-ours.md"]


def test_force_overwrites(tmp_path: Path) -> None:
    """--force writes every file again."""
    init(tmp_path, "--chair", "alice")
    (tmp_path / "governance.yml").write_text("# mine\n")
    code, output = init(tmp_path, "--chair", "alice", "--force", "--templates")
    assert code == 0
    assert "skipped" not in output
    assert "login: alice" in (tmp_path / "governance.yml").read_text()
    assert (tmp_path / "templates" / "plan.md.j2").is_file()


def test_symlinks_are_never_written_through(tmp_path: Path) -> None:
    """Even with --force, a symbolic link in the way is skipped, not followed."""
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "governance.yml").symlink_to(outside)
    init(repo, "--force")
    assert outside.read_text() == "keep"


@pytest.mark.parametrize(("args", "message"), [
    (["--chair", "not a login"], "--chair 'not a login' is not a GitHub login"),
    (["--member", "-bad"], "--member '-bad' is not a GitHub login"),
    (["--goal", "no colon"], "--goal 'no colon': write a goal as"),
    (["--action", "acme/govbot@main"], "--action 'acme/govbot@main' must be OWNER/REPO@SHA"),
    (["--repository", "acme"], "--repository 'acme' must be the GitHub repository as "
                               "OWNER/NAME"),
])
def test_bad_flags_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    """Bad flags exit 2 with a message naming the flag, and write nothing."""
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--no-input", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_interactive_prompts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At a terminal, init asks for what the flags did not say, re-asking a bad goal."""
    monkeypatch.setattr("govbot.cli.main._stdin_is_tty", lambda: True)
    answers_text = "Acme\nPlan 2026\nalice\nbob carol\nbad goal\nGrow: share it\n\n"
    result = CliRunner().invoke(main, ["init", str(tmp_path)], input=answers_text)
    assert result.exit_code == 0, result.output
    config = load_config("governance.yml", (tmp_path / "governance.yml").read_text())
    assert [m.login for m in config.committee] == ["alice", "bob", "carol"]
    record = read_worktree(tmp_path).records[0]
    assert record.title == "Adopt the Plan 2026"
    assert [c.args["title"] for c in record.changes] == ["Grow"]
    assert ("  write the goal as a title, a colon, then why it matters, e.g. Grow our "
            "community: most projects depend on a few people") in result.output.splitlines()
    assert "--goal" not in result.output


def test_init_with_every_answer_leaves_nothing_for_check(tmp_path: Path) -> None:
    """With a chair, goals and an audited pin, `govbot check` finds nothing to fix."""
    code, output = init(tmp_path, "--chair", "alice", "--goal", "Grow: share the load",
                        "--action", f"acme/govbot@{SHA}")
    assert code == 0, output
    assert "Fix what govbot check reports" not in output
    check = CliRunner().invoke(main, ["check", "--repo", str(tmp_path)])
    assert (check.exit_code, check.stdout) == (0, "")
    pin = (tmp_path / ".github" / "workflows" / "govbot-sweep.yml").read_text()
    assert f"uses: acme/govbot@{SHA} # v" in pin


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.mark.parametrize(("setup", "args", "branch", "said"), [
    ("trunk", [], "trunk", "(the branch checked out;"),
    ("origin", [], "develop", "(the default branch of origin;"),
    ("", [], "main", "(no git branch found, so main;"),
    ("trunk", ["--default-branch", "release/v2"], "release/v2", "(given with --default-branch;"),
])
def test_publish_runs_on_the_default_branch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            setup: str, args: list[str], branch: str,
                                            said: str) -> None:
    """The publish workflow runs on the repository's default branch: origin/HEAD in a
    clone, else the branch checked out, else main; --default-branch overrides it."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    if setup:
        git(tmp_path, "init", "-q", "-b", "trunk")
    if setup == "origin":
        git(tmp_path, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/develop")
    code, output = init(tmp_path, "--chair", "alice", *args)
    assert code == 0, output
    workflow = yaml.safe_load((tmp_path / ".github/workflows/govbot-publish.yml").read_text())
    assert workflow[True]["push"]["branches"] == [branch]
    assert f"govbot-publish.yml publishes what is pushed to {branch} {said}" in output
    assert f"straight to the default branch ({branch})" in output


@pytest.mark.parametrize("branch", ["-x", "a..b", "a b", "x.lock", "x/", "a:b"])
def test_bad_default_branch_is_refused(tmp_path: Path, branch: str) -> None:
    """--default-branch must be a branch name git accepts."""
    code, output = init(tmp_path, "--default-branch", branch)
    assert code == 2
    assert f"--default-branch {branch!r} is not a branch name" in output
    assert list(tmp_path.iterdir()) == []


def test_prompts_check_each_answer_as_it_is_given(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad login is said at once and asked again; nothing typed before is lost, and no
    message names a flag the user did not type."""
    monkeypatch.setattr("govbot.cli.main._stdin_is_tty", lambda: True)
    typed = "Acme\n \nPlan 2026\nnot a login\n@alice\nbob -bad\nbob, carol\nGrow: share it\n\n"
    result = CliRunner().invoke(main, ["init", str(tmp_path)], input=typed)
    assert result.exit_code == 0, result.output
    assert "Error: 'not a login' is not a GitHub login (letters, digits and single hyphens, " \
        "at most 39 characters); type the name in the person's GitHub profile address" \
        in result.output
    assert "Error: '-bad' is not a GitHub login" in result.output
    assert "Error: give the plan's title" in result.output
    assert "--" not in result.output.split("created  ")[0]  # the questions and their errors
    config = load_config("governance.yml", (tmp_path / "governance.yml").read_text())
    assert [m.login for m in config.committee] == ["alice", "bob", "carol"]
    assert read_worktree(tmp_path).records[0].title == "Adopt the Plan 2026"


def test_a_bad_flag_is_refused_before_any_question(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad flag stops init before it asks anything, so no typed answer is lost."""
    monkeypatch.setattr("govbot.cli.main._stdin_is_tty", lambda: True)
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--member", "-bad"],
                                input="Acme\n")
    assert result.exit_code == 2
    assert "Organisation name" not in result.output
    assert "--member '-bad' is not a GitHub login" in result.output


def test_rerun_lists_only_what_is_still_to_do(tmp_path: Path) -> None:
    """Run again after fixing some placeholders, init lists only the ones left, and the
    repository settings in one line instead of the whole list."""
    init(tmp_path)
    for path in [tmp_path / "governance.yml", tmp_path / ".github" / "CODEOWNERS",
                 *tmp_path.glob("decisions/*.md")]:
        path.write_text(path.read_text().replace(scaffold.PLACEHOLDER_LOGIN, "alice"))
    code, output = init(tmp_path)
    assert code == 0
    assert "your-github-login" not in output
    assert "CODEOWNERS:" not in output
    assert "Settings → Pages" not in output
    assert "Repository settings (branch protection, Actions permissions, Pages): see " \
        "docs/getting-started.md, step 5, if not done yet." in output
    assert "govbot-sweep.yml:46: the govbot action is pinned to the placeholder" in output


def test_checklist_with_nothing_left() -> None:
    """When nothing is left, the checklist says so (and still points at the settings)."""
    done = scaffold.State(committed=True, first_run=False)
    assert scaffold.checklist(done) == ("Nothing left to do here. If not done yet, make the "
                                        "repository settings (docs/getting-started.md, step "
                                        "5).\n")
