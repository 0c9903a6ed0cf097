"""Running `govbot run` the way the workflow does, against the stateful fake GitHub (not a
test module): a checkout of the default branch, the fake holding the same files, and a
`Bot` that writes GitHub-shaped event payloads and invokes the real CLI."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from fake_github import BOT, FakeGitHub
from fake_github_routes import _pull
from govbot.cli.main import main
from govbot.github.botstate import MARKER
from govbot.github.client import GitHubClient

ROOT = Path(__file__).resolve().parents[1]
START = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
BODY = "## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n"
# the example repository's roster (governance.yml): login, numeric id
AMARA, JOOST, PRIYA = ("amara-osei", 3184562), ("jvandenberg", 918273), \
    ("priya-raman", 22604519)
SOFIA, DAWID, HIRO = ("sofia-mendes", 41177026), ("dkowalczyk", 14093385), \
    ("hnakamura", 67281904)


def checkout(root: Path, config: bytes | None = None) -> Path:
    """A checkout of the default branch in `root`: the example's governance.yml (or
    `config`) and decisions."""
    root.mkdir()
    (root / "governance.yml").write_bytes(config or (ROOT / "governance.yml").read_bytes())
    shutil.copytree(ROOT / "decisions", root / "decisions")
    return root


@contextlib.contextmanager
def fake_for(gov: Path, monkeypatch: pytest.MonkeyPatch, now: dt.datetime = START
             ) -> Iterator[FakeGitHub]:
    """The fake API holding the checkout's files on main; clients built without
    throttling."""
    files = {str(p.relative_to(gov)): p.read_bytes() for p in gov.rglob("*") if p.is_file()}
    original = GitHubClient.from_env.__func__  # type: ignore[attr-defined]

    def quick(cls: type[GitHubClient], repository: str, env: Any, **kw: Any) -> GitHubClient:
        return original(cls, repository, env, retry=None, seconds_between_requests=None,
                        seconds_between_writes=None)

    monkeypatch.setattr(GitHubClient, "from_env", classmethod(quick))
    with FakeGitHub(files, now=now) as api:
        yield api


class Bot:
    """Runs `govbot run` the way the workflow does."""

    def __init__(self, fake: FakeGitHub, gov: Path, tmp: Path) -> None:
        self.fake, self.gov, self.tmp = fake, gov, tmp
        self.runs = 0

    def pull(self, number: int) -> dict[str, Any]:
        """The PR as a webhook carries it."""
        return _pull(self.fake, number)

    def run(self, event: str, payload: Mapping[str, Any], *extra: str) -> Result:
        """Write the payload, set the Actions environment, run the CLI."""
        self.runs += 1
        path = self.tmp / f"event-{self.runs}.json"
        path.write_text(json.dumps({"repository": self.fake.repo,
                                    "sender": {"login": "someone"}, **payload}))
        env = {"GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": str(path),
               "GITHUB_REPOSITORY": "org/governance", "GITHUB_API_URL": "https://api.github.com",
               "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": str(self.runs),
               "GITHUB_TOKEN": "t0ken", "GITHUB_STEP_SUMMARY": str(self.tmp / "summary.md"),
               "GITHUB_OUTPUT": str(self.tmp / "output.txt")}
        return CliRunner().invoke(main, ["run", "--repo", str(self.gov), "--now",
                                         self.fake.stamp(), *extra], env=env)

    def pr_event(self, number: int, action: str = "opened",
                 event: str = "pull_request_target") -> Result:
        """A pull_request(_target) event."""
        return self.run(event, {"action": action, "number": number,
                                "pull_request": self.pull(number)})

    def comment_event(self, number: int, comment: Mapping[str, Any],
                      action: str = "created") -> Result:
        """An issue_comment event on the PR."""
        issue = {"number": number, "pull_request": {"url": self.pull(number)["url"]},
                 "user": self.pull(number)["user"], "state": "open"}
        return self.run("issue_comment", {"action": action, "issue": issue,
                                          "comment": dict(comment)})

    def schedule(self) -> Result:
        """The scheduled sweep."""
        return self.run("schedule", {"schedule": "17 * * * *"})


def ok(result: Result) -> Result:
    """Assert the run succeeded (showing its output when it did not)."""
    assert result.exit_code == 0, result.output
    return result


def vote(fake: FakeGitHub, number: int) -> tuple[str, str] | None:
    """(state, description) of govbot/vote on the PR's head."""
    status = fake.latest_status(fake.pulls[number].head_sha, "govbot/vote")
    return (status["state"], status["description"]) if status else None


def bot_comments(fake: FakeGitHub, number: int) -> list[dict[str, Any]]:
    """The bot's status comments on a PR."""
    return [c for c in fake.comments_on(number)
            if c["user"]["login"] == BOT[0] and MARKER in c["body"]]
