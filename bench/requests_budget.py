"""GitHub API requests per event, counted through the scenario fake (tests/fake_github.py).

`govbot run` is driven in-process the way the scenario tests drive it: a `FakeGitHub` holds
the repository and the pull request, an event payload is written to GITHUB_EVENT_PATH, and
every request the bot makes is logged by the fake. For a typical PR (one record, a handful of
reviews and comments) and a large one (ten records, 150 reviews, 300 comments: several pages
each) it reports reads and writes per event, then runs the same event again with nothing
changed: that run must write nothing.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import synth

TESTS = Path(__file__).resolve().parent.parent / "tests"


@contextmanager
def _env(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def _unthrottled() -> Iterator[None]:
    """Build GitHub clients as the scenario tests do: no retries, no request spacing."""
    from govbot.github.client import GitHubClient

    original = GitHubClient.from_env

    def quick(repository: str, env: Any, **_: Any) -> GitHubClient:
        return original.__func__(GitHubClient, repository, env, retry=None,  # type: ignore[attr-defined]
                                 seconds_between_requests=None, seconds_between_writes=None)

    GitHubClient.from_env = quick  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        GitHubClient.from_env = original  # type: ignore[method-assign]


class _Bot:
    """Runs `govbot run` in-process against the fake, the way the scenario tests do."""

    def __init__(self, fake: Any, work: Path) -> None:
        self.fake, self.work, self.runs = fake, work, 0

    def run(self, event: str, payload: dict[str, Any]) -> tuple[int, str]:
        from click.testing import CliRunner

        from govbot.cli.main import main

        self.runs += 1
        path = self.work / f"event-{self.runs}.json"
        path.write_text(json.dumps({"repository": self.fake.repo,
                                    "sender": {"login": "someone"}, **payload}))
        env = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event,
               "GITHUB_EVENT_PATH": str(path), "GITHUB_REPOSITORY": self.fake.repo_name,
               "GITHUB_API_URL": "https://api.github.com",
               "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": str(self.runs),
               "GITHUB_TOKEN": "bench-token", "GITHUB_STEP_SUMMARY": str(self.work / "sum.md"),
               "GITHUB_OUTPUT": str(self.work / "output.txt")}
        with _env(env):
            result = CliRunner().invoke(main, ["run", "--repo", str(self.work / "repo"),
                                               "--now", self.fake.stamp()])
        return result.exit_code, result.output

    def measure(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Reads and writes of one run of the event, then of the same run again."""
        out: dict[str, Any] = {}
        for attempt in ("first", "re-run"):
            self.fake.reset_calls()
            code, output = self.run(event, payload)
            writes = Counter(f"{c.method} {c.template}" for c in self.fake.writes)
            reads = Counter(c.template for c in self.fake.reads)
            out[attempt] = {"exit_code": code, "reads": len(self.fake.reads),
                            "writes": len(self.fake.writes), "write_calls": dict(writes),
                            "read_calls": dict(reads)}
            if code not in (0, 1):
                out[attempt]["error"] = " ".join(output.strip().splitlines()[-1:])
        return out


def scenario(records: int, reviews: int, comments: int, size: int) -> dict[str, Any]:
    """Requests per event for one pull request (opened, reviewed, commented, pushed to)."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    from fake_github import FakeGitHub
    from fake_github_routes import _pull

    files = synth.generate(size)
    proposed = {p: d for p, d in files.items() if p.startswith("decisions/")
                and b"status: proposed" in d}
    pr_files = dict(list(proposed.items())[:records])
    base = {p: d for p, d in files.items() if p not in proposed}
    members = [(c[0], c[1]) for c in synth.COMMITTEE if c[5] is None]
    out: dict[str, Any] = {"records": len(pr_files), "reviews": reviews, "comments": comments}
    with tempfile.TemporaryDirectory() as tmp, _unthrottled(), FakeGitHub(base) as fake:
        work = Path(tmp)
        for path, data in base.items():  # the default branch checkout the workflow runs on
            (work / "repo" / path).parent.mkdir(parents=True, exist_ok=True)
            (work / "repo" / path).write_bytes(data)
        bot = _Bot(fake, work)
        number = fake.add_pull(pr_files, login=members[0][0], user_id=members[0][1])
        out["pull_request_target.opened"] = bot.measure(
            "pull_request_target", {"action": "opened", "number": number,
                                    "pull_request": _pull(fake, number)})
        fake.tick(hours=1)
        review: dict[str, Any] = {}
        for index in range(reviews):
            login, uid = members[index % len(members)]
            review = fake.add_review(number, login, uid, ("APPROVED", "COMMENTED")[index % 2],
                                     "Looks right.")
        out["pull_request_review.submitted"] = bot.measure(
            "pull_request_review", {"action": "submitted", "review": review,
                                    "pull_request": _pull(fake, number)})
        fake.tick(hours=1)
        comment: dict[str, Any] = {}
        for index in range(comments):
            login, uid = members[index % len(members)]
            comment = fake.add_comment(number, login, uid, "Thanks, reading it now.")
        comment = fake.add_comment(number, *members[-1], "/govbot abstain")
        issue = {"number": number, "pull_request": {"url": _pull(fake, number)["url"]}}
        out["issue_comment.created"] = bot.measure(
            "issue_comment", {"action": "created", "issue": issue, "comment": comment})
        fake.tick(hours=1)
        path, data = next(iter(pr_files.items()))
        fake.push(number, {path: data.replace(b"## Context", b"## Context\n\nRevised.", 1)})
        out["pull_request_target.synchronize"] = bot.measure(
            "pull_request_target", {"action": "synchronize", "number": number,
                                    "pull_request": _pull(fake, number)})
    return out


def table(results: dict[str, Any]) -> str:
    """One line per event: reads / writes of the first run, and writes of the re-run."""
    if "status" in results:
        return f"GitHub API requests per event: {results['status']}"
    lines = [f"{'GitHub API requests per event':<34} {'PR':<8} {'reads':>5} {'writes':>6} "
             f"{'re-run writes':>13}  note"]
    for label, scenario_result in results.items():
        if "error" in scenario_result:
            lines.append(f"{'':<34} {label:<8} error: {scenario_result['error']}")
            continue
        for event, runs in scenario_result.items():
            if not isinstance(runs, dict):
                continue
            first, again = runs["first"], runs["re-run"]
            note = first.get("error") or again.get("error") or ", ".join(
                f"{count}x {call.replace('/repos/{owner}/{repo}', '')}"
                for call, count in first["write_calls"].items())
            lines.append(f"{event:<34} {label:<8} {first['reads']:>5} {first['writes']:>6} "
                         f"{again['writes']:>13}  {note}")
    return "\n".join(lines)


def measure(commands: set[str]) -> dict[str, Any]:
    """Typical and large PRs; n/a while `govbot run` does not exist."""
    if "run" not in commands:
        return {"status": "n/a (command missing)"}
    results: dict[str, Any] = {}
    for label, records, reviews, comments, size in (("typical", 1, 4, 5, 100),
                                                    ("large", 10, 150, 300, 1000)):
        try:
            results[label] = scenario(records, reviews, comments, size)
        except Exception as exc:  # a benchmark reports, it never crashes the run
            results[label] = {"error": f"{type(exc).__name__}: {exc}"}
    return results
