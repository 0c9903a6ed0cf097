"""Tests for govbot.vote.standing: typed standing, reason codes and the messages from them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from govbot.model.config import load_config
from govbot.vote import standing
from govbot.vote.snapshot import load_snapshot
from govbot.vote.standing import MESSAGES, STANDING, Standing, Why, render_note
from govbot.vote.tally import tally, tally_to_dict

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"


def test_every_reason_has_one_standing_and_a_message() -> None:
    """No reason code is left without a standing or words, so no row can go unexplained."""
    assert set(STANDING) == set(Why) == set(MESSAGES)


@pytest.mark.parametrize(("kind", "counts"), [
    (Standing.COUNTED, True), (Standing.DISMISSED, True), (Standing.UNCONFIRMED, True),
    (Standing.STALE, False),
    (Standing.RECUSED, False), (Standing.IGNORED, False), (Standing.NON_BINDING, False),
    (Standing.NOT_SEATED, False), (Standing.WITHDRAWN, False), (Standing.EXCLUDED, False),
    (Standing.NOT_VOTED, False)])
def test_which_standings_count(kind: Standing, counts: bool) -> None:
    """Only a counted vote and a dismissed objection (which stands) are in the counts; an
    unconfirmed one (a dismissal govbot has no record of) never counts toward quorum."""
    assert kind.counts is counts
    assert kind.turnout is (counts and kind is not Standing.UNCONFIRMED)


def test_a_note_names_the_new_login_of_a_renamed_member() -> None:
    """The renamed suffix follows the reason's own message."""
    assert render_note(Why.RECUSED_WITH_REASON, {"reason": "vendor"}, "new") == (
        "recused: vendor (matched by id: now signs in as new)")
    assert render_note(Why.VOTED, {}, "new") == "(matched by id: now signs in as new)"


def _without_notes(doc: dict[str, Any]) -> dict[str, Any]:
    out = dict(doc)
    for key in ("votes", "non_binding"):
        out[key] = [{k: v for k, v in row.items() if k != "note"} for row in doc[key]]
    return out


def test_rewording_every_message_changes_no_count(repo_root: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 10: the counts come from the typed standing alone. Every example snapshot
    tallies the same when every user-facing message is replaced by other words (the old
    electorate test `note.startswith("recused")` failed this on the recusal example)."""
    cfg = load_config("governance.yml", (repo_root / "governance.yml").read_text())
    snapshots = [load_snapshot(json.loads(p.read_text(encoding="utf-8")), p.name)
                 for p in sorted(SNAPSHOTS.glob("*.json"))]
    assert len(snapshots) >= 10
    before = [tally_to_dict(tally(s, cfg, s.taken_at)) for s in snapshots]
    monkeypatch.setattr(standing, "MESSAGES",
                        {why: f"zz {why.name.lower()} qq" for why in Why})
    monkeypatch.setattr(standing, "RENAMED", "zz {login}")
    after = [tally_to_dict(tally(s, cfg, s.taken_at)) for s in snapshots]
    assert [_without_notes(d) for d in after] == [_without_notes(d) for d in before]
    notes = [row["note"] for d in after for row in d["votes"]]
    assert notes
    assert all(note.startswith("zz ") for note in notes)
    assert any(d["recused"] for d in after)
