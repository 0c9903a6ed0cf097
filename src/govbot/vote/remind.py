"""Reminders (DESIGN §4 `remind`): when a rule's review period — or its deadline, when it has
one — is this close to its end and the vote is still open, the members who could still vote
and have not are reminded, once per pull request and ready period.

Pure: a tally in, the reminder (who, and until when) out. Only roster logins are ever named:
the members come from governance.yml through the count, never from anything a user wrote.
The GitHub edge posts it (the sweep), once: the marker carries the ready period it is for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from govbot.model.config import LOGIN
from govbot.model.vocab import utc_stamp
from govbot.vote.arithmetic import Count, deadline_end
from govbot.vote.tally import Tally

MARKER = "<!-- govbot:reminder {key} -->"


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder due now: its key (the ready period it is for), what ends and when, and
    the roster logins of the members who have not voted."""

    key: str
    what: str  # "voting closes" | "the review period ends"
    ends: dt.datetime
    logins: tuple[str, ...]

    @property
    def marker(self) -> str:
        return MARKER.format(key=self.key)


def _not_voted(tally: Tally, body: str) -> list[str]:
    """The members of `body` in the electorate (seated, not recused, not on leave without a
    vote, not an excluded author) without a counted vote."""
    count: Count | None = next((b.count for b in tally.bodies if b.id == body), None)
    electorate = count.electorate if count is not None else tally.electorate
    rows = count.rows if count is not None else tally.votes
    return [r.member for r in rows if r.member in electorate and not r.counted]


def reminder(tally: Tally, ready_at: dt.datetime, now: dt.datetime, *, draft: bool = False
             ) -> Reminder | None:
    """The reminder due at `now`, if any: the vote is pending, and for at least one
    applicable rule with `remind`, `now` is within `remind` of the end of its deadline (or,
    without one, its review period). Nobody to name: no reminder."""
    if tally.outcome != "pending" or draft:
        return None
    logins: list[str] = []
    ends: list[tuple[dt.datetime, str]] = []
    for result in tally.rules:
        rule = result.rule
        if rule.remind is None:
            continue
        end = deadline_end(rule, ready_at)
        what = "voting closes"
        if end is None:
            end, what = ready_at + rule.review_period, "the review period ends"
        if end - rule.remind <= now < end and result.outcome == "pending":
            ends.append((end, what))
            logins += _not_voted(tally, result.body)
    names = tuple(sorted({n for n in logins if LOGIN.match(n)}, key=str.lower))
    if not ends or not names:
        return None
    end, what = min(ends)
    return Reminder(utc_stamp(ready_at), what, end, names)


def posted(key: str, comments: Iterable[Mapping[str, Any]], bot: str) -> bool:
    """Whether govbot already posted the reminder for the ready period `key` (its marker, in
    a comment by govbot's own account: anyone can write the marker, and must not be able
    to silence the reminder with it)."""
    marker = MARKER.format(key=key)
    return any(marker in str(c.get("body") or "")
               and str((c.get("user") or {}).get("login") or "").lower() == bot.lower()
               for c in comments)
