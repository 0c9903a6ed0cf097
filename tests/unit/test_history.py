"""history: the names the changelog gives voters, and votes in the decisions.json export."""

from __future__ import annotations

import pytest

from govbot.model.config import load_config
from govbot.record.history import member_name, record_to_dict
from recordkit import SHA, make_from

ROSTER = """committee:
  - {login: alice-renamed, id: 101, name: Alice Adams, role: chair, from: 2021-01-01}
  - {login: bob, name: Bob Brown, from: 2021-01-01}
rules:
""" + "".join(f"  {kind}: {{quorum: 0.5, threshold: majority, min_approvals: 1, "
              "review_period: 0d, veto: false}\n" for kind in ("plan", "policy", "governance",
                                                              "review"))


@pytest.mark.parametrize(("login", "user_id", "expected"), [
    ("alice", 101, "Alice Adams"),  # renamed since the vote: found by id
    ("Alice-Renamed", None, "Alice Adams"),  # a vote stamped before ids: by login
    ("alice", None, "alice"),
    ("bob", 202, "Bob Brown"),  # the roster has no id for bob: by login
    ("mallory", 999, "mallory"),
])
def test_member_name(login: str, user_id: int | None, expected: str) -> None:
    """A voter's full name comes from the roster, by id when the vote has one, else by login."""
    assert member_name(load_config("governance.yml", ROSTER), login, user_id) == expected


def test_member_name_without_a_roster() -> None:
    """Without governance.yml the login is the name."""
    assert member_name(None, "alice", 101) == "alice"


def test_the_export_carries_vote_ids() -> None:
    """Each exported vote has its id, null on votes stamped before govbot wrote ids."""
    record = make_from({"status": "accepted", "decided": "2026-11-22", "pr": "7", "votes":
                        f"\n  - {{member: alice, id: 101, vote: approve, at: "
                        f"'2026-11-21T10:00:00Z', commit: {SHA}}}"
                        f"\n  - {{member: bob, vote: object, at: '2026-11-21T11:00:00Z', "
                        f"commit: {SHA}}}"})
    assert [(v["member"], v["id"]) for v in record_to_dict(record)["votes"]] == [
        ("alice", 101), ("bob", None)]
