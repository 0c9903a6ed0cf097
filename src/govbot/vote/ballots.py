"""Ballots: who voted what on a pull request, and whether each vote counts (DESIGN §5).

Votes come from GitHub reviews (APPROVED, CHANGES_REQUESTED, DISMISSED) and from comment
commands (`/govbot object|abstain|recuse|retract`). For every committee member only the latest
counts; this module decides each member's standing vote and why it is or is not counted. The
arithmetic on top of it lives in `tally.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from govbot.model.config import Config, Member
from govbot.model.findings import did_you_mean, one_of
from govbot.vote.commands import QUOTED, UNKNOWN, VERBS, parse_commands
from govbot.vote.snapshot import PullSnapshot
from govbot.vote.standing import STANDING, Standing, Why, render_note

_RANK = {"author": 0, "review": 1, "comment": 2}


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

    @property
    def standing(self) -> Standing:
        return STANDING[self.why]

    @property
    def counted(self) -> bool:
        return self.standing.counts

    @property
    def note(self) -> str:
        return render_note(self.why, dict(self.detail), self.signs_in_as)


@dataclass(frozen=True, slots=True)
class Event:
    """A vote-changing act by one account, in the order the tally replays them."""

    at: dt.datetime
    source: str
    ident: int
    line: int
    login: str
    user_id: int | None
    user_type: str
    verb: str  # approve | object | abstain | recuse | retract | dismissed
    reason: str = ""
    commit_id: str | None = None
    url: str = ""

    @property
    def order(self) -> tuple[dt.datetime, int, int, int]:
        return (self.at, _RANK[self.source], self.ident, self.line)


@dataclass(frozen=True, slots=True)
class Ballots:
    """Every member's row, the rows that were ignored, and non-binding rows."""

    rows: tuple[VoteRow, ...]
    ignored: tuple[VoteRow, ...]
    non_binding: tuple[VoteRow, ...]


def is_bot(login: str, user_type: str, config: Config) -> bool:
    """Whether an account is a bot (never a binding voter)."""
    return (user_type.lower() == "bot" or login.lower().endswith("[bot]")
            or login.lower() == config.bot.lower())


def day(when: dt.datetime) -> dt.date:
    """The UTC calendar date of a moment (term dates are UTC dates)."""
    return when.astimezone(dt.UTC).date()


def fmt_time(when: dt.datetime) -> str:
    """`2026-12-01 14:00 UTC`."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _review_events(snapshot: PullSnapshot) -> Iterable[Event]:
    verbs = {"APPROVED": "approve", "CHANGES_REQUESTED": "object", "DISMISSED": "dismissed"}
    for review in snapshot.reviews:
        verb = verbs.get(review.state)
        if verb is None or review.submitted_at is None:
            continue  # COMMENTED and PENDING reviews are not votes
        yield Event(review.submitted_at, "review", review.id, 0, review.user_login,
                    review.user_id, review.user_type, verb,
                    review.body.strip() if verb == "object" else "", review.commit_id,
                    review.html_url)


Detail = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Ignored:
    """A comment command shown as ignored, with the reason code and its message's values."""

    event: Event
    why: Why
    detail: Detail = ()


def _comment_events(snapshot: PullSnapshot, config: Config
                    ) -> tuple[list[Event], list[Ignored]]:
    """(events that may count, commands shown as ignored: edited comments, `approve`,
    unknown verbs)."""
    events: list[Event] = []
    ignored: list[Ignored] = []
    for comment in snapshot.comments:
        if comment.user_login.lower() == config.bot.lower():
            continue  # govbot's own status comment (the marker alone proves nothing:
            # anyone can write it, and an edit adding it must not hide a vote)
        for command in parse_commands(comment.body, keep_unknown=True):
            event = Event(comment.created_at, "comment", comment.id, command.line,
                          comment.user_login, comment.user_id, comment.user_type,
                          command.verb, command.reason, None, comment.html_url)
            if comment.edited:
                ignored.append(Ignored(event, Why.EDITED))
            elif command.verb == QUOTED:
                ignored.append(Ignored(event, Why.IN_QUOTE))
            elif command.verb == UNKNOWN:
                ignored.append(Ignored(event, Why.UNKNOWN_COMMAND,
                                       _unknown_command(command.reason)))
            elif command.verb == "approve":
                ignored.append(Ignored(event, Why.APPROVE_BY_COMMENT))
            else:
                events.append(event)
    return events, ignored


def _unknown_command(word: str) -> Detail:
    known = [v for v in VERBS if v != "approve"]
    return (("command", f"/govbot {word}".strip()),
            ("suggestion", did_you_mean(word.lower(), known)),
            ("commands", one_of([f"/govbot {v}" for v in known])))


def is_stale(event: Event, snapshot: PullSnapshot, mode: str) -> bool:
    """Whether an approval no longer counts because the proposal changed after it."""
    if event.source != "review" or event.verb != "approve" or mode == "never":
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
    if event is None:
        return _Judged("none", Why.NOT_VOTED)
    if event.verb == "retract":
        return _Judged("none", Why.RETRACTED, (("time", fmt_time(event.at)),))
    if event.verb == "dismissed":
        return _Judged("none", Why.DISMISSED_APPROVAL, (("time", fmt_time(event.at)),))
    vote = _vote_of(event)
    renamed = ""
    if event.source != "author" and event.login.lower() != member.login.lower():
        renamed = event.login
    if not member.seated(day(event.at)):
        return _Judged(vote, Why.CAST_BEFORE_TERM, (("date", str(day(event.at))),
                                                    ("start", str(member.start))))
    if is_stale(event, snapshot, config.stale_approvals):
        if event.commit_id is None:
            return _Judged(vote, Why.STALE_NO_COMMIT, (), renamed)
        why = Why.STALE_PUSH if config.stale_approvals == "push" else Why.STALE_CONTENT
        return _Judged(vote, why, (("sha", event.commit_id[:7]),), renamed)
    if vote == "recuse":
        if event.reason:
            return _Judged(vote, Why.RECUSED_WITH_REASON, (("reason", event.reason),), renamed)
        return _Judged(vote, Why.RECUSED, (), renamed)
    if _is_author(member, snapshot) and config.author == "excluded":
        return _Judged(vote, Why.AUTHOR_EXCLUDED)
    if event.source == "author":
        return _Judged(vote, Why.AUTHOR)
    if vote == "object" and event.reason:
        return _Judged(vote, Why.VOTED_WITH_REASON, (("reason", event.reason),), renamed)
    return _Judged(vote, Why.VOTED, (), renamed)


def _vote_of(event: Event) -> str:
    return "none" if event.verb in ("retract", "dismissed", UNKNOWN, QUOTED) else event.verb


def _is_author(member: Member, snapshot: PullSnapshot) -> bool:
    if member.id is not None:
        return snapshot.author_id == member.id
    return snapshot.author_login.lower() == member.login.lower()


def _row(member: Member, event: Event | None, snapshot: PullSnapshot, config: Config,
         today: dt.date) -> VoteRow:
    judged = _judge_member(member, event, snapshot, config, today)
    return VoteRow(member.login, judged.vote, judged.why, event.at if event else None, True,
                   event.source if event else "none", event.url if event else "",
                   member.name, member.is_chair, member.id, judged.detail,
                   judged.signs_in_as)


def _outsider_why(event: Event, config: Config) -> Why:
    if is_bot(event.login, event.user_type, config):
        return Why.BOT
    for member in config.committee:
        if member.login.lower() == event.login.lower():
            return Why.IMPOSTOR
    return Why.NOT_MEMBER


def collect_ballots(snapshot: PullSnapshot, config: Config, now: dt.datetime) -> Ballots:
    """Every member's standing vote, ignored commands, and non-members' votes."""
    today = day(now)
    comment_events, ignored_events = _comment_events(snapshot, config)
    events = [*_review_events(snapshot), *comment_events]
    author = config.find_member(snapshot.author_login, snapshot.author_id)
    if author is not None and config.author == "approves":
        events.append(Event(snapshot.ready_at, "author", 0, 0, snapshot.author_login,
                            snapshot.author_id, "User", "approve"))
    latest: dict[str, Event] = {}
    outsiders: dict[str, Event] = {}
    for event in sorted(events, key=lambda e: e.order):
        member = None if is_bot(event.login, event.user_type, config) else \
            config.find_member(event.login, event.user_id)
        if member is None:
            outsiders[event.login.lower()] = event
        else:
            latest[member.login] = event
    rows = tuple(_row(m, latest.get(m.login), snapshot, config, today)
                 for m in config.committee if m.seated(today) or m.login in latest)
    ignored = tuple(_ignored_row(i, config)
                    for i in sorted(ignored_events, key=lambda i: i.event.order))
    non_binding = tuple(VoteRow(e.login, _vote_of(e), _outsider_why(e, config), e.at,
                                False, e.source, e.url)
                        for _, e in sorted(outsiders.items()))
    return Ballots(rows, ignored, non_binding)


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
