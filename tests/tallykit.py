"""Shared vote-tally fixtures: a six-member roster, pull-request snapshots built from reviews and
comments, and a hypothesis strategy for votes (used by the tally, comment, security and Actions
tests in several test folders)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from hypothesis import strategies as st

from govbot.model.config import Config, load_config
from govbot.vote.snapshot import Comment, FileChange, PullSnapshot, RecordedVote, Review

HEAD = "a" * 40
OLD = "b" * 40
READY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
ROSTER = """\
committee:
  - {login: chair, id: 1, name: The Chair, role: chair, from: 2020-01-01}
  - {login: m2, id: 2, name: Member Two, role: member, from: 2020-01-01}
  - {login: m3, id: 3, name: Member Three, role: member, from: 2020-01-01}
  - {login: m4, id: 4, name: Member Four, role: member, from: 2020-01-01, until: 2026-11-25}
  - {login: m5, name: Member Five, role: member, from: 2020-01-01}
  - {login: m6, id: 6, name: Member Six, role: member, from: 2026-11-22}
rules:
  plan:       {quorum: 0.5,  threshold: majority, min_approvals: 2, review_period: 7d,  veto: false}
  policy:     {quorum: 0.5,  threshold: 0.6,      min_approvals: 1, review_period: 3d,  veto: false}
  governance: {quorum: 0.75, threshold: 2/3,      min_approvals: 3, review_period: 14d, veto: true}
  review:     {quorum: 1,    threshold: unanimous, min_approvals: 1, review_period: 0d, veto: false}
"""
IDS = {"chair": 1, "m2": 2, "m3": 3, "m4": 4, "m5": None, "m6": 6, "outsider": 900,
       "ghostbot[bot]": 901}


def config(**changes: object) -> Config:
    return dataclasses.replace(load_config("governance.yml", ROSTER), **changes)  # type: ignore[arg-type]


def record(kind: str, status: str = "proposed", number: int = 12) -> tuple[str, str]:
    changes = ("changes:\n  - {op: add-goal, goal: G9, title: T, rationale: R}\n"
               if kind == "plan" else "")
    return (f"decisions/{number:04d}-x.md",
            f"---\nid: {number}\ntitle: X\nkind: {kind}\nstatus: {status}\n"
            f"created: 2026-11-18\nauthors: [m2]\n{changes}---\n## Context\n## Decision\n"
            "## Consequences\n")


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=dt.UTC)


def review(login: str, state: str, when: dt.datetime, commit: str = HEAD, body: str = "",
           ident: int = 0) -> Review:
    return Review(ident or hash((login, state, when)) % 10**6, login, IDS.get(login, 999),
                  "Bot" if login.endswith("[bot]") else "User", state, body, commit, when)


def comment(login: str, body: str, when: dt.datetime, edited: bool = False,
            ident: int = 0, edited_by: tuple[str, ...] | None = None) -> Comment:
    """An issue comment; `edited_by`: who GitHub's edit history names (None: unknown)."""
    return Comment(ident or hash((login, body, when)) % 10**6, login, IDS.get(login, 999),
                   "User", body, when, when + dt.timedelta(minutes=5) if edited else when,
                   edited_by=edited_by)


def snap(*items: Review | Comment, kinds: tuple[str, ...] = ("plan",),
         files: tuple[str, ...] = (), author: str = "staff", stale: tuple[str, ...] = (),
         ready: dt.datetime = READY, reviews_seen: Mapping[int, str] | None = None,
         comments_seen: Mapping[int, RecordedVote] | None = None) -> PullSnapshot:
    """A PR snapshot; `reviews_seen` and `comments_seen` are what govbot recorded."""
    records = dict(record(k, number=12 + i) for i, k in enumerate(kinds))
    return PullSnapshot(
        "org/gov", NOW, 7, "A proposal", author, IDS.get(author, 555), HEAD, "main", False,
        "open", False, ready, "", tuple(FileChange(f, "modified") for f in (*records, *files)),
        tuple(i for i in items if isinstance(i, Review)),
        tuple(i for i in items if isinstance(i, Comment)), records, frozenset(stale),
        recorded_comments=dict(comments_seen or {}), recorded_reviews=dict(reviews_seen or {}))


def approve(login: str, day: int = 21, commit: str = HEAD) -> Review:
    return review(login, "APPROVED", at(day), commit)


def obj(login: str, day: int = 21) -> Review:
    return review(login, "CHANGES_REQUESTED", at(day), body="no")


MEMBERS = ["chair", "m2", "m3", "m4", "m5", "m6"]
OUTSIDERS = ["outsider", "ghostbot[bot]"]


def _vote(login: str, kind: int, day: int, ident: int) -> Review | Comment:
    when = at(day, ident % 24)
    if kind == 0:
        return review(login, "APPROVED", when, HEAD if ident % 3 else OLD, ident=ident)
    if kind == 1:
        return review(login, "CHANGES_REQUESTED", when, ident=ident)
    if kind == 2:
        return review(login, "DISMISSED", when, ident=ident)
    verb = ["abstain", "recuse why", "retract", "object why"][kind - 3]
    return comment(login, f"/govbot {verb}", when, edited=ident % 7 == 0, ident=ident)


def votes(logins: list[str]) -> st.SearchStrategy[list[Review | Comment]]:
    one = st.builds(_vote, st.sampled_from(logins), st.integers(0, 6), st.integers(18, 30),
                    st.integers(1, 10**6))
    return st.lists(one, max_size=12, unique_by=lambda v: v.id)
