"""`govbot check`, `govbot new` and `govbot schema` through click, on temporary repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from clikit import ADOPTED, repo_fixture, run  # noqa: F401 - the `repo` fixture
from recordkit import text

ROOT = Path(__file__).resolve().parents[2]
PROPOSAL = text({"id": "2", "title": "A policy", "kind": "policy", "status": "proposed",
                 "created": "2026-11-20", "authors": "[alice]"})


def git(repo: Path, *args: str) -> str:
    """Run git in the repository and return its output."""
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True,
                          text=True)
    return done.stdout.strip()


def commit_all(repo: Path, message: str) -> str:
    """Commit the whole tree; return the commit id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def test_clean_repository_exits_zero(repo: Path) -> None:
    """A clean repository: no output on stdout, a summary on stderr, exit 0."""
    result = run("check", "--repo", str(repo))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "govbot: checked governance.yml and 1 record(s): no problems found\n"


def test_this_repository_is_clean() -> None:
    """`govbot check` passes on the example governance repository."""
    assert run("check", "--repo", str(ROOT)).exit_code == 0


def test_findings_exit_one_in_text_format(repo: Path) -> None:
    """Findings print as path:line: message and exit 1."""
    (repo / "decisions" / "0002-a-policy.md").write_text(
        PROPOSAL.replace("status: proposed", "status: acepted"), encoding="utf-8")
    result = run("check", "--repo", str(repo))
    assert result.exit_code == 1
    assert result.stdout == (
        "decisions/0002-a-policy.md:5: status: 'acepted' is not one of draft, proposed, "
        "accepted, rejected, withdrawn, superseded, retired or expired (did you mean "
        "'accepted'?)\n")


def test_json_and_github_formats(repo: Path) -> None:
    """--format json is a document; github format (automatic under Actions) is annotations."""
    (repo / "decisions" / "0002-a-policy.md").write_text(
        PROPOSAL.replace("kind: policy", "kind: polcy"), encoding="utf-8")
    doc = json.loads(run("check", "--repo", str(repo), "--format", "json").stdout)
    assert doc["ok"] is False
    assert doc["findings"][0]["line"] == 4
    result = run("check", "--repo", str(repo), env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=decisions/0002-a-policy.md,line=4,title=govbot::kind: 'polcy' is not one "
        "of plan, policy, governance or review (did you mean 'policy'?)\n")
    assert run("check", "--repo", str(repo), "--format", "text",
               env={"GITHUB_ACTIONS": "true"}).stdout.startswith("decisions/0002-a-policy.md:4:")


def test_paths_limit_what_is_judged(repo: Path) -> None:
    """PATHS restrict the per-file rules to the given files."""
    (repo / "decisions" / "0002-a-policy.md").write_text(
        PROPOSAL.replace("status: proposed", "status: acepted"), encoding="utf-8")
    assert run("check", "--repo", str(repo), str(repo / "decisions" / "0001-adopt.md")
               ).exit_code == 0
    assert run("check", "--repo", str(repo), "decisions/0002-a-policy.md").exit_code == 1


@pytest.mark.parametrize(("setup", "args", "message"), [
    ("no-config", [], "govbot: error: no governance.yml in {repo}; run govbot in a governance "
     "repository or pass --repo\n"),
    ("", ["decisions/9999-nope.md"], "govbot: error: decisions/9999-nope.md: no such file; "
     "give paths of decision records or governance.yml\n"),
    ("", ["/"], "govbot: error: / is not inside the repository {repo}\n"),
    ("", ["--base", "nope"], "govbot: error: --base nope: git log failed: fatal: not a git "
     "repository"),
])
def test_usage_and_config_errors_exit_two(repo: Path, setup: str, args: list[str],
                                          message: str) -> None:
    """A missing governance.yml, unknown paths and a bad --base ref exit 2 with a reason."""
    if setup == "no-config":
        (repo / "governance.yml").unlink()
    result = run("check", "--repo", str(repo), *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message.format(repo=repo))


ALIAS_BOMB = "---\nid: 2\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n"
HOSTILE = [
    ("alias", ALIAS_BOMB.encode(),
     "decisions/0002-hostile.md:4: YAML aliases (*a) are not allowed; write the value out"),
    ("huge", b"---\nid: 2\n---\n" + b"x" * (10 * 1024 * 1024),
     "decisions/0002-hostile.md: the file is 10,485,774 bytes, over the 262,144-byte limit; "
     "records must be short text files"),
    ("binary", b"---\nid: 2\x00\n---\n",
     "decisions/0002-hostile.md: the file is binary (it contains NUL bytes); records must be "
     "UTF-8 Markdown"),
    ("latin-1", "---\nid: 2\ntitle: Caf\u00e9\n---\n".encode("latin-1"),
     "decisions/0002-hostile.md:3: the file is not valid UTF-8 (byte 20); save it as UTF-8"),
    ("tag", b"---\nid: !!python/object/apply:os.system ['echo hi']\n---\n",
     "decisions/0002-hostile.md:2: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' "
     "is not allowed; write plain values instead"),
    ("deep", b"---\nid: " + b"[" * 5000 + b"]" * 5000 + b"\n---\n",
     "decisions/0002-hostile.md:2: invalid YAML: exceeded maximum nesting depth"),
    ("nested", b"---\nid: " + b"[" * 40 + b"]" * 40 + b"\n---\n",
     "decisions/0002-hostile.md:2: the YAML is nested deeper than 32 levels"),
]


@pytest.mark.parametrize(("name", "content", "expected"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_record_files(repo: Path, name: str, content: bytes, expected: str) -> None:
    """Hostile files become one clear finding each: no crash, no hang, no traceback."""
    (repo / "decisions" / "0002-hostile.md").write_bytes(content)
    result = run("check", "--repo", str(repo))
    assert result.exit_code == 1
    assert result.stdout == expected + "\n"
    assert "Traceback" not in result.output


def test_symlinked_record(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A symlink in decisions/ is refused without being followed."""
    secret = tmp_path_factory.mktemp("outside") / "secret.md"
    secret.write_text("top secret", encoding="utf-8")
    (repo / "decisions" / "0002-link.md").symlink_to(secret)
    result = run("check", "--repo", str(repo))
    assert result.exit_code == 1
    assert result.stdout == ("decisions/0002-link.md: symbolic links are not allowed in "
                             "decisions/; replace the link with the record file itself\n")
    assert "top secret" not in result.output


FOLDER_LINK = ("decisions: decisions/ must be a real folder, not a symbolic link; replace the "
               "link with a decisions/ folder holding the record files themselves")


def link_decisions(repo: Path, outside: Path) -> None:
    """Move decisions/ out of the repository and leave a symbolic link in its place."""
    (repo / "decisions").rename(outside)
    (outside / "0002-hostile.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    (repo / "decisions").symlink_to(outside, target_is_directory=True)


def test_symlinked_decisions_folder(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A decisions/ folder that is itself a link is refused as a whole, and not followed."""
    link_decisions(repo, tmp_path_factory.mktemp("outside") / "records")
    result = run("check", "--repo", str(repo))
    assert (result.exit_code, result.stdout) == (1, FOLDER_LINK + "\n")


def test_symlinked_decisions_folder_against_a_base(
        repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """With --base, replacing decisions/ by a link is reported (and its records count as gone)."""
    git(repo, "init", "-q", "-b", "main")
    first = commit_all(repo, "adopt the plan")
    link_decisions(repo, tmp_path_factory.mktemp("outside") / "records")
    result = run("check", "--repo", str(repo), "--base", first)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == FOLDER_LINK
    assert result.stdout.splitlines()[1].startswith("decisions/0001-adopt.md: record 1 "
                                                    "(accepted) was deleted;")


def test_new_refuses_a_symlinked_decisions_folder(
        repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """`govbot new` never writes through a linked decisions/ folder."""
    outside = tmp_path_factory.mktemp("outside") / "records"
    link_decisions(repo, outside)
    result = run("new", "Title", "--author", "alice", "--repo", str(repo))
    assert result.exit_code == 2
    assert result.stderr == ("govbot: error: decisions/ must be a real folder, not a symbolic "
                             "link; replace the link with a decisions/ folder holding the record "
                             "files themselves\n")
    assert sorted(p.name for p in outside.iterdir()) == ["0001-adopt.md", "0002-hostile.md"]


def test_hostile_governance_yml(repo: Path) -> None:
    """An alias bomb in governance.yml is a finding on governance.yml."""
    (repo / "governance.yml").write_text("committee: &a [*a]\n", encoding="utf-8")
    result = run("check", "--repo", str(repo))
    assert result.exit_code == 1
    assert result.stdout == ("governance.yml:1: YAML aliases (*a) are not allowed; write the "
                             "value out\n")


@pytest.mark.parametrize(("content", "expected"), [
    (b"a\x00b", "governance.yml: the file is binary (it contains NUL bytes); governance.yml "
     "must be UTF-8 YAML text\n"),
    (b"x" * (16 * 1024 * 1024 + 1), "governance.yml: the file is 16,777,217 bytes, over the "
     "16,777,216-byte limit; governance.yml must be a short YAML text file\n"),
    (b"x: \xff\n", "governance.yml:1: the file is not valid UTF-8 (byte 3); save it as UTF-8\n"),
])
def test_unreadable_governance_yml(repo: Path, content: bytes, expected: str) -> None:
    """A binary or non-UTF-8 governance.yml is one finding, not a crash."""
    (repo / "governance.yml").write_bytes(content)
    result = run("check", "--repo", str(repo))
    assert result.exit_code == 1
    assert result.stdout == expected


def test_base_in_a_real_git_history(repo: Path) -> None:
    """`--base <first commit>` judges the working tree as a change to that commit."""
    git(repo, "init", "-q", "-b", "main")
    first = commit_all(repo, "adopt the plan")
    (repo / "decisions" / "0002-a-policy.md").write_text(PROPOSAL, encoding="utf-8")
    commit_all(repo, "propose a policy")
    assert run("check", "--repo", str(repo), "--base", first).exit_code == 0

    record = repo / "decisions" / "0001-adopt.md"
    record.write_text(ADOPTED.replace("Why.", "Why not."), encoding="utf-8")
    (repo / "decisions" / "0002-a-policy.md").write_text(
        PROPOSAL.replace("status: proposed", "status: accepted"), encoding="utf-8")
    result = run("check", "--repo", str(repo), "--base", first)
    assert result.exit_code == 1
    assert result.stdout == (
        "decisions/0001-adopt.md:18: record 1 is accepted and cannot be changed (decided "
        "records are immutable); restore it, and propose a new record (govbot new) that "
        "supersedes it or lists 1 under related\n"
        "decisions/0002-a-policy.md:1: decided: missing; an accepted record carries the date it "
        "was decided (govbot writes it at merge)\n"
        "decisions/0002-a-policy.md:1: pr: missing; an accepted record carries the number of "
        "the pull request that decided it (govbot writes it at merge)\n"
        "decisions/0002-a-policy.md:1: votes: missing; an accepted record carries the votes "
        "that decided it (govbot writes it at merge)\n"
        "decisions/0002-a-policy.md:5: status: only govbot sets accepted, when the PR merges "
        "after an approved vote; a new record starts as 'status: proposed' (or draft); to "
        "bring in decisions taken before govbot, run govbot import and commit its records "
        "directly to the default branch instead\n")

    record.unlink()
    (repo / "decisions" / "0002-a-policy.md").write_text(PROPOSAL, encoding="utf-8")
    result = run("check", "--repo", str(repo), "--base", "HEAD")
    assert result.exit_code == 1
    assert result.stdout.startswith("decisions/0001-adopt.md: record 1 (accepted) was deleted;")


def test_a_missing_base_is_reported_in_gits_words(repo: Path) -> None:
    """`check --base origin/main` when origin/main was never fetched says what git says,
    not "unknown error"; so does `new --base`."""
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "first")
    result = run("check", "--repo", str(repo), "--base", "origin/main")
    assert (result.exit_code, result.stderr) == (
        2, "govbot: error: --base origin/main: git log failed: fatal: bad revision "
        "'origin/main'\n")
    result = run("new", "Title", "--author", "alice", "--base", "--output=x", "--repo", str(repo))
    assert (result.exit_code, result.stderr) == (
        2, "govbot: error: --base --output=x: git log failed: fatal: bad revision '--output=x'\n")
    assert not (repo / "x").exists()


def test_base_does_not_blame_old_problems(repo: Path) -> None:
    """With --base, only files that differ from the base are judged per file."""
    (repo / "decisions" / "0002-a-policy.md").write_text(
        PROPOSAL.replace("authors: [alice]", "authors: [Alice Smith]"), encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "old problem")
    assert run("check", "--repo", str(repo)).exit_code == 1
    assert run("check", "--repo", str(repo), "--base", "HEAD").exit_code == 0


GENERATED = ("this file is generated by govbot from decisions/; don't edit it in a pull "
             "request — propose a decision record instead (govbot new)")


@pytest.mark.parametrize("name", ["PLAN.md", "CHANGELOG.md", "decisions.json"])
def test_base_flags_an_edited_generated_file(repo: Path, name: str) -> None:
    """A branch that edits (or deletes) a generated file fails `check --base`, as the PR
    judgement does; the same files rendered and committed directly pass a plain check."""
    git(repo, "init", "-q", "-b", "main")
    assert run("render", "--repo", str(repo)).exit_code == 0
    main_sha = commit_all(repo, "publish the outputs directly")
    clean = run("check", "--repo", str(repo))
    assert (clean.exit_code, clean.stdout) == (0, "")
    assert run("check", "--repo", str(repo), "--base", main_sha).exit_code == 0

    git(repo, "switch", "-q", "-c", "proposal")
    generated = repo / name
    generated.write_bytes(generated.read_bytes() + b"\nhand edit\n")
    commit_all(repo, "edit a generated file")
    result = run("check", "--repo", str(repo), "--base", main_sha)
    assert (result.exit_code, result.stdout) == (1, f"{name}: {GENERATED}\n")
    generated.unlink()
    result = run("check", "--repo", str(repo), "--base", main_sha)
    assert (result.exit_code, result.stdout) == (1, f"{name}: {GENERATED}\n")


def test_new_writes_the_next_record(repo: Path) -> None:
    """`govbot new` writes a proposed record with the next free id; the check passes it but
    for the section prompts its author still has to replace."""
    result = run("new", "Adopt a travel policy!", "--kind", "policy", "--author", "@alice",
                 "--repo", str(repo))
    assert result.exit_code == 0, result.output
    assert result.stdout == "decisions/0002-adopt-a-travel-policy.md\n"
    written = (repo / "decisions" / "0002-adopt-a-travel-policy.md").read_text("utf-8")
    front = yaml.safe_load(written.split("---\n")[1])
    assert front["id"] == 2
    assert front["title"] == "Adopt a travel policy!"
    assert front["status"] == "proposed"
    assert front["authors"] == ["alice"]
    checked = run("check", "--repo", str(repo))
    assert checked.exit_code == 1  # until the author replaces the section prompts
    assert [line.split(": ", 2)[1].split(";")[0] for line in checked.stdout.splitlines()] == [
        "## Context still holds govbot new's prompt ('What is the situation, and why does it "
        "need a decision now?')",
        "## Decision still holds govbot new's prompt ('What exactly do we decide?')",
        "## Consequences still holds govbot new's prompt ('What changes once this is decided, "
        "for whom, and what does it cost?')"]


def test_new_names_a_non_latin_title_by_its_words(repo: Path) -> None:
    """A title in another script gets a transliterated file name, not `record`."""
    result = run("new", "Принять политику поездок", "--kind", "policy", "--author", "alice",
                 "--repo", str(repo))
    assert result.stdout == "decisions/0002-prinyat-politiku-poezdok.md\n"
    written = (repo / "decisions" / "0002-prinyat-politiku-poezdok.md").read_text("utf-8")
    assert 'title: "Принять политику поездок"' in written


def test_new_refuses_to_go_past_four_digit_ids(repo: Path) -> None:
    """Once record 9999 exists, `govbot new` says the repository is full instead of writing
    a five-digit file name that the check would reject."""
    last = repo / "decisions" / "9999-last.md"
    last.write_text((repo / "decisions" / "0001-adopt.md").read_text("utf-8")
                    .replace("id: 1\n", "id: 9999\n", 1), "utf-8")
    before = sorted(p.name for p in (repo / "decisions").iterdir())
    result = run("new", "One more", "--author", "alice", "--repo", str(repo))
    assert result.exit_code == 2
    assert result.stderr == ("govbot: error: the next id would be 10000, but record ids have "
                             "four digits (decisions/NNNN-slug.md) and 9999 is the last; this "
                             "repository is full, so start a new one for the next plan\n")
    assert sorted(p.name for p in (repo / "decisions").iterdir()) == before


def test_new_plan_record_has_a_commented_example(repo: Path) -> None:
    """A new plan record shows a commented change for the first goal's next objective."""
    result = run("new", "More SLOs", "--author", "alice", "--repo", str(repo))
    written = (repo / result.stdout.strip()).read_text("utf-8")
    assert "#     objective: G1.2\n" in written
    checked = run("check", "--repo", str(repo))
    assert "a plan record must list its changes" in checked.stdout


def test_new_avoids_ids_on_the_base(repo: Path) -> None:
    """Ids used on origin/HEAD (or --base) are not reused."""
    git(repo, "init", "-q", "-b", "main")
    (repo / "decisions" / "0007-other.md").write_text(PROPOSAL, encoding="utf-8")
    tip = commit_all(repo, "upstream")
    git(repo, "update-ref", "refs/remotes/origin/main", tip)
    git(repo, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
    git(repo, "rm", "-q", "decisions/0007-other.md")
    result = run("new", "Next", "--kind", "review", "--author", "alice", "--repo", str(repo))
    assert result.stdout == "decisions/0008-next.md\n"


@pytest.mark.parametrize(("args", "message"), [
    (["x" * 101], "govbot: error: the title must be 1 to 100 characters long\n"),
    (["Title"], "govbot: error: who is proposing this? pass --author LOGIN\n"),
    (["Title", "--author", "Alice Smith"], "govbot: error: 'Alice Smith' is not a GitHub "
     "login; pass --author LOGIN\n"),
])
def test_new_usage_errors(repo: Path, args: list[str], message: str) -> None:
    """`govbot new` refuses bad titles and authors with exit 2."""
    result = run("new", *args, "--repo", str(repo))
    assert result.exit_code == 2
    assert result.stderr == message


def test_new_uses_github_actor(repo: Path) -> None:
    """Without --author, $GITHUB_ACTOR is the author."""
    result = run("new", "Title", "--repo", str(repo), env={"GITHUB_ACTOR": "bob"})
    assert result.exit_code == 0
    assert "authors: [bob]" in (repo / result.stdout.strip()).read_text("utf-8")


def to_json(data: object) -> object:
    """YAML data as JSON would see it (dates become strings)."""
    return json.loads(json.dumps(data, default=str))


def test_schema_validates_the_example_repository() -> None:
    """`govbot schema` prints a draft 2020-12 schema every example record satisfies."""
    import jsonschema

    from govbot.git.repo import read_worktree

    schema = json.loads(run("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for record in read_worktree(ROOT).records:
        assert list(validator.iter_errors(to_json(dict(record.front)))) == [], record.path
    config_schema = json.loads(run("schema", "--config").stdout)
    config = yaml.safe_load((ROOT / "governance.yml").read_text("utf-8"))
    jsonschema.Draft202012Validator(config_schema).validate(to_json(config))


def test_schema_rejects_a_bad_record() -> None:
    """The record schema rejects what `govbot check` rejects for fields and enums."""
    import jsonschema

    schema = json.loads(run("schema").stdout)
    bad = {"id": 2, "title": "x", "kind": "plan", "status": "acepted", "created": "2026-11-20",
           "authors": ["alice"]}
    messages = sorted(e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(bad))
    assert messages == ["'acepted' is not one of ['draft', 'proposed', 'accepted', 'rejected', "
                        "'withdrawn', 'superseded', 'retired', 'expired']",
                        "'changes' is a required property"]


def test_a_collision_with_the_base_is_a_notice_and_exits_zero(repo: Path) -> None:
    """`check --base` on a branch whose new record's id was taken on the base meanwhile:
    the notice is printed, the exit code stays 0 (publish renumbers it at merge)."""
    git(repo, "init", "-q", "-b", "main")
    first = commit_all(repo, "adopt the plan")
    (repo / "decisions" / "0001-mine.md").write_text(PROPOSAL.replace("id: 2", "id: 1"),
                                                    encoding="utf-8")
    result = run("check", "--repo", str(repo), "--base", first)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "decisions/0001-mine.md:2: notice: id: 1 is also used by decisions/0001-adopt.md, "
        "merged meanwhile; nothing to do: this record will be renumbered to 2 at merge (and "
        "references to it in this pull request follow)\n")
    assert "no problems found, 1 notice(s)" in result.stderr


def test_text_output_escapes_control_characters_in_file_names(repo: Path) -> None:
    """A newline (or an escape sequence) in a file name is shown escaped: it never starts a
    new output line, so it cannot forge a finding or a `::error::` command."""
    (repo / "decisions" / "0002-x\n::error::forged.md").write_text(PROPOSAL, encoding="utf-8")
    (repo / "decisions" / "notes\x1b[2J.txt").write_text("x", encoding="utf-8")
    result = run("check", "--repo", str(repo), "--format", "text")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("decisions/0002-x\\n::error::forged.md:1: the file name ")
    assert lines[-1].startswith("decisions/notes\\x1b[2J.txt: only decision records")
    assert not [line for line in lines if line.startswith("::")]
    assert "\x1b" not in result.stdout


def test_a_record_saved_as_upper_case_md_is_reported(repo: Path) -> None:
    """`decisions/0002-a-policy.MD` is not silently ignored: check fails and says to rename."""
    (repo / "decisions" / "0002-a-policy.MD").write_text(PROPOSAL, encoding="utf-8")
    result = run("check", "--repo", str(repo))
    assert result.exit_code == 1
    assert result.stdout == (
        "decisions/0002-a-policy.MD: decision records end in '.md' in lowercase, and govbot "
        "does not read this file; rename it to decisions/0002-a-policy.md\n")


def test_config_schema_knows_bodies_leave_and_the_new_rule_keys() -> None:
    """`govbot schema --config` accepts what `govbot check` accepts for several bodies (a
    secretary, a leave, deadline/remind/recorded_votes, BODY.KIND protected paths) and
    rejects a protected-path key that is neither KIND nor BODY.KIND."""
    import jsonschema

    schema = json.loads(run("schema", "--config").stdout)
    member = {"login": "sam", "role": "secretary", "from": "2021-01-01",
              "leave": [{"from": "2026-01-10", "until": "2026-03-31"}]}
    rule = {"quorum": 0.5, "deadline": "30d", "remind": "2d", "recorded_votes": True}
    good = {"bodies": {"steering": {"name": "Steering", "committee": [member]},
                       "council": {"committee": [member], "rules": {"plan": rule}}},
            "default_body": "steering",
            "rules": dict.fromkeys(("plan", "policy", "governance", "review"), rule),
            "protected_paths": {"council.plan": ["PLAN.md"], "governance": ["x"]}}
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(good)) == []
    bad = {**good, "protected_paths": {"council.plan.x": ["PLAN.md"]}}
    assert [e.message for e in validator.iter_errors(bad)] == [
        "'council.plan.x' does not match '^([a-z][a-z0-9_-]{0,39}\\\\.)?(plan|policy|governance"
        "|review)$'"]
