"""The vote events of a pull request: its reviews and comment commands as govbot counts
them (DESIGN §5), and what govbot records of them in its state.

- A review: APPROVED → approve, CHANGES_REQUESTED → object. A DISMISSED review withdraws an
  approval and never an objection (a dismissal is always someone else's act): govbot knows
  which it was from what it recorded when it counted the review; one it never recorded
  stands as an objection (fail closed).
- A comment command counts as govbot first recorded it: an edit (or a deletion) by anyone
  neither adds nor removes a vote. An edited comment govbot has a record of is judged by
  the recorded command; one it has none of is shown as ignored — unless GitHub's edit
  history shows someone other than its author edited it (or does not say who did): a
  member's comment then stands as an unconfirmed objection until the member votes again.
- Only votes cast at or before `now` take part (`govbot tally --now`).

Pure. The record (`recorded_votes`) is data in the snapshot; the GitHub edge keeps it in
govbot's status comment and never interprets it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from govbot.model.config import LOGIN, Config
from govbot.model.findings import did_you_mean, one_of
from govbot.model.vocab import RECORD_STATE, utc_stamp
from govbot.vote.commands import QUOTED, UNKNOWN, VERBS, Command, parse_commands
from govbot.vote.snapshot import (
    COMMENT_VERBS,
    Comment,
    PullSnapshot,
    RecordedVote,
)
from govbot.vote.standing import Why

_RANK = {"author": 0, "review": 1, "comment": 2, "recorded": 2}
RECORDABLE = ("approve", "object", "abstain", "recuse")  # what `/govbot record` may enter
_REVIEW_VERBS = {"APPROVED": "approve", "CHANGES_REQUESTED": "object"}
Detail = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Event:
    """A vote-changing act by one account, in the order the tally replays them.
    `as_recorded` says why the recorded command stands in for the comment's text
    ("edited" or "deleted"; empty when the text itself counts)."""

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
    dismissed: str = ""  # an objection dismissed by another user: "recorded" | "unrecorded"
    as_recorded: str = ""
    # a member's comment someone else edited, with no record confirming what it said: who
    # edited it (it stands as an unconfirmed objection)
    edited_by: str = ""
    via: str = ""  # a vote cast outside GitHub: the secretary or chair who recorded it

    @property
    def order(self) -> tuple[dt.datetime, int, int, int]:
        return (self.at, _RANK[self.source], self.ident, self.line)


@dataclass(frozen=True, slots=True)
class Ignored:
    """A comment command shown as ignored, with the reason code and its message's values."""

    event: Event
    why: Why
    detail: Detail = ()


@dataclass(frozen=True, slots=True)
class Events:
    """The events that may count, the commands shown as ignored, and the record to keep."""

    events: tuple[Event, ...]
    ignored: tuple[Ignored, ...]
    recorded: Mapping[str, list[Any]]


def is_bot(login: str, user_type: str, config: Config) -> bool:
    """Whether an account is a bot (never a binding voter)."""
    return (user_type.lower() == "bot" or login.lower().endswith("[bot]")
            or login.lower() == config.bot.lower())


def digest(command: Command) -> str:
    """The digest govbot records of a command line (what it said, not how it was typed)."""
    text = f"/govbot {command.verb} {command.reason}".strip()
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _review_events(snapshot: PullSnapshot, now: dt.datetime) -> Iterator[Event]:
    for review in snapshot.reviews:
        if review.submitted_at is None or review.submitted_at > now:
            continue  # pending, or cast after `now`
        verb, dismissed = _REVIEW_VERBS.get(review.state), ""
        if review.state == "DISMISSED":
            was = snapshot.recorded_reviews.get(review.id)
            verb = "dismissed" if was == "approve" else "object"
            dismissed = "" if was == "approve" else "recorded" if was else "unrecorded"
        if verb is None:
            continue  # COMMENTED reviews are not votes
        yield Event(review.submitted_at, "review", review.id, 0, review.user_login,
                    review.user_id, review.user_type, verb,
                    review.body.strip() if verb == "object" else "", review.commit_id,
                    review.html_url, dismissed)


def _unknown_command(word: str) -> Detail:
    known = [v for v in VERBS if v != "approve"]
    return (("command", f"/govbot {word}".strip()),
            ("suggestion", did_you_mean(word.lower(), known)),
            ("commands", one_of([f"/govbot {v}" for v in known])))


def _event(comment: Comment, command: Command) -> Event:
    return Event(comment.created_at, "comment", comment.id, command.line, comment.user_login,
                 comment.user_id, comment.user_type, command.verb, command.reason, None,
                 comment.html_url)


def _shown_ignored(comment: Comment, command: Command) -> Ignored | None:
    """Why an unedited comment's command is not a vote (None: it is one)."""
    event = _event(comment, command)
    if command.verb == QUOTED:
        return Ignored(event, Why.IN_QUOTE)
    if command.verb == UNKNOWN:
        return Ignored(event, Why.UNKNOWN_COMMAND, _unknown_command(command.reason))
    if command.verb == "approve":
        return Ignored(event, Why.APPROVE_BY_COMMENT)
    return None


UNKNOWN_EDITOR = "an account GitHub did not name"
# the line digest govbot records for an unconfirmed objection (no command line hashes to
# it): the record keeps the objection standing if the comment is then deleted, and never
# confirms a command
UNCONFIRMED_LINE = "0" * 16


def _other_editors(comment: Comment) -> tuple[str, ...] | None:
    """Who other than its author edited a comment, by GitHub's edit history: () when only
    its author did, None when GitHub did not say (no history read, or an empty one)."""
    if not comment.edited_by:
        return None
    return tuple(dict.fromkeys(e for e in comment.edited_by
                               if e.lower() != comment.user_login.lower()))


def _edited(comment: Comment, commands: list[Command], record: RecordedVote | None,
            config: Config) -> tuple[list[Event], list[Ignored]]:
    """An edited comment: its recorded command counts, as first recorded (with today's
    text when its line is still there); every other command line is shown as ignored.

    When someone other than its author edited it (or GitHub does not say who did) and
    govbot's record does not confirm what it said — no record, or, editors unknown, a
    record no line of today's text matches (the record lives in a comment any writer can
    edit) — a seated member's comment stands as an unconfirmed objection: it may have been
    one. An edit never adds any other vote."""
    if record is not None and record.line == UNCONFIRMED_LINE:
        record = None  # govbot's own mark of an unconfirmed objection confirms nothing
    kept = next((c for c in reversed(commands) if record is not None
                 and c.verb == record.verb.split(":", 1)[0] and digest(c) == record.line),
                None)
    ignored = [Ignored(_event(comment, c), Why.EDITED) for c in commands if c is not kept]
    others = _other_editors(comment)
    confirmed = others == () or (record is not None and (others is not None or kept))
    if not confirmed:
        member = config.find_member(comment.user_login, comment.user_id)
        if member is None or is_bot(comment.user_login, comment.user_type, config):
            return [], ignored
        return [Event(comment.created_at, "comment", comment.id, 0, comment.user_login,
                      comment.user_id, comment.user_type, "object", "", None,
                      comment.html_url, edited_by=", ".join(others or (UNKNOWN_EDITOR,)))
                ], ignored
    if kept is not None:
        return [_event(comment, kept)], ignored
    if record is None:
        return [], ignored
    return [Event(comment.created_at, "comment", comment.id, 0, comment.user_login,
                  comment.user_id, comment.user_type, record.verb, "", None,
                  comment.html_url, as_recorded="edited")], ignored


def record_command(event: Event) -> tuple[str, str, str, str | None] | None:
    """(member login, vote, reason, commit) of a `/govbot record LOGIN VOTE [REASON]`
    event, read from the command's words, or from govbot's record of it (`record:…`, once
    the comment was edited or deleted); None when it is not well formed."""
    if event.verb != "record":
        found = RECORD_STATE.match(event.verb)
        return (found["login"], found["vote"], "", found["sha"]) if found else None
    words = event.reason.split(None, 2)
    if len(words) < 2:
        return None
    login, vote = words[0].lstrip("@"), words[1].lower().rstrip(":,.")
    if not LOGIN.match(login) or vote not in RECORDABLE:
        return None
    return login, vote, words[2].strip() if len(words) > 2 else "", None


def recorded_vote(event: Event, snapshot: PullSnapshot, config: Config, *, allowed: bool
                  ) -> Event | Ignored | None:
    """A vote cast outside GitHub (a meeting, e-mail), entered with `/govbot record` by
    the seated secretary or chair of this body (`config`: the body's view), as the
    member's vote (DESIGN §5); or why it is ignored. None: it records a vote for another
    body, judged there. An approval is bound to the head it was first counted at."""
    parsed = record_command(event)
    if parsed is None:
        return Ignored(event, Why.RECORD_USAGE)
    login, vote, reason, commit = parsed
    target = next((m for m in config.committee if m.login.lower() == login.lower()), None)
    if target is None:
        elsewhere = any(m.login.lower() == login.lower() for body in config.bodies.values()
                        for m in body.committee)
        return None if elsewhere else Ignored(event, Why.RECORD_NOT_MEMBER,
                                              (("login", login),))
    officer = None if is_bot(event.login, event.user_type, config) else \
        config.find_member(event.login, event.user_id)
    if officer is None or not (officer.is_secretary or officer.is_chair) or \
            not officer.seated(event.at.astimezone(dt.UTC).date()):
        return Ignored(event, Why.RECORD_NOT_OFFICER, (("body", config.body().name),))
    if not allowed:
        return Ignored(event, Why.RECORD_NOT_COUNTED)
    return Event(event.at, "recorded", event.ident, event.line, target.login, target.id,
                 "User", vote, reason, (commit or snapshot.head_sha) if vote == "approve"
                 else None, event.url, as_recorded=event.as_recorded, via=officer.login)


def _record_state(event: Event, command: Command) -> list[Any]:
    """What govbot keeps of a `/govbot record` it counted: the member and the vote (and an
    approval's head), so neither an edit nor a deletion can change it."""
    state = f"record:{event.login}:{event.verb}" + (
        f":{event.commit_id}" if event.verb == "approve" and event.commit_id else "")
    return [state, digest(command), "", None, utc_stamp(event.at)]


def _converted(events: list[Event], snapshot: PullSnapshot, config: Config, allowed: bool
               ) -> tuple[list[Event], list[Ignored]]:
    """The events with each `/govbot record` (from an edited or deleted comment) turned
    into the member's vote, or into a reason it is ignored."""
    out: list[Event] = []
    shown: list[Ignored] = []
    for event in events:
        if event.verb != "record" and not event.verb.startswith("record:"):
            out.append(event)
            continue
        found = recorded_vote(event, snapshot, config, allowed=allowed)
        if isinstance(found, Event):
            out.append(found)
        elif isinstance(found, Ignored):
            shown.append(found)
    return out, shown


def _comment_events(snapshot: PullSnapshot, config: Config, now: dt.datetime,
                    allowed: bool = True
                    ) -> tuple[list[Event], list[Ignored], dict[str, list[Any]]]:
    """(events that may count, commands shown as ignored, records of unedited commands)."""
    events: list[Event] = []
    ignored: list[Ignored] = []
    records: dict[str, list[Any]] = {}
    for comment in snapshot.comments:
        if comment.user_login.lower() == config.bot.lower() or comment.created_at > now:
            continue  # govbot's own status comment (the marker alone proves nothing:
            # anyone can write it, and an edit adding it must not hide a vote)
        commands = parse_commands(comment.body, keep_unknown=True)
        if comment.edited:
            counted, shown = _edited(comment, commands,
                                     snapshot.recorded_comments.get(comment.id), config)
            if counted and counted[0].edited_by \
                    and comment.id not in snapshot.recorded_comments:
                records[f"c{comment.id}"] = ["object", UNCONFIRMED_LINE, comment.user_login,
                                             comment.user_id, utc_stamp(comment.created_at)]
            events += counted
            ignored += shown
            continue
        last = None
        for command in commands:
            why = _shown_ignored(comment, command)
            if why is None and command.verb == "record":
                found = recorded_vote(_event(comment, command), snapshot, config,
                                      allowed=allowed)
                first = snapshot.recorded_comments.get(comment.id)
                kept = RECORD_STATE.match(first.verb) if first is not None and \
                    first.line == digest(command) else None
                if isinstance(found, Event) and kept is not None and found.commit_id:
                    # an approval stays bound to the head govbot first counted it at
                    found = dataclasses.replace(found, commit_id=kept["sha"])
                if isinstance(found, Event):
                    events.append(found)
                    records[f"c{comment.id}"] = _record_state(found, command)
                    records[f"c{comment.id}"][2:4] = [comment.user_login, comment.user_id]
                elif found is not None:
                    ignored.append(found)
            elif why is None:
                events.append(_event(comment, command))
                last = command
            else:
                ignored.append(why)
        member = config.find_member(comment.user_login, comment.user_id)
        if last is not None and member is not None and last.verb in COMMENT_VERBS \
                and not is_bot(comment.user_login, comment.user_type, config):
            records[f"c{comment.id}"] = [last.verb, digest(last), comment.user_login,
                                         comment.user_id, utc_stamp(comment.created_at)]
    return events, ignored, records


def _deleted(snapshot: PullSnapshot, now: dt.datetime) -> Iterator[Event]:
    """The recorded commands whose comment is gone: they stand as first recorded."""
    present = {comment.id for comment in snapshot.comments}
    for ident, record in sorted(snapshot.recorded_comments.items()):
        if ident not in present and record.at <= now:
            yield Event(record.at, "comment", ident, 0, record.login, record.user_id, "User",
                        record.verb, as_recorded="deleted",
                        edited_by=UNKNOWN_EDITOR if record.line == UNCONFIRMED_LINE else "")


def _review_records(snapshot: PullSnapshot, config: Config) -> dict[str, list[Any]]:
    """The vote of every approving or objecting review by a member, to know later what a
    dismissed review was."""
    return {f"r{r.id}": [_REVIEW_VERBS[r.state]] for r in snapshot.reviews
            if r.state in _REVIEW_VERBS and config.find_member(r.user_login, r.user_id)
            and not is_bot(r.user_login, r.user_type, config)}


def collect_events(snapshot: PullSnapshot, config: Config, now: dt.datetime, *,
                   recorded_votes: bool = True) -> Events:
    """Every vote event cast at or before `now`, the commands shown as ignored, and the
    record govbot keeps: what it had, plus what it counts now for the first time. Votes
    entered with `/govbot record` count only with `recorded_votes` (the rule's)."""
    comment_events, ignored, records = _comment_events(snapshot, config, now, recorded_votes)
    events, shown = _converted([*_review_events(snapshot, now), *comment_events,
                                *_deleted(snapshot, now)], snapshot, config, recorded_votes)
    ignored = [*ignored, *shown]
    author = config.find_member(snapshot.author_login, snapshot.author_id)
    if author is not None and config.author == "approves":
        events.append(Event(snapshot.ready_at, "author", 0, 0, snapshot.author_login,
                            snapshot.author_id, "User", "approve"))
    recorded: dict[str, list[Any]] = {
        **{f"c{i}": [r.verb, r.line, r.login, r.user_id, utc_stamp(r.at)]
           for i, r in snapshot.recorded_comments.items()},
        **{f"r{i}": [verb] for i, verb in snapshot.recorded_reviews.items()},
        **_review_records(snapshot, config), **records}
    return Events(tuple(sorted(events, key=lambda e: e.order)),
                  tuple(sorted(ignored, key=lambda i: i.event.order)),
                  dict(sorted(recorded.items())))
