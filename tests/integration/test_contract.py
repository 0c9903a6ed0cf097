"""Cross-cutting contract tests: the public names, keys and exit codes DESIGN.md marks
*contract*, pinned in one place so a rename anywhere fails here (module-level behaviour is
tested in each module's own test file)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from govbot.cli.main import handle_errors, main
from govbot.model.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "tests" / "snapshots"
GITHUB_ENV = ("GITHUB_ACTIONS", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_REPOSITORY",
              "GITHUB_TOKEN", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GOVBOT_PR")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def gov(tmp_path: Path) -> Path:
    """A committed copy of this repository's governance data and generated files."""
    repo = tmp_path / "gov"
    repo.mkdir()
    for name in ("governance.yml", "CHANGELOG.md", "PLAN.md", "decisions.json"):
        shutil.copy(ROOT / name, repo / name)
    for folder in ("decisions", "templates"):
        shutil.copytree(ROOT / folder, repo / folder)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.name", "Chair Person")
    _git(repo, "config", "user.email", "chair@example.org")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "history")
    return repo


def invoke(args: list[str], **env: str) -> Any:
    """Run govbot outside GitHub Actions (no GITHUB_* variables unless given)."""
    clean: dict[str, str | None] = dict.fromkeys(GITHUB_ENV)
    clean.update(env)
    return CliRunner().invoke(main, args, env=clean)


# --- command names and exit codes (DESIGN §2–§7, STYLE habit 4) ---------------------------

COMMANDS = ("check", "demo", "init", "new", "plan", "publish", "render", "run", "schema",
            "site", "snapshot", "tally")


def test_the_documented_commands_exist() -> None:
    """Every command DESIGN and the README name is a govbot command (more may be added)."""
    assert set(COMMANDS) <= set(main.commands)


@pytest.mark.parametrize(("command", "option"), [
    ("tally", "--format"), ("tally", "--snapshot"), ("publish", "--local"),
    ("render", "--check"), ("snapshot", "--pr"), ("check", "--base"), ("new", "--kind"),
    ("plan", "--format"), ("run", "--dry-run"),
])
def test_the_documented_options_exist(command: str, option: str) -> None:
    """The options DESIGN names (`tally --format json --snapshot`, `publish --local`,
    `render --check`, …) are accepted by their commands."""
    assert option in {o for p in main.commands[command].params for o in p.opts}


def test_every_command_maps_errors_to_exit_codes() -> None:
    """Every command runs inside `handle_errors`, so GovbotError exits with its code and
    anything else with 3 (STYLE habit 4), including commands added later."""
    wrapper = handle_errors(lambda: None).__code__
    for name, command in main.commands.items():
        assert command.callback is not None, name
        assert command.callback.__code__ is wrapper, name


@pytest.mark.parametrize(("verbose", "traceback"), [(False, False), (True, True)])
def test_an_unexpected_error_exits_three(monkeypatch: pytest.MonkeyPatch, verbose: bool,
                                         traceback: bool) -> None:
    """An unexpected exception exits 3 with one line, the traceback only under --verbose."""
    from govbot.git import repo as gitrepo
    from govbot.git import workspace  # noqa: F401 - imported before the patch, so it (and
    # every later test) keeps the real read_worktree

    def broken(root: Path) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(gitrepo, "read_worktree", broken)
    result = invoke([*(["--verbose"] if verbose else []), "plan", "--repo", str(ROOT)])
    assert result.exit_code == 3
    assert "govbot: unexpected error: RuntimeError: boom" in result.output.splitlines()
    assert ("Traceback (most recent call last):" in result.output) is traceback
    assert ("(run again with --verbose for the traceback)" in result.output) is not traceback


def _stale_plan(gov: Path) -> None:
    (gov / "PLAN.md").write_text("edited by hand\n", encoding="utf-8")


def _bad_record(gov: Path) -> None:
    (gov / "decisions" / "0099-bad.md").write_text("---\nid: 98\n---\n", encoding="utf-8")


def _no_config(gov: Path) -> None:
    (gov / "governance.yml").unlink()


def _snapshot_file(gov: Path) -> None:
    shutil.copy(SNAPSHOTS / "clean-majority.json", gov.parent / "pr.json")


def _not_json(gov: Path) -> None:
    (gov.parent / "pr.json").write_text("not json", encoding="utf-8")


def _event(gov: Path) -> None:
    (gov.parent / "event.json").write_text("{}", encoding="utf-8")


def _nothing(gov: Path) -> None:
    return None


def _rendered(gov: Path) -> None:
    assert invoke(["render", "--repo", str(gov)]).exit_code == 0


# (command line with {repo}/{tmp} placeholders, setup, extra env, exit code)
EXIT_CODES: list[tuple[str, Any, dict[str, str], int]] = [
    ("plan --repo {repo}", _nothing, {}, 0),
    ("plan --repo {repo} --format yaml", _nothing, {}, 2),
    ("plan --repo {tmp}/missing", _nothing, {}, 2),
    ("render --check --repo {repo}", _rendered, {}, 0),
    ("render --check --repo {repo}", _stale_plan, {}, 1),
    ("render --repo {tmp}", _nothing, {}, 2),
    ("render --repo {tmp}/missing", _nothing, {}, 2),
    ("site --repo {repo} --out {tmp}/site", _nothing, {}, 0),
    ("site --repo {repo}", _nothing, {}, 2),
    ("check --repo {repo}", _nothing, {}, 0),
    ("check --repo {repo}", _bad_record, {}, 1),
    ("check --repo {repo}", _no_config, {}, 2),
    ("new Convene --author alice --repo {repo}", _nothing, {}, 0),
    ("new '' --author alice --repo {repo}", _nothing, {}, 2),
    ("schema", _nothing, {}, 0),
    ("schema --bogus", _nothing, {}, 2),
    ("tally --snapshot {tmp}/pr.json --repo {repo} --format json", _snapshot_file, {}, 0),
    ("tally --snapshot {tmp}/pr.json --repo {repo}", _not_json, {}, 2),
    ("tally --snapshot {tmp}/pr.json --repo {tmp}", _snapshot_file, {}, 2),
    ("init {tmp}/new --no-input --chair alice", _nothing, {}, 0),
    ("init {tmp}/new --no-input --action bad", _nothing, {}, 2),
    ("demo --keep {repo}", _nothing, {}, 2),
    ("publish --local --repo {repo}", _nothing, {}, 0),
    ("publish --local --repo {tmp}", _nothing, {}, 2),
    ("publish --repo {repo}", _nothing, {}, 2),
    ("run --repo {repo}", _event, {"GITHUB_EVENT_NAME": "push",
                                   "GITHUB_REPOSITORY": "org/gov",
                                   "GITHUB_EVENT_PATH": "{tmp}/event.json"}, 0),
    ("run --repo {repo}", _nothing, {}, 2),
    ("snapshot --pr 1", _nothing, {}, 2),
    ("snapshot --pr x --repository org/gov", _nothing, {}, 2),
]


@pytest.mark.parametrize(("line", "setup", "env", "code"), EXIT_CODES,
                         ids=[f"{row[0].split()[0]}-{row[3]}-{i}"
                              for i, row in enumerate(EXIT_CODES)])
def test_exit_codes(gov: Path, line: str, setup: Any, env: dict[str, str], code: int) -> None:
    """Each command exits 0 when it did its job, 1 for findings / not passed where it promises
    that, 2 for usage or configuration errors (STYLE habit 4; 3 is tested above)."""
    import shlex

    setup(gov)
    fill = {"repo": str(gov), "tmp": str(gov.parent)}
    args = [arg.format(**fill) for arg in shlex.split(line)]
    result = invoke(args, **{k: v.format(**fill) for k, v in env.items()})
    assert result.exit_code == code, result.output


def test_render_refuses_a_folder_that_is_not_a_governance_repository(tmp_path: Path) -> None:
    """`govbot render` in a folder with neither governance.yml nor decisions/ writes nothing
    and says why (a mistyped --repo must not scatter generated files)."""
    result = invoke(["render", "--repo", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == (f"govbot: error: neither governance.yml nor decisions/ in "
                             f"{tmp_path}, so there is nothing to render; run govbot in a "
                             "governance repository or pass --repo\n")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_repo_folder_is_a_usage_error(tmp_path: Path) -> None:
    """--repo naming a folder that does not exist is refused before anything is written."""
    result = invoke(["render", "--repo", str(tmp_path / "gone")])
    assert result.exit_code == 2
    assert "Directory" in result.output
    assert "does not exist" in result.output
    assert not (tmp_path / "gone").exists()


# --- §5: govbot tally --format json and the snapshot schema -------------------------------

TALLY_KEYS = {"outcome", "rule", "electorate", "approvals", "objections", "abstentions",
              "recused", "votes", "needs", "decides_at"}
VOTE_KEYS = {"member", "vote", "counted", "note", "at"}


@pytest.mark.parametrize("name", sorted(p.stem for p in SNAPSHOTS.glob("*.json")))
def test_tally_json_has_the_contract_keys(name: str) -> None:
    """`govbot tally --format json` prints at least DESIGN §5's keys, with their types, for
    every example snapshot."""
    result = invoke(["tally", "--snapshot", str(SNAPSHOTS / f"{name}.json"), "--repo", str(ROOT),
                     "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) >= TALLY_KEYS
    assert doc["outcome"] in ("approved", "pending", "blocked", "failing", "invalid",
                              "no-decision")
    # every applicable rule's kind, comma-joined (each rule's result is in `rules`)
    assert doc["rule"] is None or set(doc["rule"].split(", ")) <= {
        "plan", "policy", "governance", "review"}
    assert [r["kind"] for r in doc["rules"]] == ([] if doc["rule"] is None
                                                 else doc["rule"].split(", "))
    assert all(isinstance(doc[k], int) for k in ("approvals", "objections", "abstentions"))
    assert all(isinstance(doc[k], list) for k in ("electorate", "recused", "votes", "needs"))
    assert doc["decides_at"] is None or doc["decides_at"].endswith("Z")
    assert doc["votes"], "every example has at least one vote row"
    for row in doc["votes"]:
        assert set(row) >= VOTE_KEYS
        assert isinstance(row["counted"], bool)


def test_outcomes_are_the_seven_of_the_design() -> None:
    """The outcome is one of exactly DESIGN §5's seven words (`expired`: a deadline passed
    without approval)."""
    from govbot.vote.tally import OUTCOMES

    assert OUTCOMES == ("approved", "pending", "blocked", "failing", "expired", "invalid",
                        "no-decision")


@pytest.mark.parametrize(("schema", "shown"), [
    ("govbot.snapshot/2", "'govbot.snapshot/2'"), ("govbot.snapshot", "'govbot.snapshot'"),
    (None, "None")])
def test_snapshot_schema_string(schema: str | None, shown: str) -> None:
    """Snapshots carry the schema "govbot.snapshot/1"; anything else is refused by name."""
    from govbot.github.payloads import SNAPSHOT_SCHEMA
    from govbot.model.errors import ConfigError
    from govbot.vote.snapshot import SCHEMA, load_snapshot

    assert SCHEMA == SNAPSHOT_SCHEMA == "govbot.snapshot/1"
    data = json.loads((SNAPSHOTS / "clean-majority.json").read_text(encoding="utf-8"))
    assert load_snapshot(data, "x").repository
    data["schema"] = schema
    with pytest.raises(ConfigError) as caught:
        load_snapshot(data, "x")
    assert str(caught.value) == (f"x: schema: {shown} is not 'govbot.snapshot/1'; take the "
                                 "snapshot again with `govbot snapshot`, or fix the file")


# --- §6: statuses, labels, the marker -------------------------------------------------------

def test_status_contexts_labels_and_marker() -> None:
    """The two status contexts, the three labels and the hidden marker keep their names."""
    from govbot.github.botstate import MARKER, STATE_CONTEXTS
    from govbot.github.payloads import LABELS
    from govbot.github.router import OUTCOME_LABELS

    assert STATE_CONTEXTS == ("govbot/check", "govbot/vote")
    assert set(OUTCOME_LABELS.values()) == {"govbot/approved", "govbot/pending",
                                            "govbot/blocked"}
    assert set(LABELS) == {"govbot/approved", "govbot/pending", "govbot/blocked"}
    assert MARKER.startswith("<!--")
    assert MARKER.endswith("-->")


@pytest.mark.parametrize("name", sorted(p.stem for p in SNAPSHOTS.glob("*.json")))
def test_every_tally_posts_both_statuses_within_140(name: str, repo_root: Path) -> None:
    """Every outcome posts exactly govbot/check and govbot/vote, with a GitHub status state
    and a description of at most 140 characters; success only when approved or nothing to
    decide; the comment starts with the hidden marker."""
    from govbot.github.botstate import MARKER, comment_body
    from govbot.model.config import load_config
    from govbot.render.comment import render_comment, status_descriptions
    from govbot.vote.snapshot import load_snapshot
    from govbot.vote.tally import tally

    config = load_config("governance.yml", (repo_root / "governance.yml").read_text())
    snap = load_snapshot(json.loads((SNAPSHOTS / f"{name}.json").read_text()), name)
    result = tally(snap, config, snap.taken_at)
    statuses = status_descriptions(result)
    assert set(statuses) == {"govbot/check", "govbot/vote"}
    for state, description in statuses.values():
        assert state in ("error", "failure", "pending", "success")
        assert 0 < len(description) <= 140
    assert (statuses["govbot/vote"][0] == "success") is (result.outcome in ("approved",
                                                                             "no-decision"))
    assert comment_body(render_comment(result, snap)).startswith(MARKER)


def test_labels_are_on_by_default() -> None:
    """Labels are optional (labels: false) and on by default."""
    from govbot.model.config import load_config

    text = (ROOT / "governance.yml").read_text(encoding="utf-8")
    assert "labels:" not in text
    assert load_config("governance.yml", text).labels is True
    assert load_config("governance.yml", text + "labels: false\n").labels is False


# --- §2: record vocabulary and bot-owned fields ---------------------------------------------

def test_record_vocabulary() -> None:
    """Kinds, statuses, votes and change operations are DESIGN §2's words."""
    from govbot.model.records import KINDS, OPS, REQUIRED_SECTIONS, STATUSES, VOTES

    assert KINDS == ("plan", "policy", "governance", "review")
    assert STATUSES == ("draft", "proposed", "accepted", "rejected", "withdrawn", "superseded",
                        "retired", "expired")
    assert VOTES == ("approve", "object", "abstain", "recuse")
    assert set(OPS) == {"add-goal", "edit-goal", "retire-goal", "add-objective",
                        "edit-objective", "retire-objective", "adopt-plan"}
    assert REQUIRED_SECTIONS == ("Context", "Decision", "Consequences")


@pytest.mark.parametrize(("field", "value"), [
    ("decided", "2026-11-22"), ("pr", "7"), ("superseded_by", "3"),
    ("votes", "[{member: bob, vote: approve, at: '2026-11-21T10:00:00Z', commit: "
              "2a255d11283773c24d36e647c3a3ca7bd6dcd855}]"),
])
@pytest.mark.parametrize("status", ["draft", "proposed", "withdrawn"])
def test_a_pr_may_not_set_bot_owned_fields(field: str, value: str, status: str) -> None:
    """Each bot-owned field set on an open record fails the check, naming the field."""
    from govbot.model.records import BOT_OWNED
    from govbot.rules.checks import check_record
    from recordkit import make_from

    assert {"decided", "pr", "votes", "superseded_by"} <= set(BOT_OWNED)
    record = make_from({"status": status, field: value})
    found = [str(f) for f in check_record(record, today=dt.date(2026, 11, 24))
             if f.rule == "lifecycle"]
    assert found == [f"decisions/0012-regional-convenings.md:8: {field}: only govbot writes "
                     "this field, when the decision is merged; remove it"]


# --- §4: governance.yml keys ------------------------------------------------------------------

def test_governance_yml_keys() -> None:
    """Every key of DESIGN §4 is accepted (more may be), and the example file loads."""
    from govbot.model.config import MEMBER_KEYS, RULE_KEYS, TOP_KEYS, load_config

    assert {"committee", "rules", "author", "stale_approvals", "tie_breaker", "protected_paths",
            "review_cycle", "bot"} <= set(TOP_KEYS)
    assert {"bodies", "default_body"} <= set(TOP_KEYS)
    assert set(MEMBER_KEYS) == {"login", "id", "name", "role", "from", "until", "leave"}
    assert set(RULE_KEYS) == {"quorum", "threshold", "min_approvals", "review_period", "veto",
                              "deadline", "remind", "recorded_votes"}
    config = load_config("governance.yml", (ROOT / "governance.yml").read_text())
    assert set(config.rules) == {"plan", "policy", "governance", "review"}


# --- §11: no network in tests, enforced -------------------------------------------------------

@pytest.mark.parametrize("address", [("192.0.2.1", 443), ("api.github.com", 443)])
def test_the_network_is_off_in_tests(address: tuple[str, int]) -> None:
    """Connecting anywhere but this machine fails inside the test suite (conftest's fixture)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, \
            pytest.raises(OSError, match=r"network access to .* is disabled in govbot's tests"):
        sock.connect(address)


def test_loopback_stays_open() -> None:
    """Loopback still works (local servers, the browser test)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass


# --- §10: reads are retried, writes are not -----------------------------------------------------

API = "https://api.github.com:443/repos/org/gov"


def test_the_default_client_retries_a_failed_read_but_not_a_write() -> None:
    """With govbot's default retry policy a GET that fails with 5xx is retried, while a
    write is made once and its failure reported (writes are idempotent, not blindly
    retried)."""
    import responses

    from govbot.github.client import GitHubClient
    from govbot.model.errors import GitHubError

    head = "a" * 40
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.get(f"{API}/pulls/7", status=502, json={"message": "Bad Gateway"})
        rsps.get(f"{API}/pulls/7", json={"number": 7})
        rsps.post(f"{API}/statuses/{head}", status=502, json={"message": "Bad Gateway"})
        client = GitHubClient("org/gov", token="t0ken", seconds_between_requests=None,
                              seconds_between_writes=None)
        assert client.pull(7)["number"] == 7
        with pytest.raises(GitHubError, match=r"\(502: Bad Gateway\); re-run the job$"):
            client.post_statuses(head, {"govbot/vote": ("success", "Approved")}, None, {})
        assert [c.request.method for c in rsps.calls] == ["GET", "GET", "POST"]


# --- STYLE habit 4: in Actions an error is also an annotation and a job-summary entry -----------

def test_in_actions_an_error_is_annotated_and_summarised(gov: Path) -> None:
    """Under GitHub Actions a configuration error (exit 2) also prints one `::error::`
    annotation and appends the message to the job summary; outside Actions it does not."""
    (gov / "governance.yml").unlink()
    summary = gov.parent / "summary.md"
    message = (f"no governance.yml in {gov}; run govbot in a governance repository or pass "
               "--repo")
    result = invoke(["check", "--repo", str(gov)], GITHUB_ACTIONS="true",
                    GITHUB_STEP_SUMMARY=str(summary))
    assert result.exit_code == 2
    assert result.stderr == f"govbot: error: {message}\n::error title=govbot::{message}\n"
    assert summary.read_text(encoding="utf-8") == (
        f"**govbot stopped with an error:**\n\n    {message}\n\n")
    outside = invoke(["check", "--repo", str(gov)])
    assert outside.stderr == f"govbot: error: {message}\n"


def test_in_actions_an_unexpected_error_cannot_forge_a_command(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The annotation for an unexpected error (exit 3) escapes the text, so no line of it
    becomes a workflow command of its own, and the summary keeps it inert."""
    from govbot.git import repo as gitrepo

    def broken(root: Path) -> None:
        raise RuntimeError("boom\n::add-mask::x")

    monkeypatch.setattr(gitrepo, "read_worktree", broken)
    summary = tmp_path / "summary.md"
    result = invoke(["plan", "--repo", str(ROOT)], GITHUB_ACTIONS="true",
                    GITHUB_STEP_SUMMARY=str(summary))
    assert result.exit_code == 3
    commands = [line for line in result.stderr.splitlines() if line.startswith("::")]
    assert commands == ["::error title=govbot::unexpected error: RuntimeError: boom "
                        "::add-mask::x"]
    assert summary.read_text(encoding="utf-8") == (
        "**govbot stopped with an error:**\n\n    unexpected error: RuntimeError: boom "
        "::add-mask::x\n\n")


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`govbot … | head` stops quietly with 141 (as a tool killed by SIGPIPE would), not with
    an "unexpected error" and exit 3."""
    import subprocess
    import sys

    script = tmp_path / "flood.py"
    script.write_text(
        "import click, sys\n"
        "from govbot.cli.main import handle_errors\n"
        "@click.command()\n"
        "@handle_errors\n"
        "def flood():\n"
        "    for n in range(200000):\n"
        "        click.echo('x' * 80)\n"
        "flood()\n", encoding="utf-8")
    shell = f"set -o pipefail; {sys.executable} {script} | head -1 >/dev/null"
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=False,
                            timeout=60)
    assert (result.returncode, result.stderr) == (141, "")


# --- the rough edges of the command line (issue 16) -----------------------------------------

def test_help_lists_every_summary_whole() -> None:
    """`govbot --help` shows each command's whole summary, never cut with "..."."""
    result = invoke(["--help"])
    listing = result.output.split("Commands:\n", 1)[1].splitlines()
    assert len(listing) == len(main.commands)
    for line in listing:
        name, summary = line.split(None, 1)
        assert summary == main.commands[name].get_short_help_str(limit=1000)
        assert not summary.endswith(("...", "…")), line
        assert len(line) <= 80, line


def test_verbose_is_accepted_after_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """`govbot plan --verbose` means `govbot --verbose plan` (it used to be refused with a
    suggestion to use --base)."""
    from govbot.git import repo as gitrepo
    from govbot.git import workspace  # noqa: F401 - keeps the real read_worktree

    def broken(root: Path) -> None:
        raise RuntimeError("boom")

    assert invoke(["check", "--verbose", "--repo", str(ROOT)]).exit_code == 0
    monkeypatch.setattr(gitrepo, "read_worktree", broken)
    result = invoke(["plan", "--verbose", "--repo", str(ROOT)])
    assert result.exit_code == 3
    assert "Traceback (most recent call last):" in result.output


def test_plan_prints_what_plan_md_holds() -> None:
    """`govbot plan` prints PLAN.md byte for byte (same links, same layout)."""
    result = invoke(["plan", "--repo", str(ROOT)])
    assert result.exit_code == 0
    assert result.stdout == (ROOT / "PLAN.md").read_text(encoding="utf-8")


def test_snapshot_repo_is_a_deprecated_alias(monkeypatch: pytest.MonkeyPatch) -> None:
    """`snapshot --repo OWNER/NAME` still works for one release, with a warning that names
    --repository; the two spellings cannot disagree."""
    from govbot.github import client

    asked: list[str] = []

    def from_env(repository: str, env: Any) -> None:
        asked.append(repository)
        raise UsageError("stop here")

    monkeypatch.setattr(client.GitHubClient, "from_env", staticmethod(from_env))
    old = invoke(["snapshot", "--pr", "1", "--repo", "org/gov"])
    new = invoke(["snapshot", "--pr", "1", "--repository", "org/gov"])
    assert asked == ["org/gov", "org/gov"]
    assert old.stderr.splitlines()[0] == (
        "govbot: warning: `govbot snapshot --repo OWNER/NAME` is deprecated and goes away in "
        "the next release; write --repository OWNER/NAME (everywhere else --repo is the "
        "governance repository's folder)")
    assert "deprecated" not in new.stderr
    both = invoke(["snapshot", "--pr", "1", "--repo", "org/a", "--repository", "org/b"])
    assert both.exit_code == 2
    assert both.stderr.splitlines()[1] == ("govbot: error: --repo org/a and --repository org/b "
                                           "disagree; pass only --repository OWNER/NAME")
    assert "--repo " not in main.commands["snapshot"].get_help(click.Context(main))
