"""The Actions runtime: environment, payloads and the router."""

from __future__ import annotations

from pathlib import Path

import pytest

from govbot import actions
from govbot.errors import UsageError


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
        actions.Env.from_environ({})


def test_run_url() -> None:
    """Statuses link to this run on the configured server."""
    env = actions.Env.from_environ({"GITHUB_EVENT_NAME": "schedule",
                                    "GITHUB_REPOSITORY": "org/gov", "GITHUB_RUN_ID": "7",
                                    "GITHUB_SERVER_URL": "https://ghe.example.com"})
    assert env.run_url == "https://ghe.example.com/org/gov/actions/runs/7"


def test_load_event_unreadable(tmp_path: Path) -> None:
    """A broken payload file is a usage error naming the file."""
    path = tmp_path / "event.json"
    path.write_text("{not json")
    with pytest.raises(UsageError, match="cannot read the event payload"):
        actions.load_event(str(path))


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
    ("see /govbot docs", False),
    ("/govbotx", False),
])
def test_command_detection(body: str, command: bool) -> None:
    """Only a /govbot command at the start of a line makes a new comment worth a re-tally."""
    assert bool(actions.COMMAND.search(body)) is command
