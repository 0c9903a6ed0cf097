"""What a govbot step reads from and writes to GitHub Actions itself (not the API): the
GITHUB_* environment, the event payload, the `Run` one invocation carries, error
annotations, the job summary and the step outputs."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from govbot.model.config import Config
from govbot.model.errors import ConfigError, GovbotError, UsageError
from govbot.model.findings import Finding, format_github, workflow_command

PRIVILEGED = ("pull_request_target", "pull_request_review", "issue_comment", "workflow_run",
              "schedule", "workflow_dispatch")
PAYLOAD_PR = ("pull_request", "pull_request_target", "pull_request_review")
DEFAULT_BOT = "github-actions[bot]"


@dataclass(frozen=True, slots=True)
class Env:
    """What Actions tells a step about its run."""

    event_name: str
    event_path: str | None
    repository: str
    api_url: str
    server_url: str
    run_id: str | None
    step_summary: str | None
    output: str | None

    @classmethod
    def from_environ(cls, env: Mapping[str, str]) -> Env:
        """Read GITHUB_* variables; UsageError naming what is missing outside Actions."""
        missing = [k for k in ("GITHUB_EVENT_NAME", "GITHUB_REPOSITORY") if not env.get(k)]
        if missing:
            raise UsageError(f"{' and '.join(missing)} not set: `govbot run` runs inside "
                             "GitHub Actions (use `govbot snapshot` and `govbot tally` "
                             "to look at a PR from a terminal)")
        return cls(env["GITHUB_EVENT_NAME"], env.get("GITHUB_EVENT_PATH"),
                   env["GITHUB_REPOSITORY"], env.get("GITHUB_API_URL") or "https://api.github.com",
                   env.get("GITHUB_SERVER_URL") or "https://github.com", env.get("GITHUB_RUN_ID"),
                   env.get("GITHUB_STEP_SUMMARY"), env.get("GITHUB_OUTPUT"))

    @property
    def run_url(self) -> str | None:
        """The link statuses point to: this run."""
        if not self.run_id:
            return None
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"


class Client(Protocol):
    """What a run needs from GitHub (`github.client.GitHubClient`, or a test's stand-in):
    typed, so mypy checks every call the router makes."""

    def pull(self, number: int) -> dict[str, Any]: ...
    def read_pull(self, number: int, *, now: dt.datetime, protected: Iterable[str] = (),
                  compare: bool = True) -> Any: ...
    def open_pulls_state(self, bot_login: str) -> list[Any]: ...
    def upsert_comment(self, number: int, body: str, *, marker: str, bot_login: str,
                       comments: list[dict[str, Any]] | None = None) -> str: ...
    def forget_state(self, number: int, bot_login: str, marker: str = ...) -> bool: ...
    def set_statuses(self, number: int, expected_head: str | None,
                     statuses: Mapping[str, tuple[str, str]], target_url: str | None
                     ) -> dict[str, bool]: ...
    def post_error(self, number: int, heads: Iterable[str], context: str, description: str,
                   target_url: str | None) -> list[str]: ...
    def post_statuses(self, head: str, statuses: Mapping[str, tuple[str, str]],
                      target_url: str | None,
                      known: Mapping[str, tuple[str, str]] | None = None) -> dict[str, bool]: ...
    def set_labels(self, number: int, wanted: set[str], current: set[str]) -> bool: ...
    def open_pulls(self) -> list[dict[str, Any]]: ...
    def pulls_with_head(self, sha: str) -> list[dict[str, Any]]: ...
    def ensure_issue(self, marker: str, title: str, body: str) -> int: ...
    def post_comment(self, number: int, body: str) -> None: ...
    def branch_tip(self, branch: str) -> str: ...
    def read_file(self, path: str, ref: str) -> bytes | None: ...
    def list_dir(self, path: str, ref: str) -> list[str]: ...
    def commit_files(self, branch: str, parent_sha: str,
                     files: Mapping[str, bytes | None], message: str) -> str | None: ...


@dataclass
class Run:
    """One invocation: where things are, how to talk to GitHub, and what happened."""

    env: Env
    event: dict[str, Any]
    repo_dir: Path
    client: Client
    now: dt.datetime
    dry_run: bool = False
    echo: Callable[[str], None] = print
    outcomes: dict[int, str] = field(default_factory=dict)
    _config: Config | None = None
    started: float = field(default_factory=time.monotonic)
    _base: Any = None
    _digest: str | None = None

    @property
    def action(self) -> str | None:
        value = self.event.get("action")
        return str(value) if value is not None else None

    @property
    def writes(self) -> bool:
        return self.env.event_name in PRIVILEGED and not self.dry_run

    def clock(self) -> str:
        """`now` advanced by the time this run has taken: when a write happens."""
        when = self.now + dt.timedelta(seconds=time.monotonic() - self.started)
        return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def event_pull(self, number: int) -> dict[str, Any] | None:
        """The event's copy of PR `number`, when the event carries it."""
        pull = self.event.get("pull_request")
        if self.env.event_name in PAYLOAD_PR and isinstance(pull, dict) and \
                pull.get("number") == number:
            return pull
        return None

    def config(self) -> Config:
        """governance.yml from the local checkout of the default branch (cached);
        ConfigError when there is none or it does not load (the handlers fail closed)."""
        if self._config is None:
            from govbot.git.repo import load_worktree_config

            if not (self.repo_dir / "governance.yml").is_file():
                raise ConfigError(f"no governance.yml in {self.repo_dir}: check out the "
                                  "default branch before running govbot (actions/checkout "
                                  "with no ref)")
            self._config = load_worktree_config(self.repo_dir)
        return self._config

    def base_records(self) -> Any:
        """The default branch's records, from the checkout: read once per run (every PR
        of a sweep is judged against the same list)."""
        if self._base is None:
            from govbot.git.repo import read_worktree

            self._base = read_worktree(self.repo_dir)
        return self._base.records

    def base_digest(self) -> str:
        """A digest of what every judgement of this run rests on: govbot's version, the
        default branch's governance.yml and its records (see `botstate.settled`)."""
        if self._digest is None:
            import hashlib

            from govbot import __version__

            self.base_records()
            digest = hashlib.sha256(f"govbot {__version__}\0".encode())
            digest.update((self._base.config_text or "").encode() + b"\0")
            for record in sorted(self._base.records, key=lambda r: r.path):
                digest.update(f"{record.path}\0{record.text}\0".encode())
            self._digest = digest.hexdigest()[:16]
        return self._digest

    def bot_login(self) -> str:
        """The account govbot writes as: governance.yml's `bot`, or the workflow token's
        when the configuration does not load (the fail-closed path still finds its
        comment then)."""
        try:
            return self.config().bot
        except GovbotError:
            return DEFAULT_BOT


def one_line(text: str) -> str:
    """`text` on one line, safe to print in an Actions log after a `govbot: ` prefix:
    every run of whitespace (line breaks included) becomes one space, and the legacy `##[`
    opener is broken up. Actions reads workflow commands (`::add-mask::`,
    `::stop-commands::`) from stdout and stderr at the start of any line, and `##[…]`
    anywhere in one, so text govbot did not write (an exception, GitHub's error message)
    must never reach either as a line of its own."""
    return " ".join(text.split()).replace("##[", "## [")


def actions_error(message: str, env: Mapping[str, str]) -> str | None:
    """Under GitHub Actions (STYLE habit 4), the `::error::` annotation for an error that
    stopped govbot, for the caller to print, after appending the message to the job summary
    as an indented (inert) block; None outside Actions."""
    if env.get("GITHUB_ACTIONS") != "true":
        return None
    if summary := env.get("GITHUB_STEP_SUMMARY"):
        block = "".join(f"    {line}\n" for line in message.expandtabs().splitlines())
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(f"**govbot stopped with an error:**\n\n{block}\n")
    return workflow_command("error", message, title="govbot")


def log_lines(text: str) -> str:
    """Several lines of text (a config error and its problems) safe to print in an Actions
    log: a line that would start a workflow command gets a `govbot: ` prefix, and `##[` is
    broken up wherever it is."""
    lines = [line.replace("##[", "## [") for line in text.splitlines()]
    return "\n".join(f"govbot: {line}" if line.lstrip().startswith("::") else line
                     for line in lines)


def load_event(path: str | None) -> dict[str, Any]:
    """The webhook payload Actions saved for this run ({} when there is none)."""
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the event payload {path}: {exc}") from None
    return data if isinstance(data, dict) else {}


def annotate(run: Run, findings: Iterable[Finding], report: str) -> None:
    """Error annotations for `findings`, and `report` appended to the job summary."""
    found = list(findings)
    if found:
        run.echo(format_github(found).rstrip("\n"))
    if run.env.step_summary:
        with open(run.env.step_summary, "a", encoding="utf-8") as handle:
            handle.write(report + "\n")


def write_outputs(run: Run) -> None:
    """Step outputs `outcome` and `pr` (the last PR handled)."""
    if not run.env.output or not run.outcomes:
        return
    number, outcome = list(run.outcomes.items())[-1]
    with open(run.env.output, "a", encoding="utf-8") as handle:
        handle.write(f"outcome={outcome}\npr={number}\n")
