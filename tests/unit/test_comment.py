"""Tests for govbot.comment: the status comment, its escaping, goldens and commit statuses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tallykit
from govbot.github.botstate import (
    MARKER,
    BotState,
    comment_body,
    fingerprint,
    split_state,
    state_line,
    with_state,
)
from govbot.model.config import load_config
from govbot.model.findings import Finding
from govbot.render.comment import cell, format_tally, render_comment, status_descriptions
from govbot.vote.snapshot import Comment, PullSnapshot, Review, load_snapshot
from govbot.vote.tally import tally

HERE = Path(__file__).resolve().parents[1]  # tests/: golden/ and snapshots/ live there
GOLDEN = HERE / "golden"
GOLDEN_NAMES = ("clean-majority", "veto", "stale-approval", "recusal", "edited-comment")
UPDATE = os.environ.get("GOVBOT_UPDATE_GOLDEN") == "1"


def posted(*args: Any, **kwargs: Any) -> str:
    """The status comment as govbot posts it: its marker, then the rendered report."""
    return comment_body(render_comment(*args, **kwargs))


def example(name: str, repo_root: Path) -> tuple[PullSnapshot, str]:
    cfg = load_config("governance.yml", (repo_root / "governance.yml").read_text())
    data = json.loads((HERE / "snapshots" / f"{name}.json").read_text(encoding="utf-8"))
    snapshot = load_snapshot(data, name)
    return snapshot, posted(tally(snapshot, cfg, snapshot.taken_at), snapshot)


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_golden_comments(name: str, repo_root: Path) -> None:
    """The rendered comment matches its reviewed golden file byte for byte
    (GOVBOT_UPDATE_GOLDEN=1 rewrites them)."""
    _, text = example(name, repo_root)
    path = GOLDEN / f"{name}.md"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


ATTACKS = [
    "@example-org/steering-committee please look",
    "<!-- govbot:status -->",
    "end --> <!-- start",
    "<script>alert(1)</script>",
    "a | b | c",
    "[click me](javascript:alert(1))",
    "![img](https://evil.example/x.png)",
    "**bold** _it_ `code` ~~gone~~",
    "line one\n\n## Heading\n| fake | row |",
    "# not a heading",
    "see https://evil.example and www.evil.example",
    "&lt;b&gt; entity",
]


def attacked(text: str, repo_root: Path) -> str:
    snapshot, _ = example("clean-majority", repo_root)
    cfg = load_config("governance.yml", (repo_root / "governance.yml").read_text())
    evil = Comment(1, "sofia-mendes", 41177026, "User", f"/govbot object {text}",
                   dt.datetime(2026, 11, 25, tzinfo=dt.UTC),
                   dt.datetime(2026, 11, 25, tzinfo=dt.UTC), "javascript:alert(1)")
    outsider = Review(2, "@mallory", 5, "User", "APPROVED", text, "a" * 40,
                      dt.datetime(2026, 11, 25, tzinfo=dt.UTC), "https://x/(y)")
    snapshot = dataclasses.replace(snapshot, title=text, comments=(evil,),
                                   reviews=(*snapshot.reviews, outsider))
    findings = [Finding("decisions/0012-x.md", 2, text, "x")]
    return posted(tally(snapshot, cfg, snapshot.taken_at, findings=findings),
                          snapshot)


@pytest.mark.parametrize("text", ATTACKS)
def test_user_text_cannot_inject(text: str, repo_root: Path) -> None:
    """Reasons, titles, logins and finding messages are escaped wherever they appear."""
    body = attacked(text, repo_root)
    assert body.startswith(MARKER + "\n")
    assert body.count("<!--") == 1
    assert body.count("-->") == 1
    for bad in ("](javascript", "![", "**bold**", "\n## Heading", "\n# not",
                "https://evil", "www.evil", "javascript:alert(1))"):
        assert bad not in body
    plain = body.replace(MARKER, "").replace("<sub>", "").replace("</sub>", "")
    for i, char in enumerate(plain):
        if char in "<&":
            assert plain[i - 1] == "\\", plain[i - 20:i + 20]
    assert "@example-org" not in body
    assert "@mallory" not in body
    table_rows = [line for line in body.splitlines() if line.startswith("| ")]
    widths = {line.replace("\\|", "").count("|") for line in table_rows}
    assert widths <= {4, 5, 6}


def test_issue_references_are_not_live(repo_root: Path) -> None:
    """Issue 11: `#12`, `org/repo#12` and `GH-3` in user text (a title, a reason, a
    finding) stay readable but are not links, so the status comment never cross-references
    (and notifies) those issues: a word joiner follows `#` and `GH-`."""
    body = attacked("see #12, other-org/repo#12 and GH-3", repo_root)
    assert re.search(r"#\d|GH-\d", body.replace("**#41 ", "")) is None
    assert "other-org/repo#\u206012" in body
    assert "GH-\u20603" in body


@pytest.mark.parametrize(("text", "escaped"), [
    ("@org/team", "@\u2060org/team"),
    ("#12 and a/b#3", "\\#\u206012 and a/b#\u20603"),
    ("<!-- govbot:status -->", "\\<\\!-- govbot:status --\\>"),
    ("a|b", "a\\|b"),
    ("[x](javascript:y)", "\\[x\\]\\(javascript:y\\)"),
    ("1. first", "1\\. first"),
    ("- item", "\\- item"),
    ("two\nlines", "two lines"),
    ("x" * 400, "x" * 299 + "…"),
])
def test_cell(text: str, escaped: str) -> None:
    """`cell` gives one clipped, fully escaped line."""
    assert cell(text) == escaped


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_cell_never_leaks_markup(text: str) -> None:
    """Whatever the text, no raw HTML, link, table pipe or newline survives."""
    out = cell(text)
    assert "\n" not in out
    for i, char in enumerate(out):
        if char in "<>|[]()`*_":
            assert out[i - 1] == "\\"


def test_same_inputs_same_bytes(repo_root: Path) -> None:
    """Rendering twice gives identical bytes (the bot then skips the edit)."""
    assert example("tie-chair", repo_root)[1] == example("tie-chair", repo_root)[1]


def test_comment_shows_non_binding_and_ignored(repo_root: Path) -> None:
    """Non-members and edited comments appear, marked as not counted."""
    _, text = example("renamed-member", repo_root)
    assert "### Non-binding" in text
    assert "its id differs" in text
    _, text = example("edited-comment", repo_root)
    assert "| ignored |" in text


@pytest.mark.parametrize(("name", "vote"), [
    ("clean-majority", ("success", "Approved under the plan rule: 3 approve, 1 object, "
                        "0 abstain")),
    ("quorum-miss", ("pending", "Pending (2 approve, 0 object, 0 abstain): needs quorum: 2 "
                     "of 3 votes")),
    ("veto", ("failure", "Blocked by a veto (5 approve, 1 object, 0 abstain): an objection "
              "must be retracted")),
    ("drafts-only", ("success", "Nothing to decide: no proposed record or protected file "
                     "changes")),
])
def test_status_descriptions(name: str, vote: tuple[str, str], repo_root: Path) -> None:
    """The two commit statuses: check from the findings, vote from the outcome."""
    cfg = load_config("governance.yml", (repo_root / "governance.yml").read_text())
    snapshot, _ = example(name, repo_root)
    statuses = status_descriptions(tally(snapshot, cfg, snapshot.taken_at))
    assert statuses == {"govbot/check": ("success", "All records pass the checks"),
                        "govbot/vote": vote}


def test_invalid_fails_both_statuses(repo_root: Path) -> None:
    """Findings fail the check status and the vote status (fail closed), within 140 chars."""
    cfg = load_config("governance.yml", (repo_root / "governance.yml").read_text())
    snapshot, _ = example("clean-majority", repo_root)
    result = tally(snapshot, cfg, snapshot.taken_at,
                   findings=[Finding("a.md", 1, "x"), Finding("b.md", 1, "y")])
    statuses = status_descriptions(result)
    assert statuses == {
        "govbot/check": ("failure", "2 problems in the records: see the status comment"),
        "govbot/vote": ("failure", "Not tallied: the records have check findings; see the "
                                   "status comment")}
    long = dataclasses.replace(result, outcome="pending", findings=(),
                               needs=("x" * 300,))
    assert len(status_descriptions(long)["govbot/vote"][1]) == 140


def test_comment_shows_the_earliest_decision_time_and_the_findings() -> None:
    """DESIGN §6: the comment names the earliest decision time while only the review period
    is missing, and lists every check finding with where it is."""
    cfg = tallykit.config()
    early = tallykit.snap(*(tallykit.approve(m) for m in ("chair", "m2", "m3")),
                            ready=dt.datetime(2026, 11, 28, 14, 0, tzinfo=dt.UTC))
    result = tally(early, cfg, tallykit.NOW)
    assert result.outcome == "pending"
    assert ("**Can pass at the earliest:** 2026-12-05 14:00 UTC, if nothing else changes."
            in posted(result, early))
    findings = [Finding("decisions/0012-x.md", 4, "kind: missing; add one of plan, policy, "
                        "governance or review")]
    invalid = tally(early, cfg, tallykit.NOW, findings=findings)
    text = posted(invalid, early)
    assert ("### Check findings\n\n- decisions/0012-x.md:4: kind: missing; add one of plan, "
            "policy, governance or review\n") in text
    assert "Can pass at the earliest" not in text


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_format_tally(fmt: str, repo_root: Path) -> None:
    """Every output format of `govbot tally` renders."""
    cfg = load_config("governance.yml", (repo_root / "governance.yml").read_text())
    snapshot, _ = example("recusal", repo_root)
    out = format_tally(tally(snapshot, cfg, snapshot.taken_at), snapshot, fmt)
    first = {"text": "outcome: approved", "markdown": "## ✅ Approved", "json": "{"}[fmt]
    assert out.startswith(first)


@settings(max_examples=60, deadline=None)
@given(tallykit.votes(tallykit.MEMBERS + tallykit.OUTSIDERS),
       st.sampled_from([("plan",), ("governance",), ()]))
def test_same_votes_same_bytes(items: list[Review | Comment], kinds: tuple[str, ...]) -> None:
    """For any votes, rendering the tally twice (and from reversed input) gives equal bytes."""
    cfg = tallykit.config()
    first = tallykit.snap(*items, kinds=kinds)
    second = tallykit.snap(*reversed(items), kinds=kinds)
    one = posted(tally(first, cfg, tallykit.NOW), first)
    two = posted(tally(second, cfg, tallykit.NOW), second)
    assert one == two
    assert one.startswith(MARKER + "\n")


STATE = BotState("a" * 40, {"govbot/check": ("success", fingerprint("All records pass")),
                            "govbot/vote": ("pending", fingerprint("Pending <b>&"))},
                 "2026-11-20T09:00:00Z", "2026-11-21T10:00:00Z")


def test_state_line_round_trips() -> None:
    """The state line is one deterministic hidden line that parses back to the state."""
    body = with_state("<!-- govbot:status -->\nhi\n", STATE)
    assert body.endswith(state_line(STATE) + "\n")
    assert body == with_state("<!-- govbot:status -->\nhi\n", STATE)
    assert split_state(body) == ("<!-- govbot:status -->\nhi\n", STATE)


@pytest.mark.parametrize("line", [
    '<!-- govbot:state {"at":"x","ready_at":null,"sha":"' + "a" * 40 + '","statuses":{}} -->',
    '<!-- govbot:state {"at":"2026-11-21T10:00:00Z","ready_at":null,"sha":"HEAD",'
    '"statuses":{}} -->',
    '<!-- govbot:state {"at":"2026-11-21T10:00:00Z","ready_at":null,"sha":"' + "a" * 40
    + '","statuses":{"govbot/vote":["approved","0123456789abcdef"]}} -->',
    '<!-- govbot:state {"at":"2026-13-45T10:00:00Z","ready_at":null,"sha":"' + "a" * 40
    + '","statuses":{}} -->',
    '<!-- govbot:state {"at":"2026-11-21T10:00:00Z","ready_at":null,"sha":"' + "a" * 40
    + '","statuses":{"other":["success","0123456789abcdef"]}} -->',
    '<!-- govbot:state {"at":"2026-11-21T10:00:00Z","sha":"' + "a" * 40
    + '","statuses":{}} -->',
    '<!-- govbot:state {not json} -->',
    '<!-- govbot:state [1] -->',
], ids=["bad time", "bad sha", "bad state", "impossible date", "unknown context",
        "missing key", "not JSON", "not an object"])
def test_a_malformed_state_is_unknown(line: str) -> None:
    """Anything but the exact shape parses as None (unknown), never as a guess."""
    assert split_state(f"<!-- govbot:status -->\nhi\n\n{line}\n")[1] is None


def test_user_text_cannot_forge_a_state_line() -> None:
    """Only the last line counts, and escaped user text cannot open a comment."""
    assert "<!--" not in cell('<!-- govbot:state {"at": 1} -->')
    assert split_state(f"{state_line(STATE)}\nlater text\n")[1] is None
