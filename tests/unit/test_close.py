"""publish.close: the status a closed motion ends in, and the changes that record it."""

from __future__ import annotations

import datetime as dt

import pytest

from govbot.model.records import StampedVote, parse_record
from govbot.publish.close import Closed, close_changes, closing_status, recorded
from govbot.record.stamp import FinalVote
from recordkit import BODY

WHEN = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def _text(number: int, slug: str = "x", status: str = "proposed", extra: str = "") -> str:
    return (f"---\nid: {number}\ntitle: Record {slug}\nkind: policy\nstatus: {status}\n"
            f"created: 2026-11-20\nauthors: [alice]\n{extra}---\n{BODY}")


def _closed(records: dict[str, str], skip: str = "", status: str = "rejected") -> Closed:
    vote = FinalVote("failing", (StampedVote("bob", "object", "2026-11-30T10:00:00Z", "a" * 40,
                                             2),))
    return Closed(7, WHEN, "failing", status, vote, records, skip)


@pytest.mark.parametrize(("outcome", "status"), [
    ("failing", "rejected"), ("blocked", "rejected"), ("expired", "expired"),
    ("pending", "withdrawn"), ("approved", "withdrawn"), ("no-decision", "withdrawn")])
def test_closing_status(outcome: str, status: str) -> None:
    """A failing or blocked vote rejects the motion, a passed deadline expires it, and
    anything else is a withdrawal (DESIGN §7)."""
    assert closing_status(outcome) == status


def test_close_changes_records_each_proposal_then_renders() -> None:
    """Each proposed record is closed with decided, pr and votes; the generated files are
    rendered from the tip plus the new record."""
    files = {"decisions/0001-a.md": _text(1, "a", "accepted", "decided: 2026-01-01\npr: 1\n"
                                          "votes: []\n").encode()}
    changes = close_changes(files, _closed({"decisions/0002-b.md": _text(2, "b")}), None, None)
    assert sorted(changes) == ["CHANGELOG.md", "PLAN.md", "decisions.json",
                               "decisions/0002-b.md"]
    data = changes["decisions/0002-b.md"]
    assert data is not None
    record = parse_record("decisions/0002-b.md", data.decode())
    assert (record.status, record.pr, record.decided) == ("rejected", 7, dt.date(2026, 12, 1))
    assert [(v.member, v.id, v.vote) for v in record.votes] == [("bob", 2, "object")]


def test_close_changes_never_overwrites_and_is_idempotent() -> None:
    """A path already on the tip is left alone; a tip that holds this PR's record (even
    renumbered) is recorded already; a skipped motion changes nothing."""
    proposal = {"decisions/0002-b.md": _text(2, "b")}
    on_tip = {"decisions/0002-b.md": _text(2, "b", "accepted", "decided: 2026-01-01\npr: 3\n"
                                           "votes: []\n").encode()}
    assert close_changes(on_tip, _closed(proposal), None, None) == {}
    renumbered = {"decisions/0005-b.md": _text(5, "b", "rejected", "decided: 2026-12-01\n"
                                               "pr: 7\nvotes: []\n").encode()}
    assert close_changes(renumbered, _closed(proposal), None, None) == {}
    assert recorded([parse_record(p, d.decode()) for p, d in renumbered.items()], 7)
    assert not recorded([parse_record(p, d.decode()) for p, d in renumbered.items()], 8)
    assert close_changes({}, _closed(proposal, skip="a draft"), None, None) == {}


def test_a_taken_id_moves_to_the_next_free_one() -> None:
    """A record on the tip holding the proposal's id: the motion is recorded under the next
    free id, in a file of that number."""
    files = {"decisions/0002-other.md": _text(2, "other", "accepted",
                                              "decided: 2026-01-01\npr: 1\nvotes: []\n"
                                              ).encode()}
    changes = close_changes(files, _closed({"decisions/0002-b.md": _text(2, "b")},
                                           status="withdrawn"), None, None)
    assert "decisions/0002-b.md" not in changes
    data = changes["decisions/0003-b.md"]
    assert data is not None
    assert parse_record("decisions/0003-b.md", data.decode()).id == 3


def test_closing_keeps_the_overrides_decisions_json_records() -> None:
    """The regenerated decisions.json keeps every change made without a vote that the
    published one lists (publish's record of them must never be lost)."""
    import json

    override = {"path": "decisions/0001-a.md", "id": 1, "title": "Record a",
                "change": "edited", "commit": "c" * 40, "by": "mallory", "date": "2026-11-01"}
    files = {"decisions/0001-a.md": _text(1, "a", "accepted", "decided: 2026-01-01\npr: 1\n"
                                          "votes: []\n").encode(),
             "decisions.json": json.dumps({"records": [], "overrides": [override]}).encode()}
    changes = close_changes(files, _closed({"decisions/0002-b.md": _text(2, "b")}), None, None)
    data = changes["decisions.json"]
    assert data is not None
    assert json.loads(data)["overrides"] == [override]
