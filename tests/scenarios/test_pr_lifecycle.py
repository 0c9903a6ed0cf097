"""Whole pull request lifecycles through `govbot run`, against the stateful fake GitHub.

Each step writes an event payload shaped like GitHub's, runs the real CLI with the Actions
environment, and asserts what the fake holds afterwards and exactly what was requested.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import scenariokit
from fake_github import BOT, FakeGitHub
from govbot.cli.main import main
from govbot.github.botstate import MARKER, split_state, with_state
from govbot.github.client import GitHubClient
from govbot.model.vocab import shorten
from govbot.vote.commands import Command
from govbot.vote.events import digest
from scenariokit import bot_comments, checkout, fake_for, ok, vote

ROOT = Path(__file__).resolve().parents[2]
START = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
BODY = "## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n"
AUTHOR = ("hnakamura", 67281904)
JOOST, PRIYA, SOFIA = ("jvandenberg", 918273), ("priya-raman", 22604519), \
    ("sofia-mendes", 41177026)
AMARA, DAWID = ("amara-osei", 3184562), ("dkowalczyk", 14093385)
MALLORY = ("mallory", 6660666)  # a writer with repository access, not on the committee
RECORD = "decisions/0012-regional-convenings.md"
PULL = "/repos/{owner}/{repo}/pulls/{pull_number}"
STATUS = "/repos/{owner}/{repo}/statuses/{sha}"
COMMENTS = "/repos/{owner}/{repo}/issues/{issue_number}/comments"
EDIT = "/repos/{owner}/{repo}/issues/comments/{comment_id}"
FILES, REVIEWS = f"{PULL}/files", f"{PULL}/reviews"
CONTENTS = "/repos/{owner}/{repo}/contents/{path}"
TIMELINE = "/repos/{owner}/{repo}/issues/{issue_number}/timeline"
COMBINED = "/repos/{owner}/{repo}/commits/{ref}/status"
TREES = "/repos/{owner}/{repo}/git/trees/{tree_sha}"
ISSUE_LABELS = "/repos/{owner}/{repo}/issues/{issue_number}/labels"
GRAPHQL = "/graphql"
PULL_QUERY, SWEEP_QUERY = "POST /graphql GovbotPull", "POST /graphql GovbotSweep"
BODIES_QUERY = "POST /graphql GovbotComments"
SNAPSHOT_READS = [f"GET {FILES}", PULL_QUERY]  # the file listing, then one query


def record(text: str = "Convene regional gatherings twice a year.") -> bytes:
    """A proposed plan record adding objective G2.6."""
    return ("---\nid: 12\ntitle: Add an objective on regional convenings\nkind: plan\n"
            "status: proposed\ncreated: 2026-11-20\nauthors: [hnakamura]\nchanges:\n"
            "  - op: add-objective\n    goal: G2\n    objective: G2.6\n"
            f"    text: {text}\n---\n" + BODY).encode()


@pytest.fixture
def gov(tmp_path: Path) -> Path:
    """A checkout of the default branch: the project's own governance.yml and decisions."""
    return checkout(tmp_path / "gov")


@pytest.fixture
def fake(gov: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """The fake API holding the same default branch; clients built without throttling."""
    with fake_for(gov, monkeypatch, START) as api:
        yield api


class Bot(scenariokit.Bot):
    """Runs `govbot run` the way the workflow does; also sends review events."""

    def review_event(self, number: int, review: dict[str, Any],
                     action: str = "submitted") -> Result:
        """A pull_request_review event."""
        return self.run("pull_request_review", {"action": action, "review": review,
                                                "pull_request": self.pull(number)})

    def outputs(self) -> str:
        """What the runs wrote to GITHUB_OUTPUT."""
        return (self.tmp / "output.txt").read_text()


@pytest.fixture
def bot(fake: FakeGitHub, gov: Path, tmp_path: Path) -> Bot:
    """The bot, wired to the fake and the checkout."""
    return Bot(fake, gov, tmp_path)


def read_calls(fake: FakeGitHub) -> list[str]:
    """`METHOD template` of each read (a GraphQL query with its name), in order."""
    return [line for line, call in zip(fake.summary(), fake.calls, strict=True)
            if call in fake.reads]


def test_open_then_reviews_then_the_sweep_turns_it_green(fake: FakeGitHub, bot: Bot) -> None:
    """Open → one comment and pending statuses; reviews edit the comment in place; after the
    review period only the schedule sweep turns the vote green; a re-run writes nothing."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    ok(bot.pr_event(number))
    assert len(bot_comments(fake, number)) == 1
    assert vote(fake, number)[0] == "pending"
    check = fake.latest_status(fake.pulls[number].head_sha, "govbot/check")
    assert (check["state"], check["description"]) == ("success", "All records pass the checks")
    assert check["target_url"] == "https://github.com/org/governance/actions/runs/1"
    assert fake.pulls[number].labels == ["govbot/pending"]
    assert "outcome=pending\npr=1\n" in bot.outputs()
    first = bot_comments(fake, number)[0]["id"]

    fake.tick(hours=1)
    fake.reset_calls()
    ok(bot.review_event(number, fake.add_review(number, *JOOST, "APPROVED")))
    ok(bot.review_event(number, fake.add_review(number, *PRIYA, "APPROVED")))
    assert [c["id"] for c in bot_comments(fake, number)] == [first]
    assert fake.count("PATCH", EDIT) == 2
    assert fake.count("POST", COMMENTS) == 0
    assert vote(fake, number)[0] == "pending"
    assert "review period ends" in vote(fake, number)[1]

    fake.tick(days=7)
    fake.reset_calls()
    ok(bot.schedule())
    assert vote(fake, number)[0] == "success"
    assert fake.pulls[number].labels == ["govbot/approved"]

    fake.reset_calls()
    ok(bot.schedule())
    assert fake.writes == [], fake.summary()


def test_rerun_on_unchanged_pr_writes_nothing_and_stays_in_budget(fake: FakeGitHub,
                                                                   bot: Bot) -> None:
    """A second run on the same state makes zero writes; it reads 3: the file listing, one
    query (the PR, reviews, comments, the record's text, the statuses on the head), then
    the PR once to prove the head did not move."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    ok(bot.pr_event(number))
    fake.reset_calls()
    ok(bot.pr_event(number, "synchronize"))
    assert fake.writes == []
    assert fake.summary() == [*SNAPSHOT_READS, f"GET {PULL}"]


def test_first_run_writes_once_per_thing(fake: FakeGitHub, bot: Bot) -> None:
    """The first run reads 3 (and re-lists the comments once after creating its comment,
    to remove a racing run's duplicate) and writes two statuses, the label (created once)
    and, last, the comment that records what was written."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    ok(bot.pr_event(number))
    assert [f"{c.method} {c.template}" for c in fake.writes] == [
        f"POST {STATUS}", f"POST {STATUS}", f"POST {ISSUE_LABELS}",
        "POST /repos/{owner}/{repo}/labels", f"POST {ISSUE_LABELS}", f"POST {COMMENTS}"]
    assert read_calls(fake) == [*SNAPSHOT_READS, f"GET {PULL}", f"GET {COMMENTS}"]


def test_a_push_makes_an_approval_stale(fake: FakeGitHub, bot: Bot) -> None:
    """An approval given before the record changed is shown stale and not counted."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    fake.add_review(number, *JOOST, "APPROVED")
    fake.add_review(number, *PRIYA, "APPROVED")
    fake.tick(days=8)
    ok(bot.pr_event(number))
    assert vote(fake, number)[0] == "success"
    fake.push(number, {RECORD: record("Convene regional gatherings every year.")})
    fake.reset_calls()
    ok(bot.pr_event(number, "synchronize"))
    # the reviewed commit's governed files come in the same query: no tree, no compare
    assert read_calls(fake) == [*SNAPSHOT_READS, f"GET {PULL}"]
    assert vote(fake, number)[0] == "pending"
    assert "stale" in bot_comments(fake, number)[0]["body"]


def test_a_force_push_back_to_an_older_text_makes_the_approvals_stale(
        fake: FakeGitHub, bot: Bot) -> None:
    """Members approve v2; the proposer force-pushes back to v1, an ancestor of v2 (so a
    merge-base diff from v2 to the head is empty): the approvals are stale, the vote is not
    green on a text nobody approved."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    v1 = fake.pulls[number].head_sha
    fake.tick(hours=1)
    fake.push(number, {RECORD: record("Convene regional gatherings every quarter.")})
    for member in (JOOST, PRIYA, SOFIA):
        fake.add_review(number, *member, "APPROVED")
    fake.tick(days=8)
    ok(bot.pr_event(number, "synchronize"))
    assert vote(fake, number)[0] == "success"
    fake.force_push(number, v1)
    ok(bot.pr_event(number, "synchronize"))
    assert vote(fake, number)[0] == "pending"
    body = bot_comments(fake, number)[0]["body"]
    assert body.count("stale: the records changed after this approval") == 3


def test_a_record_changed_among_300_other_files_makes_the_approval_stale(
        fake: FakeGitHub, bot: Bot) -> None:
    """A push that changes the record and 300 other files (a compare lists at most 300)
    still makes the earlier approvals stale."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    for member in (JOOST, PRIYA, SOFIA):
        fake.add_review(number, *member, "APPROVED")
    fake.tick(days=8)
    ok(bot.pr_event(number))
    assert vote(fake, number)[0] == "success"
    filler = {f"assets/{n:04d}.txt": b"x%d\n" % n for n in range(300)}
    fake.push(number, {**filler, RECORD: record("Convene regional gatherings yearly.")})
    fake.reset_calls()
    ok(bot.pr_event(number, "synchronize"))
    assert vote(fake, number)[0] == "pending"
    # past one page of files GraphQL cannot vouch for the listing's head: it is listed twice
    assert read_calls(fake) == ([f"GET {FILES}"] * 4 + [PULL_QUERY] + [f"GET {FILES}"] * 4
                                + [f"GET {PULL}"])


def test_a_push_between_the_file_listing_and_the_query_is_not_judged_with_the_old_list(
        fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file listing and the query that names the head are two requests: a push between
    them (a harmless file swapped for a governance.yml change) must not be judged with the
    first head's file list, which would miss the governance rule."""
    number = fake.add_pull({"docs/notes.md": b"harmless\n"}, login="jvandenberg",
                           user_id=918273)
    client = GitHubClient("org/governance", token="t", retry=None,
                          seconds_between_requests=None, seconds_between_writes=None)
    real = client._get_all
    pushed: list[str] = []

    def listing(path: str, what: str, **params: Any) -> list[dict[str, Any]]:
        found = real(path, what, **params)
        if path.endswith("/files") and not pushed:
            pushed.append(fake.push(number, {"docs/notes.md": None,
                                             "governance.yml": b"committee: []\n"}))
        return found

    monkeypatch.setattr(client, "_get_all", listing)
    read = client.read_pull(number, now=fake.now)
    assert read.snapshot["pull_request"]["head"]["sha"] == pushed[0]
    assert sorted(f["filename"] for f in read.snapshot["files"]) == ["governance.yml"]


def test_a_review_without_a_commit_is_stale_and_costs_no_request(fake: FakeGitHub,
                                                                 bot: Bot) -> None:
    """GitHub nulls a review's commit_id when the commit was garbage-collected: the
    approval is stale (it is bound to no content), and no comparison is requested."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    for member in (JOOST, PRIYA, SOFIA):
        fake.add_review(number, *member, "APPROVED")["commit_id"] = None
    fake.tick(days=8)
    fake.reset_calls()
    ok(bot.pr_event(number))
    assert vote(fake, number)[0] == "pending"
    assert fake.count("GET", TREES) == 0
    assert fake.unhandled == []
    assert bot_comments(fake, number)[0]["body"].count("stale") >= 3


def test_the_rest_snapshot_counts_a_truncated_tree_as_stale(
        fake: FakeGitHub, bot: Bot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`govbot snapshot` (REST, tree by tree): when GitHub cuts a tree listing short,
    govbot cannot show the content is the same, so the approval is stale (fail closed)."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    review = fake.add_review(number, *JOOST, "APPROVED")
    fake.push(number, {"README.md": b"typo fixed\n"})
    monkeypatch.chdir(bot.gov)
    out = tmp_path / "snap.json"
    for truncated, stale in ((True, [review["commit_id"]]), (False, [])):
        fake.truncate_trees = truncated
        ok(CliRunner().invoke(main, ["snapshot", "--pr", str(number), "--repo",
                                     "org/governance", "--out", str(out)],
                              env={"GITHUB_TOKEN": "t0ken"}))
        assert json.loads(out.read_text())["stale_commits"] == stale


def test_a_readme_push_keeps_the_approval(fake: FakeGitHub, bot: Bot) -> None:
    """A later push that changes no decision content leaves the approvals counted."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    fake.add_review(number, *JOOST, "APPROVED")
    fake.add_review(number, *PRIYA, "APPROVED")
    fake.tick(days=8)
    fake.push(number, {"README.md": b"typo fixed\n"})
    ok(bot.pr_event(number, "synchronize"))
    assert vote(fake, number)[0] == "success"


def test_a_veto_blocks_a_governance_change(fake: FakeGitHub, bot: Bot) -> None:
    """A member requesting changes on a governance.yml change vetoes it."""
    config = (bot.gov / "governance.yml").read_bytes() + b"\n# tidy\n"
    number = fake.add_pull({"governance.yml": config}, login=AMARA[0], user_id=AMARA[1])
    for member in (JOOST, PRIYA, SOFIA):
        fake.add_review(number, *member, "APPROVED")
    fake.add_review(number, *DAWID, "CHANGES_REQUESTED", "Not without a record.")
    ok(bot.pr_event(number))
    state, description = vote(fake, number)
    assert state == "failure"
    assert description.startswith("Blocked by a veto")
    assert fake.pulls[number].labels == ["govbot/blocked"]


def test_a_pr_cannot_change_the_rules_that_judge_it(fake: FakeGitHub, bot: Bot) -> None:
    """The roster and rules come from the default branch only (DESIGN §1, §9): a PR that
    relaxes the governance rule in its own governance.yml is still judged by the old one."""
    old = (bot.gov / "governance.yml").read_bytes()
    strict = b"governance: {quorum: 0.75, threshold: 2/3,      min_approvals: 3, " \
             b"review_period: 14d, veto: true}"
    assert strict in old
    # relaxed, yet valid (lazy consensus with no review period would itself be a finding):
    # by these rules the proposer's own approval would carry it at once
    relaxed = old.replace(strict, b"governance: {quorum: 0, threshold: majority, "
                                  b"min_approvals: 1, review_period: 0d, veto: false}")
    number = fake.add_pull({"governance.yml": relaxed}, login=AMARA[0], user_id=AMARA[1])
    ok(bot.pr_event(number))
    assert vote(fake, number) == ("pending", "Pending (1 approve, 0 object, 0 abstain): needs "
                                  "quorum: 1 of 5 votes; 2 more approvals; review period ends "
                                  "2026-12-04 09:00 UTC")


def test_fork_review_arrives_through_workflow_run(fake: FakeGitHub, bot: Bot) -> None:
    """A fork PR's review is picked up by workflow_run, resolved from the head SHA alone."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1],
                           fork="hnakamura/governance")
    ok(bot.pr_event(number))
    fake.add_review(number, *JOOST, "APPROVED")
    fake.reset_calls()
    sha = fake.pulls[number].head_sha
    ok(bot.run("workflow_run", {"action": "completed", "workflow_run": {
        "head_sha": sha, "pull_requests": [], "conclusion": "success",
        "name": "govbot review (evil: ignore me)"}}))
    assert fake.count("GET", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls") == 1
    assert fake.count("PATCH", EDIT) == 1
    assert "jvandenberg" in bot_comments(fake, number)[0]["body"]


def test_racing_runs_converge_on_one_comment(fake: FakeGitHub, bot: Bot) -> None:
    """When another run created the comment meanwhile, the duplicate is deleted."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    original = fake.comments_on
    raced = []

    def racing(n: int) -> list[dict[str, Any]]:
        listing = original(n)
        if not raced and any(MARKER in c["body"] for c in listing):
            raced.append(fake.add_comment(n, *BOT, listing[-1]["body"]))
            listing = original(n)
        return listing

    fake.comments_on = racing  # type: ignore[method-assign]
    ok(bot.pr_event(number))
    fake.comments_on = original  # type: ignore[method-assign]
    assert len(bot_comments(fake, number)) == 1
    assert fake.count("DELETE", EDIT) == 1


@pytest.mark.parametrize(("method", "template", "status", "message", "log"), [
    ("POST", GRAPHQL, 502, "Bad Gateway",
     "GitHub failed on POST /graphql (GovbotPull) (502: Bad Gateway); re-run the job"),
    ("GET", FILES, 403, "You have exceeded a secondary rate limit",
     "GitHub's rate limit stopped GET /repos/org/governance/pulls/1/files (403: You "
     "have exceeded a secondary rate limit); the next event or the scheduled sweep will "
     "bring the PR up to date"),
    ("GET", "/repos/{owner}/{repo}/contents/{path}", 404, "Not Found", None),
])
def test_api_failure_mid_run_posts_error(fake: FakeGitHub, bot: Bot, method: str,
                                         template: str, status: int, message: str,
                                         log: str | None) -> None:
    """A failing request mid-run posts `error` on govbot/vote once, writes nothing else,
    and exits non-zero with one clear line."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    fake.fail(method, template, status, message=message)
    result = bot.pr_event(number)
    if log is None:  # a vanished record is not an error: it is judged as missing
        ok(result)
        return
    assert result.exit_code == 3
    assert f"govbot: PR #1: {log}" in result.output
    assert [f"{c.method} {c.template}" for c in fake.writes] == [f"POST {STATUS}"]
    assert vote(fake, number)[0] == "error"
    assert vote(fake, number)[1].startswith("govbot could not tally this PR: GitHub")
    assert len(vote(fake, number)[1]) <= 140


def test_missing_permission_names_it(fake: FakeGitHub, bot: Bot) -> None:
    """A token without statuses: write fails with one line naming the permission."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    fake.fail("POST", STATUS, 403, times=3, message="Resource not accessible by integration")
    result = bot.pr_event(number)
    assert result.exit_code == 3
    assert "Grant `permissions: statuses: write` to this job in the workflow file" in \
        result.output


def test_unprivileged_pull_request_job_writes_nothing(fake: FakeGitHub, bot: Bot) -> None:
    """On `pull_request` govbot validates and annotates, and never writes to the API."""
    bad = record().replace(b"status: proposed", b"status: accepted")
    number = fake.add_pull({RECORD: bad}, login=AUTHOR[0], user_id=AUTHOR[1])
    result = bot.pr_event(number, event="pull_request")
    assert result.exit_code == 1, result.output
    assert "::error file=decisions/0012-regional-convenings.md" in result.output
    assert fake.writes == []
    assert "outcome=invalid" in bot.outputs()


def test_the_job_summary_is_the_status_comments_report(fake: FakeGitHub, bot: Bot) -> None:
    """In Actions the job summary gets the same report as the status comment (DESIGN §6),
    and findings become error annotations."""
    from govbot.github.botstate import split_state

    bad = record().replace(b"status: proposed", b"status: accepted")
    number = fake.add_pull({RECORD: bad}, login=AUTHOR[0], user_id=AUTHOR[1])
    result = bot.pr_event(number)
    assert result.exit_code == 0, result.output
    assert "::error file=decisions/0012-regional-convenings.md" in result.output
    posted = split_state(bot_comments(fake, number)[0]["body"])[0]
    assert (bot.tmp / "summary.md").read_text(encoding="utf-8") == posted + "\n"


def test_comment_without_command_is_ignored(fake: FakeGitHub, bot: Bot) -> None:
    """A plain PR comment costs no request at all; a /govbot command re-tallies."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    issue = {"number": number, "pull_request": {"url": "x"}}
    plain = fake.add_comment(number, *JOOST, "Looks good to me")
    fake.reset_calls()
    ok(bot.run("issue_comment", {"action": "created", "issue": issue, "comment": plain}))
    assert fake.calls == []
    objection = fake.add_comment(number, *SOFIA, "/govbot object not yet costed")
    ok(bot.run("issue_comment", {"action": "created", "issue": issue, "comment": objection}))
    assert "sofia-mendes" in bot_comments(fake, number)[0]["body"]


@pytest.mark.parametrize("body", ["/GOVBOT OBJECT: not yet costed",
                                  "Thanks.\n/govbot\u00a0object, not yet costed"])
def test_a_command_in_any_case_is_tallied(fake: FakeGitHub, bot: Bot, body: str) -> None:
    """Issue 11: `govbot run` on a comment re-tallies whenever the tally's grammar finds a
    command in it (it used to say "nothing to do" for `/GOVBOT OBJECT`)."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    issue = {"number": number, "pull_request": {"url": "x"}}
    objection = fake.add_comment(number, *SOFIA, body)
    result = ok(bot.run("issue_comment", {"action": "created", "issue": issue,
                                          "comment": objection}))
    assert "nothing to do" not in result.output
    assert "| 👎 object | counted |" in bot_comments(fake, number)[0]["body"]


def test_schedule_opens_duty_issues_once(fake: FakeGitHub, bot: Bot) -> None:
    """The sweep opens the annual-review and term-end issues once, found again by marker."""
    fake.now = dt.datetime(2027, 12, 10, 9, 0, tzinfo=dt.UTC)
    ok(bot.schedule())
    titles = sorted(i["title"] for i in fake.issues.values())
    assert "Committee term of Dawid Kowalczyk ends 2027-12-31" in titles
    assert len(titles) == 2
    fake.reset_calls()
    ok(bot.schedule())
    assert fake.writes == []


def test_dry_run_writes_nothing(fake: FakeGitHub, bot: Bot) -> None:
    """--dry-run decides and reports without writing."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    result = ok(bot.run("workflow_dispatch", {"inputs": {"pr": str(number)}}, "--dry-run"))
    assert "govbot: PR #1: pending (nothing written: dry run)" in result.output
    assert fake.writes == []


def test_snapshot_command_replays_offline(fake: FakeGitHub, bot: Bot, tmp_path: Path) -> None:
    """`govbot snapshot` writes a snapshot that `govbot tally --snapshot` replays offline."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    fake.add_review(number, *JOOST, "APPROVED")
    out = tmp_path / "snap.json"
    runner = CliRunner()
    ok(runner.invoke(main, ["snapshot", "--pr", str(number), "--repository", "org/governance",
                            "--out", str(out)], env={"GITHUB_TOKEN": "t0ken"}))
    assert json.loads(out.read_text())["pull_request"]["number"] == number
    result = ok(runner.invoke(main, ["tally", "--snapshot", str(out), "--repo", str(bot.gov),
                                     "--format", "json"]))
    assert json.loads(result.output)["outcome"] == "pending"


def _sofia_row(fake: FakeGitHub, number: int) -> str:
    """Sofia's line of the vote table in govbot's comment."""
    body = bot_comments(fake, number)[0]["body"]
    return next(line for line in body.splitlines() if line.startswith("| Sofia Mendes"))


def test_an_edited_objection_stands_as_first_recorded(fake: FakeGitHub, bot: Bot,
                                                      tmp_path: Path) -> None:
    """Issue 11: govbot records the objection it counted; a writer editing the comment
    afterwards changes nothing, in the bot's comment and in an offline replay."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    issue = {"number": number, "pull_request": {"url": "x"}}
    objection = fake.add_comment(number, *SOFIA, "/govbot object not costed")
    ok(bot.run("issue_comment", {"action": "created", "issue": issue, "comment": objection}))
    assert f'"c{objection["id"]}":["object"' in bot_comments(fake, number)[0]["body"]
    fake.tick(minutes=5)
    fake.edit_comment(objection["id"], *MALLORY, "never mind")
    ok(bot.run("issue_comment", {"action": "edited", "issue": issue, "comment": objection}))
    assert "| 👎 object | counted |" in _sofia_row(fake, number)
    assert "the comment was edited after it was cast" in _sofia_row(fake, number)
    out = tmp_path / "snap.json"
    ok(CliRunner().invoke(main, ["snapshot", "--pr", str(number), "--repo", "org/governance",
                                 "--out", str(out)], env={"GITHUB_TOKEN": "t0ken"}))
    result = ok(CliRunner().invoke(main, ["tally", "--snapshot", str(out), "--repo",
                                          str(bot.gov), "--format", "json"]))
    assert json.loads(result.output)["objections"] == 1


def _forge_state(fake: FakeGitHub, number: int, objection: int) -> None:
    """A writer rewrites govbot's state line: the member's recorded objection becomes an
    abstention that matches the comment's new text, dated to the second of the edit (so
    the comment's `updated_at` agrees with the line)."""
    comment = bot_comments(fake, number)[0]
    body, state = split_state(comment["body"])
    assert state is not None
    votes = {**state.votes, f"c{objection}": ["abstain", digest(Command("abstain", "", 1)),
                                                SOFIA[0], SOFIA[1], fake.stamp()]}
    forged = with_state(body, dataclasses.replace(state, votes=votes, at=fake.stamp()))
    fake.edit_comment(comment["id"], *MALLORY, forged)


@pytest.mark.parametrize("tamper", ["drop the record", "forge the record"])
def test_a_writer_cannot_edit_away_an_objection(fake: FakeGitHub, bot: Bot,
                                                tamper: str) -> None:
    """Issue 11: a writer edits a member's `/govbot object` comment AND govbot's status
    comment (dropping its record of the objection, or forging one that matches the new
    text). GitHub's edit history names the writer on both: govbot's state is not trusted,
    and the member's comment stands as an objection, so the veto still blocks."""
    config = (bot.gov / "governance.yml").read_bytes() + b"\n# tidy\n"
    number = fake.add_pull({"governance.yml": config}, login=AMARA[0], user_id=AMARA[1])
    issue = {"number": number, "pull_request": {"url": "x"}}
    for member in (JOOST, PRIYA, DAWID):
        fake.add_review(number, *member, "APPROVED")
    objection = fake.add_comment(number, *SOFIA, "/govbot object not without a record")
    ok(bot.run("issue_comment", {"action": "created", "issue": issue, "comment": objection}))
    assert vote(fake, number)[0] == "failure"
    fake.tick(days=15)
    fake.edit_comment(objection["id"], *MALLORY, "/govbot abstain")
    if tamper == "drop the record":
        _edit_state(fake, number, lambda body: body.rsplit("<!-- govbot:state", 1)[0])
    else:
        _forge_state(fake, number, objection["id"])
    ok(bot.run("issue_comment", {"action": "edited", "issue": issue, "comment": objection}))
    state, description = vote(fake, number)
    assert (state, description.startswith("Blocked by a veto")) == ("failure", True)
    assert fake.pulls[number].labels == ["govbot/blocked"]
    assert r"edited by another user \(mallory\)" in _sofia_row(fake, number)
    # the member's own next vote replaces it
    again = fake.add_comment(number, *SOFIA, "/govbot abstain")
    ok(bot.run("issue_comment", {"action": "created", "issue": issue, "comment": again}))
    assert vote(fake, number)[0] == "success"


def test_a_deleted_objection_stands(fake: FakeGitHub, bot: Bot) -> None:
    """Issue 11: a writer deleting a member's objection comment does not delete the vote
    govbot recorded; the comment says how to withdraw it."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    issue = {"number": number, "pull_request": {"url": "x"}}
    objection = fake.add_comment(number, *SOFIA, "/govbot object not costed")
    ok(bot.run("issue_comment", {"action": "created", "issue": issue, "comment": objection}))
    fake.tick(minutes=5)
    del fake.comments[objection["id"]]
    ok(bot.run("issue_comment", {"action": "deleted", "issue": issue, "comment": objection}))
    assert "| 👎 object | counted |" in _sofia_row(fake, number)
    assert "write /govbot retract to withdraw it" in _sofia_row(fake, number)


def test_a_dismissed_objection_stands(fake: FakeGitHub, bot: Bot) -> None:
    """Issue 11: a writer dismissing a member's Request changes review does not withdraw
    the objection; the comment says so."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    review = fake.add_review(number, *SOFIA, "CHANGES_REQUESTED", "not costed")
    ok(bot.review_event(number, review))
    fake.dismiss_review(number, review["id"])
    ok(bot.review_event(number, {**review, "state": "dismissed"}, "dismissed"))
    assert "| 👎 object | counted |" in _sofia_row(fake, number)
    assert "dismissed by another user; stands until the member retracts" in \
        _sofia_row(fake, number)


@pytest.mark.parametrize(("label", "data"), [
    ("latin-1 bytes", record().replace(b"gatherings", "Versammlungen für".encode("latin-1"))),
    ("NUL bytes", record().replace(b"twice", b"tw\x00ice")),
])
def test_a_record_that_is_not_utf8_text_is_refused_and_never_approved(
        fake: FakeGitHub, bot: Bot, label: str, data: bytes) -> None:
    """Record bytes read through the API that are not UTF-8 text fail the check, and the
    vote fails closed even with every member approving after the review period."""
    number = fake.add_pull({RECORD: data}, login=AUTHOR[0], user_id=AUTHOR[1])
    for member in (JOOST, PRIYA, SOFIA, AMARA, DAWID):
        fake.add_review(number, *member, "APPROVED")
    fake.tick(days=8)
    bot.pr_event(number)
    check = fake.latest_status(fake.pulls[number].head_sha, "govbot/check")
    assert check["state"] == "failure", label
    assert vote(fake, number)[0] != "success"
    body = bot_comments(fake, number)[0]["body"]
    assert "binary" in body or "not valid UTF-8" in body


def calls(fake: FakeGitHub, method: str) -> list[str]:
    """`METHOD template` of each request with that method, in order."""
    return [f"{c.method} {c.template}" for c in fake.calls if c.method == method]


def pr_writes(fake: FakeGitHub) -> list[str]:
    """The writes, without the schedule's duty issues (opened once, not about a PR)."""
    return [f"{c.method} {c.template}" for c in fake.writes
            if c.template != "/repos/{owner}/{repo}/issues"]


def comment_event(number: int, comment: dict[str, Any]) -> dict[str, Any]:
    """An issue_comment.created payload on a pull request."""
    return {"action": "created", "issue": {"number": number, "pull_request": {"url": "x"}},
            "comment": comment}


def test_request_budget_of_typical_events(fake: FakeGitHub, bot: Bot) -> None:
    """Issue 13's budget on a PR with one record: 3 reads per event (the file listing, one
    query, the PR once before writing), a comment command included; writes only for what
    changed; a re-run writes nothing; a sweep with nothing changed reads 3 in all. The
    labels moving pending → approved are ONE thing but two requests (POST the new, then
    DELETE the old): a PUT of the whole set would drop a label a person adds meanwhile."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    ok(bot.pr_event(number))

    fake.reset_calls()
    ok(bot.review_event(number, fake.add_review(number, *JOOST, "APPROVED")))
    assert read_calls(fake) == [*SNAPSHOT_READS, f"GET {PULL}"]
    assert [f"{c.method} {c.template}" for c in fake.writes] == [f"POST {STATUS}",
                                                                 f"PATCH {EDIT}"]

    fake.reset_calls()
    ok(bot.review_event(number, fake.pulls[number].reviews[-1]))
    assert (len(fake.reads), fake.writes) == (3, [])

    fake.reset_calls()
    objection = fake.add_comment(number, *SOFIA, "/govbot object not costed")
    ok(bot.run("issue_comment", comment_event(number, objection)))
    assert read_calls(fake) == [*SNAPSHOT_READS, f"GET {PULL}"]
    assert [f"{c.method} {c.template}" for c in fake.writes] == [f"POST {STATUS}",
                                                                 f"PATCH {EDIT}"]

    fake.add_comment(number, *SOFIA, "/govbot retract")
    fake.add_review(number, *PRIYA, "APPROVED")
    fake.tick(days=8)
    fake.reset_calls()
    ok(bot.schedule())
    assert read_calls(fake) == [SWEEP_QUERY, BODIES_QUERY, *SNAPSHOT_READS, f"GET {PULL}",
                                "GET /repos/{owner}/{repo}/issues"]
    assert pr_writes(fake) == [  # the first use of govbot/approved creates it (once)
        f"POST {STATUS}", f"POST {ISSUE_LABELS}", "POST /repos/{owner}/{repo}/labels",
        f"POST {ISSUE_LABELS}", f"DELETE {ISSUE_LABELS}/{{name}}", f"PATCH {EDIT}"]
    assert vote(fake, number)[0] == "success"
    fake.reset_calls()
    ok(bot.schedule())
    assert fake.writes == []
    assert read_calls(fake) == [SWEEP_QUERY, BODIES_QUERY, "GET /repos/{owner}/{repo}/issues"]


def _judged(fake: FakeGitHub, bot: Bot, count: int) -> list[int]:
    """`count` open PRs, each judged once by its `opened` event."""
    numbers = []
    for n in range(count):
        path = f"decisions/{12 + n:04d}-proposal-{n}.md"
        text = record().replace(b"id: 12", f"id: {12 + n}".encode()).replace(
            b"G2.6", f"G2.{6 + n}".encode())
        numbers.append(fake.add_pull({path: text}, login=AUTHOR[0], user_id=AUTHOR[1]))
        ok(bot.pr_event(numbers[-1]))
    return numbers


@pytest.mark.parametrize("count", [3, 50])
def test_a_sweep_with_nothing_changed_costs_three_requests(fake: FakeGitHub, bot: Bot,
                                                           count: int) -> None:
    """DESIGN §10: the hourly sweep over open PRs where nothing changed costs at most 5
    requests: one query per 50 PRs, one for govbot's comments (its state line), and the
    duties' open issues. No PR is read again, nothing is written."""
    _judged(fake, bot, count)
    fake.tick(hours=1)
    fake.reset_calls()
    ok(bot.schedule())
    assert pr_writes(fake) == []
    assert read_calls(fake) == [SWEEP_QUERY] * (1 + (count - 1) // 50) + [
        BODIES_QUERY, "GET /repos/{owner}/{repo}/issues"]
    assert len(fake.calls) <= 5


def test_the_sweep_judges_again_only_what_can_have_changed(fake: FakeGitHub,
                                                           bot: Bot) -> None:
    """Of five judged PRs, the sweep reads again the one with a new comment, the one whose
    statuses someone overwrote, and — once its review period has run out — every one; the
    others are left alone (a PR's state line carries its next time-based change)."""
    numbers = _judged(fake, bot, 5)
    fake.tick(hours=1)
    fake.add_comment(numbers[1], *JOOST, "/govbot abstain")
    head = fake.pulls[numbers[3]].head_sha
    fake.statuses[head].append({**fake.latest_status(head, "govbot/vote"),
                                "state": "success"})
    fake.reset_calls()
    ok(bot.schedule())
    judged = [c.path for c in fake.calls if c.template == FILES]
    assert judged == [f"/repos/org/governance/pulls/{n}/files" for n in (2, 4)]
    assert vote(fake, numbers[3])[0] == "pending"  # put right
    fake.reset_calls()
    ok(bot.schedule())
    assert fake.count("GET", FILES) == 0
    fake.tick(days=7)
    fake.reset_calls()
    ok(bot.schedule())
    assert fake.count("GET", FILES) == 5  # the review periods ended: all judged again


def test_a_change_of_the_default_branch_makes_the_sweep_judge_again(fake: FakeGitHub,
                                                                    bot: Bot) -> None:
    """The state line records a digest of the default branch's governance.yml and records:
    when they change, every open PR is judged again (its record may now collide, the rules
    may have changed)."""
    _judged(fake, bot, 2)
    fake.reset_calls()
    ok(bot.schedule())
    assert fake.count("GET", FILES) == 0
    config = bot.gov / "governance.yml"
    config.write_text(config.read_text() + "\n# tidy\n")
    fake.reset_calls()
    ok(bot.schedule())
    assert fake.count("GET", FILES) == 2


def test_a_draft_counts_its_review_period_from_ready_for_review(fake: FakeGitHub,
                                                               bot: Bot) -> None:
    """Opened as a draft: pending ("mark it ready"); the review period starts when it is
    marked ready, not when it was opened; no timeline read is needed along the way."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1],
                           draft=True)
    fake.add_review(number, *JOOST, "APPROVED")
    fake.add_review(number, *PRIYA, "APPROVED")
    ok(bot.pr_event(number))
    assert vote(fake, number) == (
        "pending", "Pending (3 approve, 0 object, 0 abstain): needs the pull request is a "
        "draft; mark it ready for review")
    fake.tick(days=5)
    fake.set_draft(number, False)
    ok(bot.pr_event(number, "ready_for_review"))
    assert '"ready_at":"2026-11-25T09:00:00Z"' in bot_comments(fake, number)[0]["body"]
    fake.tick(days=5)  # 10 days after opening, 5 after ready: the 7-day period still runs
    ok(bot.schedule())
    assert vote(fake, number)[1].endswith("review period ends 2026-12-02 09:00 UTC")
    fake.tick(days=2)
    ok(bot.schedule())
    assert vote(fake, number)[0] == "success"
    assert fake.count("GET", TIMELINE) == 0


def test_installed_on_an_existing_pr_finds_when_it_was_marked_ready(fake: FakeGitHub,
                                                                     bot: Bot) -> None:
    """Installed on a PR that was a draft, govbot finds when it was marked ready (the latest
    ready_for_review of its timeline) in the one query: no timeline read, ever."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1],
                           draft=True)
    fake.tick(days=3)
    fake.set_draft(number, False)
    for member in (JOOST, PRIYA):
        fake.add_review(number, *member, "APPROVED")
    fake.tick(days=5)
    fake.reset_calls()
    ok(bot.review_event(number, fake.pulls[number].reviews[-1]))
    assert vote(fake, number)[1].endswith("review period ends 2026-11-30 09:00 UTC")
    fake.reset_calls()
    ok(bot.schedule())
    assert (fake.count("GET", TIMELINE), pr_writes(fake)) == (0, [])
    assert read_calls(fake) == [SWEEP_QUERY, BODIES_QUERY, "GET /repos/{owner}/{repo}/issues"]


def test_a_push_during_the_run_is_judged_and_the_old_head_gets_nothing(
        fake: FakeGitHub, bot: Bot) -> None:
    """When the head moves between the event and the writes, the snapshot is rebuilt from
    the fresh PR and the statuses go to the new head only."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    old = fake.pulls[number].head_sha
    original = fake.comments_on
    pushed: list[str] = []

    def pushing(n: int) -> list[dict[str, Any]]:
        if not pushed:
            pushed.append(fake.push(number, {RECORD: record("Convene every year.")}))
        return original(n)

    fake.comments_on = pushing  # type: ignore[method-assign]
    ok(bot.pr_event(number))
    fake.comments_on = original  # type: ignore[method-assign]
    assert fake.statuses.get(old) is None
    assert vote(fake, number)[0] == "pending"
    assert fake.latest_status(pushed[0], "govbot/check")["state"] == "success"
    assert pushed[0][:7] in bot_comments(fake, number)[0]["body"]
    # the push lands while the query runs: its head commit is read in a second query
    assert read_calls(fake)[:3] == [*SNAPSHOT_READS, "POST /graphql GovbotHead"]


def _edit_state(fake: FakeGitHub, number: int, change: Any) -> None:
    """A person with write access edits govbot's comment (GitHub stamps updated_at)."""
    comment = bot_comments(fake, number)[0]
    comment["body"], comment["updated_at"] = change(comment["body"]), fake.stamp()


@pytest.mark.parametrize("change", [
    lambda body: body.replace('"statuses":{', '"statuses":{garbled'),
    lambda body: body.replace('"pending"', '"success"'),
    lambda body: body.rsplit("<!-- govbot:state", 1)[0],
], ids=["garbled", "claims success", "removed"])
def test_an_edited_state_is_not_trusted(fake: FakeGitHub, bot: Bot, change: Any) -> None:
    """After a person edits govbot's comment, its state is not trusted: the next run
    rewrites the comment (statuses are judged by what the query shows on the head, never
    by the line), and the run after is back to zero writes."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    ok(bot.pr_event(number))
    fake.tick(minutes=5)
    _edit_state(fake, number, change)
    fake.reset_calls()
    ok(bot.pr_event(number, "synchronize"))
    assert fake.count("GET", COMBINED) == 0
    assert [f"{c.method} {c.template}" for c in fake.writes] == [f"PATCH {EDIT}"]
    fake.reset_calls()
    ok(bot.pr_event(number, "synchronize"))
    assert (fake.writes, len(fake.reads)) == ([], 3)


def test_a_tampered_ready_at_never_approves_early(fake: FakeGitHub, bot: Bot) -> None:
    """Moving the recorded ready_at back to the opening does not shorten the review period
    of a PR that was a draft: ready_at always comes from GitHub's timeline (in the query),
    never from the line."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1],
                           draft=True)
    ok(bot.pr_event(number))
    fake.tick(days=5)
    fake.set_draft(number, False)
    ok(bot.pr_event(number, "ready_for_review"))
    for member in (JOOST, PRIYA):
        fake.add_review(number, *member, "APPROVED")
    fake.tick(days=3)
    _edit_state(fake, number, lambda body: body.replace(
        '"ready_at":"2026-11-25T09:00:00Z"', '"ready_at":"2026-11-01T09:00:00Z"'))
    ok(bot.schedule())
    assert vote(fake, number)[0] == "pending"
    assert fake.count("GET", TIMELINE) == 0


def test_after_an_error_the_next_run_restores_the_statuses(fake: FakeGitHub,
                                                           bot: Bot) -> None:
    """A failed run posts `error` and clears the comment's state, so the next run reads
    the real statuses and puts `pending` back instead of skipping it as unchanged."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    ok(bot.pr_event(number))
    fake.fail("POST", GRAPHQL, 502, message="Bad Gateway")
    assert bot.pr_event(number, "synchronize").exit_code == 3
    assert vote(fake, number)[0] == "error"
    assert "govbot:state" not in bot_comments(fake, number)[0]["body"]
    ok(bot.pr_event(number, "synchronize"))
    assert vote(fake, number)[0] == "pending"


def test_a_run_by_hand_checks_the_real_statuses(fake: FakeGitHub, bot: Bot) -> None:
    """A status someone else posted over govbot's is put right: the query shows what is
    really on the head (no extra read), whatever govbot's state line says."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    ok(bot.pr_event(number))
    fake.statuses[fake.pulls[number].head_sha].append(
        {**fake.latest_status(fake.pulls[number].head_sha, "govbot/vote"), "state": "success"})
    fake.reset_calls()
    ok(bot.run("workflow_dispatch", {"inputs": {"pr": str(number)}}))
    assert vote(fake, number)[0] == "pending"
    assert [f"{c.method} {c.template}" for c in fake.writes] == [f"POST {STATUS}"]
    assert (fake.count("GET", COMBINED), fake.count("GET", TIMELINE)) == (0, 0)


def test_files_past_githubs_listing_cut_fail_closed(fake: FakeGitHub, bot: Bot) -> None:
    """GitHub lists at most 3,000 files of a PR: one that hides governance.yml behind 3,000
    others is not judged on the first 3,000 (no record: `no-decision`, success) but gets
    `error` on govbot/vote, and nothing on its head says success."""
    filler = {f"assets/{n:04d}.txt": b"x%d\n" % n for n in range(3000)}
    config = (bot.gov / "governance.yml").read_bytes() + b"\n# quietly changed\n"
    number = fake.add_pull({**filler, "governance.yml": config}, login=AUTHOR[0],
                           user_id=AUTHOR[1])
    result = bot.pr_event(number)
    assert result.exit_code == 3, result.output
    assert "govbot: PR #1: this pull request (#1) changes 3,001 files; GitHub lists at most " \
        "3,000" in result.output
    assert vote(fake, number) == ("error", shorten(
        "govbot could not tally this PR: this pull request (#1) changes 3,001 files; GitHub "
        "lists at most 3,000, so govbot cannot see them all and will not judge it: split it"))
    assert all(s["state"] != "success" for s in fake.statuses[fake.pulls[number].head_sha])
    assert "outcome=error" in bot.outputs()


def test_comment_spam_cannot_push_an_objection_past_the_cut(
        fake: FakeGitHub, bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A veto posted after more comments than govbot reads (the cap, lowered here to 2
    pages) is not silently dropped, which would approve the change: the run fails closed."""
    monkeypatch.setattr("govbot.github.client.MAX_PAGES", 2)
    config = (bot.gov / "governance.yml").read_bytes() + b"\n# tidy\n"
    number = fake.add_pull({"governance.yml": config}, login=AMARA[0], user_id=AMARA[1])
    for member in (JOOST, PRIYA, SOFIA, AUTHOR):
        fake.add_review(number, *member, "APPROVED")
    for n in range(300):
        fake.add_comment(number, "spammer", 666, f"spam {n}")
    fake.add_comment(number, *DAWID, "/govbot object not without a decision record")
    fake.tick(days=15)
    result = bot.pr_event(number, "synchronize")
    assert result.exit_code == 3, result.output
    assert "govbot: PR #1: the comments on #1 run past 2 pages (200 items)" in result.output
    assert vote(fake, number)[0] == "error"
    assert fake.pulls[number].labels == []


def test_an_error_text_cannot_start_a_workflow_command(fake: FakeGitHub, bot: Bot) -> None:
    """GitHub's error message is echoed by the failing run on one line after `govbot: `, so
    a message holding `\\n::add-mask::x` cannot become a command in the Actions log."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    fake.fail("GET", FILES, 502, message="Bad Gateway\n::add-mask::x\n##[add-mask]y")
    result = bot.pr_event(number)
    assert result.exit_code == 3
    lines = result.output.splitlines()
    assert "govbot: PR #1: GitHub failed on GET /repos/org/governance/pulls/1/files (502: " \
        "Bad Gateway ::add-mask::x ## [add-mask]y); re-run the job" in lines
    assert not [line for line in lines if line.lstrip().startswith("::") or "##[" in line]
    assert vote(fake, number)[1].startswith("govbot could not tally this PR: GitHub failed")


@pytest.mark.parametrize(("files", "name"), [
    ({"PLAN.md": b"# Our plan, edited by hand\n"}, "PLAN.md"),
    ({RECORD: record(), "decisions.json": b"{}\n"}, "decisions.json"),
    ({"CHANGELOG.md": None}, "CHANGELOG.md"),
], ids=["plan only", "with a record", "deleted"])
def test_editing_a_generated_file_fails_the_check(fake: FakeGitHub, bot: Bot,
                                                  files: dict[str, bytes | None],
                                                  name: str) -> None:
    """A PR that edits CHANGELOG.md, PLAN.md or decisions.json is not `no-decision` (the
    next publish would silently overwrite it): govbot/check fails, naming the file and the
    way to propose the change instead."""
    fake.commit("main", {"PLAN.md": b"# plan\n", "CHANGELOG.md": b"# log\n",
                         "decisions.json": b"[]\n"}, "govbot publish")
    number = fake.add_pull(files, login=AUTHOR[0], user_id=AUTHOR[1])
    result = ok(bot.pr_event(number))
    message = ("this file is generated by govbot from decisions/; don't edit it in a pull "
               "request — propose a decision record instead (govbot new)")
    assert f"::error file={name},title=govbot::{message}" in result.output
    head = fake.pulls[number].head_sha
    assert fake.latest_status(head, "govbot/check")["state"] == "failure"
    assert vote(fake, number) == ("failure", "Not tallied: the records have check "
                                  "findings; see the status comment")
    shown = message.replace("(", r"\(").replace(")", r"\)")  # Markdown-escaped
    assert f"- {name}: {shown}" in bot_comments(fake, number)[0]["body"]
    assert "outcome=invalid" in bot.outputs()


@pytest.mark.parametrize(("path", "message"), [
    ("decisions/0011-regional.MD", "decision records end in '.md' in lowercase, and govbot does "
     "not read this file; rename it to decisions/0011-regional.md"),
    ("decisions/2026/0011-regional.md", "records live directly in decisions/, not in a "
     "subfolder, and govbot does not read this file; move it to decisions/0011-regional.md"),
    ("decisions/minutes.txt", "only decision records (NNNN-slug.md, e.g. "
     "0012-regional-convenings.md) belong in decisions/, and govbot does not read this file; "
     "move it out of decisions/, or rename it if it is a record"),
])
def test_a_file_under_decisions_that_is_not_a_record_fails_the_check(
        fake: FakeGitHub, bot: Bot, path: str, message: str) -> None:
    """A record saved as `.MD`, in a subfolder, or any other file under decisions/ is not
    silently left out (the PR would pass as deciding nothing): govbot/check fails."""
    number = fake.add_pull({path: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    result = ok(bot.pr_event(number))
    assert f"::error file={path},title=govbot::{message}" in result.output
    assert fake.latest_status(fake.pulls[number].head_sha, "govbot/check")["state"] == \
        "failure"
    assert "outcome=invalid" in bot.outputs()


@pytest.mark.parametrize(("data", "message"), [
    (b"\xef\xbb\xbf", "the file starts with a byte-order mark (U+FEFF); remove the "
     "byte-order mark: save as UTF-8 without BOM"),
    (b"", "remove the control character U+000B (vertical tab: a line break pasted from a word "
     "processor)"),
])
def test_a_bom_or_a_control_character_fails_the_check(fake: FakeGitHub, bot: Bot,
                                                     data: bytes, message: str) -> None:
    """A record saved with a byte-order mark, or with a Word line break in its body, fails
    govbot/check with the fix (it would break publish, or the feed, once merged)."""
    text = data + record() if data else record().replace(b"\n## Decision", b"\x0b\n## Decision")
    number = fake.add_pull({RECORD: text}, login=AUTHOR[0], user_id=AUTHOR[1])
    ok(bot.pr_event(number))
    assert fake.latest_status(fake.pulls[number].head_sha, "govbot/check")["state"] == \
        "failure"
    assert message.replace("(", r"\(").replace(")", r"\)") in \
        bot_comments(fake, number)[0]["body"]


def test_the_publish_commit_does_not_touch_open_pull_requests(fake: FakeGitHub,
                                                             bot: Bot) -> None:
    """govbot's publish commit regenerates PLAN.md on the default branch directly, not in a
    pull request: a PR opened before it, and one opened after it, still pass the check."""
    before = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    fake.commit("main", {"PLAN.md": b"# regenerated\n", "decisions.json": b"[]\n"},
                "Publish: stamped and regenerated by govbot publish")
    after = fake.add_pull({"decisions/0013-other.md": record().replace(b"id: 12", b"id: 13")
                           .replace(b"G2.6", b"G2.7")}, login=AUTHOR[0], user_id=AUTHOR[1])
    for number in (before, after):
        ok(bot.pr_event(number))
        check = fake.latest_status(fake.pulls[number].head_sha, "govbot/check")
        assert (check["state"], check["description"]) == ("success",
                                                          "All records pass the checks")


def test_the_sweep_judges_a_pr_that_only_edits_a_generated_file(fake: FakeGitHub,
                                                                  bot: Bot) -> None:
    """The schedule sweep writes only to PRs govbot has a say in; one editing PLAN.md is
    among them, so a PR opened before govbot was installed gets its failing check too."""
    number = fake.add_pull({"PLAN.md": b"# edited\n"}, login=AUTHOR[0], user_id=AUTHOR[1])
    ok(bot.schedule())
    assert fake.latest_status(fake.pulls[number].head_sha, "govbot/check")["state"] == \
        "failure"


def test_snapshot_command_marks_approvals_stale_after_a_protected_path_changes(
        fake: FakeGitHub, bot: Bot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An approval given before a push that edits a protected path (here `.github/`) is stale
    in a hand-taken snapshot too, with the protected paths of the checkout's governance.yml."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    review = fake.add_review(number, *JOOST, "APPROVED")
    fake.tick(hours=1)
    fake.push(number, {".github/workflows/extra.yml": b"on: push\n"})
    monkeypatch.chdir(bot.gov)
    out = tmp_path / "snap.json"
    ok(CliRunner().invoke(main, ["snapshot", "--pr", str(number), "--repository", "org/governance",
                                 "--out", str(out)], env={"GITHUB_TOKEN": "t0ken"}))
    assert json.loads(out.read_text())["stale_commits"] == [review["commit_id"]]


def _approved(fake: FakeGitHub, bot: Bot) -> int:
    """A PR whose vote govbot has already turned green."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    for member in (JOOST, PRIYA, SOFIA):
        fake.add_review(number, *member, "APPROVED")
    fake.tick(days=8)
    ok(bot.pr_event(number))
    assert vote(fake, number)[0] == "success"
    return number


def _command(fake: FakeGitHub, bot: Bot, number: int) -> Result:
    return bot.run("issue_comment", comment_event(
        number, fake.add_comment(number, *DAWID, "/govbot object not yet")))


@pytest.mark.parametrize("event", ["comment", "review", "schedule"])
def test_a_failed_read_of_the_pull_request_posts_error(fake: FakeGitHub, bot: Bot,
                                                       event: str) -> None:
    """When GitHub keeps failing `GET /pulls/N`, the earlier `success` does not stay on the
    head: `error` is posted on the head found from the event or from `refs/pull/N/head`."""
    number = _approved(fake, bot)
    fake.fail("GET", PULL, 502, times=10, message="Bad Gateway")
    if event == "comment":
        result = _command(fake, bot, number)
    elif event == "review":
        result = bot.review_event(number, fake.add_review(number, *DAWID, "COMMENTED"))
    else:
        fake.tick(hours=1)
        fake.add_comment(number, *DAWID, "/govbot object not yet")
        result = bot.schedule()
    assert result.exit_code == 3, result.output
    assert "GitHub failed on GET /repos/org/governance/pulls/1 (502: Bad Gateway)" in \
        result.output
    assert vote(fake, number)[0] == "error"


def test_a_pull_request_that_cannot_be_found_anywhere_says_so(fake: FakeGitHub,
                                                              bot: Bot) -> None:
    """When neither the pull request nor its head ref can be read, the run says it could
    not post the error status (and still exits non-zero)."""
    number = _approved(fake, bot)
    fake.fail("GET", PULL, 502, times=10, message="Bad Gateway")
    fake.fail("GET", "/repos/{owner}/{repo}/git/ref/{ref}", 502, times=10,
              message="Bad Gateway")
    result = _command(fake, bot, number)
    assert result.exit_code == 3, result.output
    assert "govbot: could not post the error status either: GitHub failed on GET " \
        "/repos/org/governance/git/ref/pull/1/head (502: Bad Gateway)" in result.output


@pytest.mark.parametrize("event", ["pull_request_target", "comment", "schedule", "dispatch"])
def test_a_checkout_without_governance_yml_posts_error(fake: FakeGitHub, bot: Bot,
                                                       event: str) -> None:
    """A checkout without governance.yml cannot judge anything: every PR the run is about
    gets `error` on govbot/vote (its earlier `success` does not stay), with the reason."""
    number = _approved(fake, bot)
    (bot.gov / "governance.yml").unlink()
    fake.tick(hours=1)
    if event == "pull_request_target":
        result = bot.pr_event(number, "synchronize")
    elif event == "comment":
        result = _command(fake, bot, number)
    elif event == "schedule":
        result = bot.schedule()
    else:
        result = bot.run("workflow_dispatch", {"inputs": {"pr": str(number)}})
    assert result.exit_code == 2, result.output
    assert f"govbot: PR #1: no governance.yml in {bot.gov}: check out the default branch" in \
        result.output
    assert vote(fake, number) == ("error", shorten(
        f"govbot could not tally this PR: no governance.yml in {bot.gov}: check out the "
        "default branch before running govbot (actions/checkout with no ref)"))
    assert "govbot:state" not in bot_comments(fake, number)[0]["body"]


@pytest.fixture
def retrying(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clients that retry as in Actions (GithubRetry), without waiting between tries."""
    from github import GithubRetry

    original = GitHubClient.__init__

    def init(self: GitHubClient, *args: Any, **kw: Any) -> None:
        kw["retry"] = GithubRetry(total=2, backoff_factor=0,
                                  allowed_methods=frozenset({"GET", "HEAD"}))
        original(self, *args, **kw)

    monkeypatch.setattr(GitHubClient, "__init__", init)


def test_persistent_server_errors_give_one_clear_line(fake: FakeGitHub, bot: Bot,
                                                      retrying: None) -> None:
    """GitHub answering 502 to every retry gives one line saying what failed and what to
    do (not requests' `RetryError(MaxRetryError(…))`), and `error` on govbot/vote."""
    number = _approved(fake, bot)
    fake.fail("GET", FILES, 502, times=3, message="Bad Gateway")
    fake.reset_calls()
    result = bot.pr_event(number, "synchronize")
    assert result.exit_code == 3, result.output
    message = ("GitHub kept failing on GET /repos/org/governance/pulls/1/files (502 on "
               "every retry); GitHub may be having an outage (https://www.githubstatus.com): "
               "re-run the job later")
    assert f"govbot: PR #1: {message}\n" in result.output
    assert "RetryError" not in result.output
    assert fake.count("GET", FILES) == 3
    assert vote(fake, number) == ("error", shorten(f"govbot could not tally this PR: {message}"))


def test_an_invalid_proposed_governance_yml_fails_the_check(fake: FakeGitHub,
                                                             bot: Bot) -> None:
    """A PR whose governance.yml does not load gets govbot/check failure with the usual
    path:line message (merged, it would break every later run, including the fix), and the
    vote is never green, however many approve; the PR is still judged by the base rules."""
    old = (bot.gov / "governance.yml").read_text()
    broken = old.replace("stale_approvals:", "stale_aprovals:", 1)
    line = broken.splitlines().index(next(row for row in broken.splitlines()
                                          if row.startswith("stale_aprovals"))) + 1
    number = fake.add_pull({"governance.yml": broken.encode()}, login=AMARA[0],
                           user_id=AMARA[1])
    for member in (JOOST, PRIYA, SOFIA, DAWID, AUTHOR):
        fake.add_review(number, *member, "APPROVED")
    fake.tick(days=15)
    result = ok(bot.pr_event(number))
    message = "stale_aprovals: unknown key (did you mean 'stale_approvals'?)"
    assert f"::error file=governance.yml,line={line},title=govbot::{message}" in result.output
    head = fake.pulls[number].head_sha
    assert fake.latest_status(head, "govbot/check")["state"] == "failure"
    assert vote(fake, number)[0] == "failure"
    assert f"governance.yml:{line}" in bot_comments(fake, number)[0]["body"]
    assert "outcome=invalid" in bot.outputs()


def test_deleting_governance_yml_fails_the_check(fake: FakeGitHub, bot: Bot) -> None:
    """A PR that deletes governance.yml is a check failure too."""
    number = fake.add_pull({"governance.yml": None}, login=AMARA[0], user_id=AMARA[1])
    ok(bot.pr_event(number))
    assert fake.latest_status(fake.pulls[number].head_sha, "govbot/check")["state"] == \
        "failure"
    assert "this pull request deletes governance.yml" in bot_comments(fake, number)[0]["body"]


def test_an_id_taken_on_the_base_meanwhile_is_a_notice_not_an_error(fake: FakeGitHub,
                                                                     bot: Bot) -> None:
    """A record whose id was taken by a record merged (and published) to the base since the
    PR was opened is not an error (DESIGN §2): the check passes with a notice "will be
    renumbered to 13 at merge", the approvals stay valid, the vote turns green."""
    number = fake.add_pull({RECORD: record()}, login=AUTHOR[0], user_id=AUTHOR[1])
    for member in (JOOST, PRIYA, SOFIA):
        fake.add_review(number, *member, "APPROVED")
    ok(bot.pr_event(number))
    merged = (bot.gov / "decisions/0005-meet-every-two-months.md").read_text().replace(
        "id: 5\n", "id: 12\n", 1)
    path = "decisions/0012-meet-every-two-months.md"
    (bot.gov / path).write_text(merged)  # the default branch's checkout moved on
    fake.commit("main", {path: merged.encode()}, "Merge pull request #40")
    fake.tick(days=8)
    result = ok(bot.schedule())
    notice = (f"id: 12 is also used by {path}, merged meanwhile; nothing to do: this record "
              "will be renumbered to 13 at merge (and references to it in this pull request "
              "follow)")
    assert f"::notice file={RECORD},line=2,title=govbot::{notice}" in result.output
    head = fake.pulls[number].head_sha
    assert fake.latest_status(head, "govbot/check")["description"] == \
        "All records pass the checks"
    assert vote(fake, number)[0] == "success"
    body = bot_comments(fake, number)[0]["body"]
    assert "### Notices" in body
    assert "renumbered to 13 at merge" in body
    assert "### Check findings" not in body
