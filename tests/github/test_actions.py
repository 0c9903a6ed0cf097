"""The Actions runtime: environment, payloads and the router."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from govbot.github import router as actions
from govbot.github.botstate import (
    BotState,
    fingerprint,
    settled,
    state_line,
    trusted_state,
)
from govbot.github.runtime import Env, Run, load_event
from govbot.model.config import load_config
from govbot.model.errors import ConfigError, GitHubError, GovbotError, UsageError
from govbot.vote.commands import might_hold_command
from tallykit import ROSTER


@pytest.mark.parametrize(("event", "action", "handler"), [
    ("pull_request", "opened", actions.on_pull_request),
    ("pull_request_target", "converted_to_draft", actions.on_pull_request),
    ("pull_request_review", "dismissed", actions.on_review),
    ("issue_comment", "deleted", actions.on_comment),
    ("workflow_run", "completed", actions.on_workflow_run),
    ("schedule", None, actions.on_schedule),
    ("workflow_dispatch", None, actions.on_dispatch),
    ("pull_request", "labeled", None),
    ("pull_request", "closed", None),
    ("workflow_run", "requested", None),
    ("push", None, None),
])
def test_route(event: str, action: str | None, handler: actions.Handler | None) -> None:
    """(event, action) pairs map to their handler; everything else is ignored."""
    assert actions.route(event, action) is handler


def test_env_outside_actions() -> None:
    """Without the Actions variables the message says where `govbot run` belongs."""
    with pytest.raises(UsageError, match=r"GITHUB_EVENT_NAME and GITHUB_REPOSITORY not set: "
                       r"`govbot run` runs inside GitHub Actions"):
        Env.from_environ({})


def test_run_url() -> None:
    """Statuses link to this run on the configured server."""
    env = Env.from_environ({"GITHUB_EVENT_NAME": "schedule",
                                    "GITHUB_REPOSITORY": "org/gov", "GITHUB_RUN_ID": "7",
                                    "GITHUB_SERVER_URL": "https://ghe.example.com"})
    assert env.run_url == "https://ghe.example.com/org/gov/actions/runs/7"


def test_load_event_unreadable(tmp_path: Path) -> None:
    """A broken payload file is a usage error naming the file."""
    path = tmp_path / "event.json"
    path.write_text("{not json")
    with pytest.raises(UsageError, match="cannot read the event payload"):
        load_event(str(path))


def test_ignored_event_needs_nothing(tmp_path: Path) -> None:
    """An event govbot does not handle returns without reading the repository or GitHub."""
    path = tmp_path / "event.json"
    path.write_text('{"action": "labeled"}')
    seen: list[str] = []
    result = actions.run({"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(path),
                          "GITHUB_REPOSITORY": "org/gov"}, tmp_path, echo=seen.append)
    assert seen == ["govbot: ignoring pull_request.labeled"]
    assert result.outcomes == {}


@pytest.mark.parametrize(("body", "command"), [
    ("/govbot object too costly", True),
    ("Thanks!\n  /govbot abstain", True),
    ("/GOVBOT OBJECT: too costly", True),
    ("/govbot\u00a0abstain.", True),
    ("/govbot objet", True),
    ("a `<!--` b\n/govbot object", True),
    ("see /govbot docs", False),
    ("/govbotx", False),
    ("<!--\n/govbot object\n-->", False),
    ("```\n/govbot object\n```", False),
], ids=["command", "after text", "any case", "unicode space", "unknown (shown ignored)",
        "after inline code holding <!--", "mid-line", "no word break", "HTML comment",
        "code block"])
def test_command_detection(body: str, command: bool) -> None:
    """A new comment is worth a re-tally exactly when the tally's own grammar finds a
    /govbot line in it (a command, or one it shows as ignored)."""
    assert might_hold_command(body) is command


CREATED = "2026-11-20T08:00:00Z"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def _state(ready: str | None, at: str = "2026-11-29T10:00:00Z") -> BotState:
    return BotState("a" * 40, {}, ready, at)


STATUSES = {"govbot/check": ("success", "ok"), "govbot/vote": ("pending", "waiting")}
DIGEST = "0123456789abcdef"


def _settled_case(change: dict[str, object]) -> bool:
    state = BotState("a" * 40, {k: (v[0], fingerprint(v[1])) for k, v in STATUSES.items()},
                     None, "2026-11-29T10:00:00Z",
                     next_at=change.pop("next_at", "2026-12-01T00:00:00Z"),  # type: ignore[arg-type]
                     base=change.pop("base", DIGEST))  # type: ignore[arg-type]
    comment = {"body": "<!-- govbot:status -->\nhi\n\n" + state_line(state),
               "updated_at": change.pop("written", "2026-11-29T10:00:05Z")}
    pull = {"head": {"sha": change.pop("head", "a" * 40)},
            "updated_at": change.pop("updated", "2026-11-29T10:00:10Z")}
    statuses = change.pop("statuses", STATUSES)
    return settled(pull, None if change.pop("no_comment", False) else comment,
                   statuses, DIGEST, NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(("change", "expected"), [
    ({}, True),
    ({"next_at": None}, True),
    ({"next_at": "2026-11-30T12:00:00Z"}, False),
    ({"base": "fedcba9876543210"}, False),
    ({"base": None}, False),
    ({"head": "b" * 40}, False),
    ({"updated": "2026-11-29T10:01:00Z"}, False),
    ({"written": "2026-11-29T11:00:00Z"}, False),
    ({"statuses": {**STATUSES, "govbot/vote": ("success", "waiting")}}, False),
    ({"statuses": {"govbot/check": ("success", "ok")}}, False),
    ({"no_comment": True}, False),
], ids=["unchanged", "nothing due", "a time passed", "the base changed", "an old line",
        "a push", "activity after govbot wrote", "comment edited", "a status overwritten",
        "a status missing", "no comment"])
def test_settled(change: dict[str, object], expected: bool) -> None:
    """The sweep leaves a PR alone only when nothing can have changed since govbot's last
    judgement: same head, same base, nothing due, no later activity, its statuses shown."""
    assert _settled_case(dict(change)) is expected


BODY = "<!-- govbot:status -->\nhi\n\n" + state_line(_state(None))


@pytest.mark.parametrize(("comment", "trusted"), [
    ({"body": BODY, "updated_at": "2026-11-29T10:00:10Z"}, True),
    ({"body": BODY, "updated_at": "2026-11-29T10:05:00Z"}, False),
    ({"body": BODY, "updated_at": "yesterday"}, False),
    ({"body": "<!-- govbot:status -->\nhi\n", "updated_at": "2026-11-29T10:00:00Z"}, False),
    (None, False),
], ids=["as written", "edited later", "no time", "no state", "no comment"])
def test_trusted_state(comment: dict[str, str] | None, trusted: bool) -> None:
    """The state is trusted only when the comment was not edited after govbot wrote it."""
    assert (trusted_state(comment) is not None) is trusted


class _Client:
    """Records the fail-closed writes; either write can be made to fail."""

    def __init__(self, fail: bool) -> None:
        self.fail, self.statuses = fail, []  # type: list[tuple[str, str]]

    def post_error(self, number: int, heads: list[str], context: str, description: str,
                   url: str | None) -> None:
        self.statuses.append(("error", description))
        if self.fail:
            raise GitHubError("refused\n::add-mask::again")

    def forget_state(self, number: int, bot: str) -> bool:
        if self.fail:
            raise GitHubError("refused\n##[add-mask]again")
        return True


@pytest.mark.parametrize(("exc", "reason"), [
    (RuntimeError("boom\n::add-mask::x"), "RuntimeError: boom ::add-mask::x"),
    (GitHubError("GitHub refused it (422: x\r\n  ::stop-commands::t0k)"),
     "GitHub refused it (422: x ::stop-commands::t0k)"),
    (ConfigError("governance.yml is broken", problems=("::add-mask::x", "##[add-mask]y")),
     "governance.yml is broken ::add-mask::x ## [add-mask]y"),
], ids=["exception", "GitHub's message", "config problems"])
@pytest.mark.parametrize("fail", [False, True], ids=["written", "writes fail"])
def test_fail_closed_prints_one_line_that_cannot_be_a_workflow_command(
        tmp_path: Path, exc: Exception, reason: str, fail: bool) -> None:
    """Actions reads `::command::` at the start of any line of stdout and stderr: the error
    text is put on one line after `govbot: `, in the log and in the `error` status."""
    seen: list[str] = []
    client = _Client(fail)
    env = Env.from_environ({"GITHUB_EVENT_NAME": "schedule",
                                    "GITHUB_REPOSITORY": "org/gov"})
    current = Run(env, {}, tmp_path, client, NOW, echo=seen.append)
    current._config = load_config("governance.yml", ROSTER)
    error = actions.fail_closed(current, 7, exc)
    lines = [line for text in seen for line in text.splitlines()]
    assert lines[0] == f"govbot: PR #7: {reason}"
    assert client.statuses == [("error", f"govbot could not tally this PR: {reason}")]
    assert lines[1:] == ([] if not fail else [
        "govbot: could not post the error status either: refused ::add-mask::again",
        "govbot: could not clear the state in the status comment: refused ## [add-mask]again"])
    assert all(line.startswith("govbot: ") and "##[" not in line for line in lines)
    assert current.outcomes == {7: "error"}
    assert isinstance(error, GovbotError)
