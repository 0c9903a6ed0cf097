"""Reminders (DESIGN §4 `remind`): who is named, when, once, and never from user text."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import tallykit
from govbot.model.config import Config, Leave
from govbot.render.comment import reminder_body
from govbot.vote.remind import posted, reminder
from govbot.vote.tally import tally
from tallykit import READY, approve, comment, obj

# tallykit's plan rule: 7-day review period from READY (ends 2026-11-27 10:00 UTC)
ENDS = READY + dt.timedelta(days=7)


def with_remind(days: int = 2, deadline: int | None = None) -> Config:
    config = tallykit.config()
    rules = dict(config.rules)
    rules["plan"] = dataclasses.replace(
        rules["plan"], remind=dt.timedelta(days=days),
        deadline=None if deadline is None else dt.timedelta(days=deadline))
    return dataclasses.replace(config, rules=rules)


def due(*items: object, config: Config | None = None, now: dt.datetime = ENDS -
        dt.timedelta(days=1)) -> object:
    snap = tallykit.snap(*items)  # type: ignore[arg-type]
    return reminder(tally(snap, config or with_remind(), now), snap.ready_at, now)


@pytest.mark.parametrize(("now", "expected"), [
    (ENDS - dt.timedelta(days=3), None),  # too early
    (ENDS - dt.timedelta(days=2), ("chair", "m2", "m3", "m4", "m5", "m6")),  # it opens
    (ENDS - dt.timedelta(minutes=1), ("chair", "m2", "m3", "m5", "m6")),
    (ENDS, None),  # the period is over
])
def test_the_window_before_the_review_period_ends(now: dt.datetime,
                                                  expected: tuple[str, ...] | None) -> None:
    """A reminder is due from `remind` before the review period ends until it ends; it
    names every member in the electorate without a counted vote (m4's term ends on
    2026-11-25)."""
    found = due(now=now)
    assert (found.logins if found else None) == expected  # type: ignore[attr-defined]


def test_nobody_who_voted_recused_or_is_on_leave_is_named() -> None:
    """The chair voted, m2 objected, m3 recused and m5 is on leave: only m6 is named."""
    config = with_remind()
    config = dataclasses.replace(config, committee=tuple(
        dataclasses.replace(m, leave=(Leave(dt.date(2026, 11, 1), dt.date(2026, 12, 31)),))
        if m.login == "m5" else m for m in config.committee))
    found = due(approve("chair"), obj("m2"), comment("m3", "/govbot recuse my employer",
                                                     tallykit.at(21)), config=config)
    assert found.logins == ("m6",)  # type: ignore[attr-defined]


def test_with_a_deadline_the_reminder_is_before_voting_closes() -> None:
    """A rule with a deadline reminds before the deadline, not the review period."""
    config = with_remind(days=2, deadline=10)
    assert due(config=config) is None  # a day before the review period ends
    closes = READY + dt.timedelta(days=10)
    found = due(config=config, now=closes - dt.timedelta(days=1))
    assert (found.what, found.ends) == ("voting closes", closes)  # type: ignore[attr-defined]


def test_no_reminder_without_remind_or_when_decided() -> None:
    """No `remind` on the rule, an approved vote, or a draft: no reminder."""
    assert due(config=tallykit.config()) is None
    approved = tally(tallykit.snap(approve("chair"), approve("m2"), approve("m3")),
                     with_remind(), ENDS + dt.timedelta(hours=1))
    assert reminder(approved, READY, ENDS + dt.timedelta(hours=1)) is None
    snap = dataclasses.replace(tallykit.snap(), draft=True)
    result = tally(snap, with_remind(), ENDS - dt.timedelta(days=1))
    assert reminder(result, READY, ENDS - dt.timedelta(days=1), draft=True) is None


def test_a_reminder_never_names_user_supplied_text() -> None:
    """Hostile: a non-member's command and a member's reason full of @mentions, and a PR
    author who is not on the roster, name no one: only roster logins are mentioned."""
    items = (comment("outsider", "/govbot object @victim please look", tallykit.at(21)),
             comment("m2", "/govbot object ping @mallory and @org/team", tallykit.at(21)))
    found = due(*items)
    assert found is not None
    body = reminder_body(found)  # type: ignore[arg-type]
    mentions = sorted(word.strip(".,") for word in body.split() if word.startswith("@"))
    assert mentions == ["@chair", "@m3", "@m5", "@m6"]
    assert "victim" not in body
    assert "mallory" not in body
    assert body.startswith("<!-- govbot:reminder 2026-11-20T10:00:00Z -->\n")
    assert "the review period ends 2026-11-27 10:00 UTC" in body


def test_posted_is_found_by_marker_and_govbots_own_account() -> None:
    """A marker in someone else's comment does not silence the reminder."""
    marker = "<!-- govbot:reminder 2026-11-20T10:00:00Z -->"
    bot = {"user": {"login": "github-actions[bot]"}, "body": marker + "\nhi"}
    forged = {"user": {"login": "mallory"}, "body": marker}
    assert posted("2026-11-20T10:00:00Z", [bot], "github-actions[bot]")
    assert not posted("2026-11-20T10:00:00Z", [forged], "github-actions[bot]")
    assert not posted("2026-11-25T10:00:00Z", [bot], "github-actions[bot]")
