"""Scheduled duties: when the annual review and term-end reminders are due."""

from __future__ import annotations

import datetime as dt

import pytest

from govbot.github.duties import add_months, duties, review_due
from govbot.model.config import load_config
from govbot.model.records import read_records

CONFIG = """\
committee:
  - {login: alice, name: Alice, role: chair, from: 2021-01-01}
  - {login: bob, name: Bob, role: member, from: 2021-01-01, until: 2027-01-31}
rules:
  plan: {quorum: 0.5, threshold: majority, min_approvals: 1, review_period: 0d}
  policy: {quorum: 0.5, threshold: majority, min_approvals: 1, review_period: 0d}
  governance: {quorum: 0.5, threshold: majority, min_approvals: 1, review_period: 0d}
  review: {quorum: 0.5, threshold: majority, min_approvals: 1, review_period: 0d}
review_cycle: 12 months
"""
BODY = "## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n"


def record(number: int, kind: str, decided: str) -> tuple[str, bytes]:
    """An accepted record of a kind, decided on a date."""
    changes = ("changes:\n  - {op: add-goal, goal: G1, title: T, rationale: R}\n"
               if kind == "plan" else "")
    text = (f"---\nid: {number}\ntitle: Record {number}\nkind: {kind}\nstatus: accepted\n"
            f"created: 2021-01-01\nauthors: [alice]\ndecided: {decided}\npr: {number}\n"
            f"votes: []\n{changes}---\n{BODY}")
    return f"decisions/{number:04d}-record-{number}.md", text.encode()


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2026, 11, 20), 12, dt.date(2027, 11, 20)),
    (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
])
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    """Whole months, clamped to the end of a shorter month."""
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("files", "due"), [
    ([record(1, "plan", "2025-03-01")], dt.date(2026, 3, 1)),
    ([record(1, "plan", "2021-03-01"), record(2, "review", "2026-02-10")],
     dt.date(2027, 2, 10)),
    ([], None),
])
def test_review_due(files: list[tuple[str, bytes]], due: dt.date | None) -> None:
    """The review falls due a cycle after the last accepted review, else after adoption."""
    records, findings = read_records(dict(files))
    assert findings == []
    assert review_due(load_config("governance.yml", CONFIG), records) == due


@pytest.mark.parametrize(("today", "titles"), [
    (dt.date(2026, 12, 1), []),
    (dt.date(2027, 1, 10), ["Committee term of Bob ends 2027-01-31"]),
    (dt.date(2027, 1, 31), ["Annual review of the plan due 2027-02-10",
                            "Committee term of Bob ends 2027-01-31"]),
    (dt.date(2027, 2, 1), ["Annual review of the plan due 2027-02-10"]),
])
def test_duties(today: dt.date, titles: list[str]) -> None:
    """Reminders start 30 days ahead and carry a marker naming their subject."""
    records, _ = read_records(dict([record(2, "review", "2026-02-10")]))
    found = duties(load_config("governance.yml", CONFIG), records, today)
    assert [d.title for d in found] == titles
    assert all(d.marker.startswith("<!-- govbot:") for d in found)


def test_a_term_ending_on_another_body_is_a_duty_too() -> None:
    """Every body's terms are watched; a seat on another body than the default one names
    its body (and has a marker of its own, so a person on both bodies gets both)."""
    text = CONFIG + ("bodies:\n  steering: {name: Steering}\n  council:\n    name: Council\n"
                     "    committee: [{login: bob, name: Bob, from: 2021-01-01, "
                     "until: 2027-01-20}]\ndefault_body: steering\n")
    found = duties(load_config("governance.yml", text), [], dt.date(2027, 1, 5))
    assert sorted((d.marker, d.title) for d in found if "term" in d.marker) == [
        ("<!-- govbot:term-end:bob:2027-01-31 -->", "Committee term of Bob ends 2027-01-31"),
        ("<!-- govbot:term-end:council:bob:2027-01-20 -->",
         "Council term of Bob ends 2027-01-20")]


def test_names_come_from_every_body() -> None:
    """The changelog names a council member by their full name too."""
    from govbot.record.history import member_name

    text = CONFIG + ("bodies:\n  steering: {name: Steering}\n  council:\n    name: Council\n"
                     "    committee: [{login: carol, id: 7, name: Carol Cooper, "
                     "from: 2021-01-01}]\ndefault_body: steering\n")
    config = load_config("governance.yml", text)
    assert member_name(config, "carol") == "Carol Cooper"
    assert member_name(config, "renamed", 7) == "Carol Cooper"
