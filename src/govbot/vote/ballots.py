"""Ballots: who voted what on a pull request, and whether each vote counts (DESIGN §5).

Votes come from GitHub reviews (APPROVED, CHANGES_REQUESTED, DISMISSED) and from comment
commands (`/govbot object|abstain|recuse|retract`). For every committee member only the latest
counts; this module decides each member's standing vote and why it is or is not counted. The
arithmetic on top of it lives in `tally.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from govbot.model.config import Config, Member
from govbot.vote.commands import QUOTED, UNKNOWN
from govbot.vote.events import Detail, Event, Ignored, collect_events, is_bot
from govbot.vote.snapshot import PullSnapshot
from govbot.vote.standing import STANDING, Standing, Why, render_note

_REASONED = ("object", "abstain", "recuse")  # votes whose reason goes into the audit record


@dataclass(frozen=True, slots=True)
class VoteRow:
    """One line of the vote table: a person's standing vote, its typed standing and the
    reason code for it; the `note` is rendered from the reason, never the other way."""

    member: str
    vote: str  # approve | object | abstain | recuse | none
    why: Why
    at: dt.datetime | None
    binding: bool  # from a committee member (the vote could count)
    source: str  # review | comment | author | none
    url: str = ""
    name: str = ""
    chair: bool = False
    id: int | None = None  # the member's numeric GitHub id (roster), stamped at merge
    detail: tuple[tuple[str, str], ...] = ()  # the values the reason's message names
    signs_in_as: str = ""  # the login a renamed member now signs in with
    as_recorded: str = ""  # "edited" | "deleted": a comment vote counted as first recorded
    reason: str = ""  # the member's own words with an objection, abstention or recusal
    via: str = ""  # who recorded a vote cast outside GitHub ("" for the member's own)

    @property
    def standing(self) -> Standing:
        return STANDING[self.why]

    @property
    def counted(self) -> bool:
        return self.standing.counts

    @property
    def note(self) -> str:
        return render_note(self.why, dict(self.detail), self.signs_in_as, self.as_recorded)


COMMUNITY_VERBS = ("support", "concern")  # the non-binding voice of people not seated


@dataclass(frozen=True, slots=True)
class Ballots:
    """Every member's row, the rows that were ignored, and non-binding rows."""

    rows: tuple[VoteRow, ...]
    ignored: tuple[VoteRow, ...]
    non_binding: tuple[VoteRow, ...]
    recorded: Mapping[str, list[Any]]  # what govbot records of the votes it counted


def day(when: dt.datetime) -> dt.date:
    """The UTC calendar date of a moment (term dates are UTC dates)."""
    return when.astimezone(dt.UTC).date()


def fmt_time(when: dt.datetime) -> str:
    """`2026-12-01 14:00 UTC`."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def is_stale(event: Event, snapshot: PullSnapshot, mode: str) -> bool:
    """Whether an approval no longer counts because the proposal changed after it. A
    recorded approval (a meeting's) is bound to the head it was first counted at: any
    later push makes it stale, whatever the mode but `never` (govbot cannot compare the
    content of that head, so it fails closed)."""
    if event.verb != "approve" or mode == "never":
        return False
    if event.source == "recorded":
        return event.commit_id != snapshot.head_sha
    if event.source != "review":
        return False
    if event.commit_id is None:
        return True  # the reviewed commit is gone: fail closed
    if mode == "push":
        return event.commit_id != snapshot.head_sha
    return event.commit_id in snapshot.stale_commits


@dataclass(frozen=True, slots=True)
class _Judged:
    """A member's latest event judged: the vote, its reason code and the message values."""

    vote: str
    why: Why
    detail: Detail = ()
    signs_in_as: str = ""


def _judge_member(member: Member, event: Event | None, snapshot: PullSnapshot,
                  config: Config, today: dt.date) -> _Judged:
    """The standing of a member's latest event (None: they have not voted)."""
    if not member.seated(today):
        assert event is not None
        if member.until and member.until < today:
            return _Judged(_vote_of(event), Why.TERM_ENDED, (("date", str(member.until)),))
        return _Judged(_vote_of(event), Why.TERM_NOT_BEGUN, (("date", str(member.start)),))
    if not member.votes:
        return _Judged("none" if event is None else _vote_of(event), Why.NO_VOTE)
    if event is None:
        leave = next((x for x in member.leave if x.covers(today)), None)
        if leave is not None:
            return _Judged("none", Why.ON_LEAVE, (("until", str(leave.until)),))
        return _Judged("none", Why.NOT_VOTED)
    if event.verb == "retract":
        return _Judged("none", Why.RETRACTED, (("time", fmt_time(event.at)),))
    if event.verb == "dismissed":
        return _Judged("none", Why.DISMISSED_APPROVAL, (("time", fmt_time(event.at)),))
    if not member.seated(day(event.at)):
        return _Judged(_vote_of(event), Why.CAST_BEFORE_TERM,
                       (("date", str(day(event.at))), ("start", str(member.start))))
    renamed = ""
    if event.source != "author" and event.login.lower() != member.login.lower():
        renamed = event.login
    excluded = _is_author(member, snapshot) and config.author == "excluded"
    why, detail = _why_counted(event, snapshot, config, excluded=excluded)
    return _Judged(_vote_of(event), why, detail,
                   "" if why is Why.AUTHOR_EXCLUDED else renamed)


def _why_counted(event: Event, snapshot: PullSnapshot, config: Config, *, excluded: bool
                 ) -> tuple[Why, Detail]:
    """The standing of a seated member's vote: stale, recused, excluded (the author), or
    counted (and why)."""
    if is_stale(event, snapshot, config.stale_approvals):
        if event.source == "recorded":
            return Why.STALE_RECORDED, (("sha", (event.commit_id or "")[:7]),)
        if event.commit_id is None:
            return Why.STALE_NO_COMMIT, ()
        why = Why.STALE_PUSH if config.stale_approvals == "push" else Why.STALE_CONTENT
        return why, (("sha", event.commit_id[:7]),)
    if event.verb == "recuse":
        return (Why.RECUSED_WITH_REASON, (("reason", event.reason),)) if event.reason else \
            (Why.RECUSED, ())
    if excluded:
        return Why.AUTHOR_EXCLUDED, ()
    if event.source == "recorded":
        return (Why.RECORDED_WITH_REASON, (("via", event.via), ("reason", event.reason))) \
            if event.reason else (Why.RECORDED, (("via", event.via),))
    if event.source == "author":
        return Why.AUTHOR, ()
    if event.edited_by:
        return Why.EDITED_BY_OTHER, (("login", event.edited_by),)
    if event.dismissed:
        return (Why.DISMISSED_OBJECTION if event.dismissed == "recorded"
                else Why.DISMISSED_UNRECORDED), ()
    if event.verb == "object" and event.reason:
        return Why.VOTED_WITH_REASON, (("reason", event.reason),)
    return Why.VOTED, ()


def _vote_of(event: Event) -> str:
    return "none" if event.verb in ("retract", "dismissed", UNKNOWN, QUOTED) else event.verb


def _is_author(member: Member, snapshot: PullSnapshot) -> bool:
    if member.id is not None:
        return snapshot.author_id == member.id
    return snapshot.author_login.lower() == member.login.lower()


def _row(member: Member, event: Event | None, snapshot: PullSnapshot, config: Config,
         today: dt.date) -> VoteRow:
    judged = _judge_member(member, event, snapshot, config, today)
    reason = event.reason if event is not None and (
        judged.vote in _REASONED or event.source == "recorded") else ""  # minutes' link
    return VoteRow(member.login, judged.vote, judged.why, event.at if event else None, True,
                   event.source if event else "none", event.url if event else "",
                   member.name, member.is_chair, member.id, judged.detail,
                   judged.signs_in_as, event.as_recorded if event else "", reason,
                   event.via if event else "")


def _outsider_why(event: Event, config: Config) -> tuple[Why, Detail]:
    if is_bot(event.login, event.user_type, config):
        return Why.BOT, ()
    for member in config.committee:
        if member.login.lower() == event.login.lower():
            return Why.IMPOSTOR, ()
    for body in config.bodies.values():
        if body.id != config.default_body and body.find_member(event.login, event.user_id):
            return Why.OTHER_BODY, (("body", body.name), ("body_id", body.id))
    return Why.NOT_MEMBER, ()


def _outsider(event: Event, config: Config) -> VoteRow:
    why, detail = _outsider_why(event, config)
    reason = event.reason if event.verb in ("object", "concern") else ""
    return VoteRow(event.login, _vote_of(event), why, event.at, False, event.source,
                   event.url, detail=detail, reason=reason)


def collect_ballots(snapshot: PullSnapshot, config: Config, now: dt.datetime, *,
                    recorded_votes: bool = True) -> Ballots:
    """Every member's standing vote, ignored commands, and non-members' votes, from the
    votes cast at or before `now` (votes recorded with `/govbot record` only when the
    rule's `recorded_votes` allows them)."""
    today = day(now)
    found = collect_events(snapshot, config, now, recorded_votes=recorded_votes)
    latest: dict[str, Event] = {}
    outsiders: dict[str, Event] = {}
    misplaced: list[Ignored] = []  # a member's /govbot support or concern
    for event in found.events:
        member = None if is_bot(event.login, event.user_type, config) else \
            config.find_member(event.login, event.user_id)
        if member is None:
            outsiders[event.login.lower()] = event
        elif event.verb in COMMUNITY_VERBS:
            misplaced.append(Ignored(event, Why.COMMUNITY_BY_MEMBER,
                                     (("body", config.body().name),)))
        else:
            latest[member.login] = event
    rows = tuple(_row(m, latest.get(m.login), snapshot, config, today)
                 for m in config.committee
                 if (m.seated(today) and m.votes) or m.login in latest)
    ignored = tuple(_ignored_row(i, config) for i in sorted(
        (*found.ignored, *misplaced), key=lambda i: i.event.order))
    non_binding = tuple(_outsider(e, config) for _, e in sorted(outsiders.items()))
    return Ballots(rows, ignored, non_binding, found.recorded)


def _ignored_row(item: Ignored, config: Config) -> VoteRow:
    event = item.event
    member = None if is_bot(event.login, event.user_type, config) else \
        config.find_member(event.login, event.user_id)
    login = member.login if member else event.login
    return VoteRow(login, _vote_of(event), item.why, event.at, member is not None,
                   event.source, event.url, member.name if member else "",
                   bool(member and member.is_chair), detail=item.detail)


def counted(rows: Sequence[VoteRow], vote: str) -> int:
    """How many rows carry a counted vote of this kind (from the typed standing)."""
    return sum(1 for row in rows if row.standing.counts and row.vote == vote)
