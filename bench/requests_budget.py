"""GitHub API requests per event and per sweep, counted through the scenario fake
(tests/fake_github.py), against the targets of DESIGN §10.

`govbot run` is driven in-process the way the scenario tests drive it: a `FakeGitHub` holds
the repository and the pull requests, an event payload is written to GITHUB_EVENT_PATH, and
every request the bot makes is logged by the fake (a GraphQL query counts as one read). For
a typical PR (one record, a handful of reviews and comments) and a large one (ten records,
150 reviews, 300 comments: several pages each) it reports reads and writes per event, then
runs the same event again with nothing changed: that run must write nothing. For 1, 10, 50
and 100 open PRs, each judged once by its event, it reports what the hourly sweep costs when
nothing changed, and when every review period has just ended (every PR judged again).
`govbot publish` is measured the same way at 10 and at 10,000 records (the fake backed by
real git, the workflow's checkout a clone of it): one approved PR merged, published, then
published again; its budget is at most 10 requests whatever the number of records.

One command prints the tables for bench/README.md:

    python bench/requests_budget.py
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
            reads = Counter(line for line, call in zip(self.fake.summary(), self.fake.calls,
                                                       strict=True)
                            if call in self.fake.reads)
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


def sweep(count: int, size: int = 100) -> dict[str, Any]:
    """Requests of the sweep over `count` open PRs, each judged once by its `opened` event:
    with nothing changed, then once every review period has ended."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    from fake_github import FakeGitHub
    from fake_github_routes import _pull

    files = synth.generate(size)
    base = {p: d for p, d in files.items() if not p.startswith("decisions/")
            or b"status: proposed" not in d}
    free = 1 + max(int(p.split("/")[1][:4]) for p in files if p.startswith("decisions/"))
    member = next(c for c in synth.COMMITTEE if c[5] is None)
    out: dict[str, Any] = {"open_prs": count}
    with tempfile.TemporaryDirectory() as tmp, _unthrottled(), FakeGitHub(base) as fake:
        work = Path(tmp)
        for path, data in base.items():
            (work / "repo" / path).parent.mkdir(parents=True, exist_ok=True)
            (work / "repo" / path).write_bytes(data)
        bot = _Bot(fake, work)
        for n in range(count):
            new = free + n
            body = (f"---\nid: {new}\ntitle: Proposal {new}\nkind: policy\nstatus: proposed"
                    f"\ncreated: 2026-11-19\nauthors: [{member[0]}]\n---\n## Context\n\nc\n\n"
                    "## Decision\n\nd\n\n## Consequences\n\ne\n").encode()
            number = fake.add_pull({f"decisions/{new:04d}-proposal.md": body},
                                   login=member[0], user_id=member[1])
            bot.run("pull_request_target", {"action": "opened", "number": number,
                                            "pull_request": _pull(fake, number)})
        bot.run("schedule", {"schedule": "17 * * * *"})  # opens the duty issues, once
        for label, days in (("unchanged", 0.0), ("review periods ended", 15.0)):
            fake.tick(hours=1, days=days)
            fake.reset_calls()
            code, output = bot.run("schedule", {"schedule": "17 * * * *"})
            out[label] = {"exit_code": code, "requests": len(fake.calls),
                          "reads": len(fake.reads), "writes": len(fake.writes),
                          "calls": dict(Counter(fake.summary()))}
            if code not in (0, 1):
                out[label]["error"] = " ".join(output.strip().splitlines()[-1:])
    return out


def publish_scenario(size: int) -> dict[str, Any]:
    """Requests of `govbot publish` after one approved PR (one of the synthetic proposals)
    merged into a repository of `size` records (synthetic, as for check, without the other
    proposals), then of the same run again."""
    import datetime as dt

    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    from fake_github import FakeGitHub
    from govbot.git.publish import Checkout
    from govbot.github.client import GitHubClient
    from govbot.github.publish import publish_github

    generated = synth.generate(size)
    proposals = [p for p, d in generated.items()
                 if p.startswith("decisions/") and b"status: proposed" in d]
    files = {p: d for p, d in generated.items() if p not in proposals}
    members = [(c[0], c[1]) for c in synth.COMMITTEE if c[5] is None]
    out: dict[str, Any] = {"records": size}
    with tempfile.TemporaryDirectory() as tmp, FakeGitHub(
            files, git=Path(tmp) / "origin.git",
            now=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)) as fake:
        number = fake.add_pull({proposals[0]: generated[proposals[0]]},
                               login=members[0][0], user_id=members[0][1])
        fake.tick(hours=1)
        for login, uid in members[1:]:
            fake.add_review(number, login, uid, "APPROVED")
        fake.tick(days=30)
        fake.merge(number)
        checkout = Checkout(fake.clone(Path(tmp) / "checkout"))
        client = GitHubClient(fake.repo_name, token="bench", retry=None,
                              seconds_between_requests=None, seconds_between_writes=None)
        runs: dict[str, Any] = {}
        for attempt in ("first", "re-run"):
            fake.reset_calls()
            result = publish_github(client, checkout, "main", now=fake.now)
            writes = Counter(f"{c.method} {c.template}" for c in fake.writes)
            runs[attempt] = {"exit_code": 1 if result.left else 0,
                             "reads": len(fake.reads), "writes": len(fake.writes),
                             "write_calls": dict(writes),
                             "read_calls": dict(Counter(c.template for c in fake.reads))}
        out["push (govbot publish)"] = runs
    return out


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """DESIGN §10's request budget, each target with what was measured."""
    events = [runs for scenario in results.get("events", {}).values()
              if isinstance(scenario, dict) for runs in scenario.values()
              if isinstance(runs, dict)]
    typical = [runs for event, runs in results.get("events", {}).get("typical", {}).items()
               if isinstance(runs, dict)]
    fifty = next((s for s in results.get("sweeps", []) if s.get("open_prs") == 50), None)
    rows = [("a PR event (typical PR): reads", "≤ 4",
             max((r["first"]["reads"] for r in typical), default=None), 4),
            ("an unchanged re-run: writes", "0",
             max((r["re-run"]["writes"] for r in events), default=None), 0),
            ("the sweep of 50 open PRs, nothing changed: requests", "≤ 5",
             fifty["unchanged"]["requests"] if fifty else None, 5)]
    for label, size in (("10 records", 10), ("10,000 records", 10_000)):
        run = results.get("publish", {}).get(size, {}).get("push (govbot publish)")
        rows.append((f"publish one merged PR at {label}: requests", "≤ 10",
                     run["first"]["reads"] + run["first"]["writes"] if run else None, 10))
    return [{"target": name, "goal": goal, "measured": value,
             "met": value is not None and value <= limit} for name, goal, value, limit in rows]


def table(results: dict[str, Any]) -> str:
    """The budget, the requests per event, and the sweep, as Markdown tables."""
    if "status" in results:
        return f"GitHub API requests: {results['status']}"
    lines = ["| target (DESIGN §10) | goal | measured | met |", "| --- | --- | ---: | --- |"]
    lines += [f"| {t['target']} | {t['goal']} | {t['measured']} | "
              f"{'yes' if t['met'] else '**no**'} |" for t in results["targets"]]
    lines += ["", events_table(results["events"]), "", sweep_table(results["sweeps"]),
              "", publish_table(results.get("publish", {}))]
    return "\n".join(lines)


def publish_table(runs: dict[int, Any]) -> str:
    """Requests of `govbot publish` by repository size: first run, and the re-run."""
    lines = ["| records | publish: reads | writes | re-run: reads (writes) | what was read |",
             "| ---: | ---: | ---: | ---: | --- |"]
    for size, result in sorted(runs.items()):
        if "error" in result:
            lines.append(f"| {size:,} | error: {result['error']} | | | |")
            continue
        first, again = (result["push (govbot publish)"][k] for k in ("first", "re-run"))
        read = ", ".join(f"{n}× {c.replace('/repos/{owner}/{repo}', '')}"
                         for c, n in first["read_calls"].items())
        lines.append(f"| {size:,} | {first['reads']} | {first['writes']} | "
                     f"{again['reads']} ({again['writes']}) | {read} |")
    return "\n".join(lines)


def sweep_table(sweeps: list[dict[str, Any]]) -> str:
    """Requests of the hourly sweep by number of open PRs."""
    lines = ["| open PRs | sweep, nothing changed: requests (writes) | sweep, every review "
             "period just ended: requests (writes) |", "| ---: | ---: | ---: |"]
    for row in sweeps:
        if "error" in row:
            lines.append(f"| {row.get('open_prs')} | error: {row['error']} | |")
            continue
        cells = [f"{row[k]['requests']} ({row[k]['writes']})" + (
            f" error: {row[k]['error']}" if "error" in row[k] else "")
            for k in ("unchanged", "review periods ended")]
        lines.append(f"| {row['open_prs']} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def events_table(events: dict[str, Any]) -> str:
    """Reads and writes per event (first run), and writes when the same run repeats."""
    lines = ["| event | PR | reads | writes | writes on re-run | what was read |",
             "| --- | --- | ---: | ---: | ---: | --- |"]
    order = ("opened", "submitted", "created", "synchronize")
    for label, scenario_result in events.items():
        if "error" in scenario_result:
            lines.append(f"| | {label} | error: {scenario_result['error']} | | | |")
            continue
        shape = (f"{label} ({scenario_result.get('records')} rec, "
                 f"{scenario_result.get('reviews')} reviews, "
                 f"{scenario_result.get('comments')} comments)")
        names = sorted((e for e, runs in scenario_result.items() if isinstance(runs, dict)),
                       key=lambda e: order.index(e.rsplit(".", 1)[-1]))
        for event in names:
            first, again = scenario_result[event]["first"], scenario_result[event]["re-run"]
            read = ", ".join(f"{n}× {c.replace('/repos/{owner}/{repo}', '')}"
                             for c, n in first["read_calls"].items())
            note = first.get("error") or again.get("error") or read
            lines.append(f"| {event} | {shape} | {first['reads']} | {first['writes']} | "
                         f"{again['writes']} | {note} |")
    return "\n".join(lines)


def measure(commands: set[str]) -> dict[str, Any]:
    """Typical and large PRs, and sweeps of 1 to 100 open PRs; n/a while `govbot run` does
    not exist."""
    if "run" not in commands:
        return {"status": "n/a (command missing)"}
    events: dict[str, Any] = {}
    for label, records, reviews, comments, size in (("typical", 1, 4, 5, 100),
                                                    ("large", 10, 150, 300, 1000)):
        try:
            events[label] = scenario(records, reviews, comments, size)
        except Exception as exc:  # a benchmark reports, it never crashes the run
            events[label] = {"error": f"{type(exc).__name__}: {exc}"}
    sweeps = []
    for count in (1, 10, 50, 100):
        try:
            sweeps.append(sweep(count))
        except Exception as exc:
            sweeps.append({"open_prs": count, "error": f"{type(exc).__name__}: {exc}"})
    publish: dict[int, Any] = {}
    for size in (10, 10_000) if "publish" in commands else ():
        try:
            publish[size] = publish_scenario(size)
        except Exception as exc:  # a benchmark reports, it never crashes the run
            publish[size] = {"error": f"{type(exc).__name__}: {exc}"}
    results = {"events": events, "sweeps": sweeps, "publish": publish}
    results["targets"] = targets(results)
    return results


if __name__ == "__main__":
    print(table(measure({"run", "publish"})))
