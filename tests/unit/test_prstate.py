"""govbot's state line: its round trip, when it is trusted, and the review period's start."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from govbot.github.botstate import (
    MARKER,
    BotState,
    bot_comments,
    fingerprint,
    recorded_votes,
    split_state,
    stamped_comment,
    state_line,
    trusted_state,
    with_state,
)

BOT = "github-actions[bot]"
SHA, OTHER = "a" * 40, "b" * 40
AT = "2026-11-29T10:00:00Z"
CREATED = "2026-11-20T08:00:00Z"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
FULL = BotState(SHA, {"govbot/check": ("success", fingerprint("ok")),
                      "govbot/vote": ("pending", fingerprint("1 of 2 approvals"))},
                "2026-11-21T00:00:00Z", AT)


def _state(ready: str | None = None, at: str = AT, sha: str = SHA) -> BotState:
    return BotState(sha, {}, ready, at)


def _comment(body: str, updated: str = AT, login: str = BOT) -> dict[str, Any]:
    return {"id": 1, "body": body, "updated_at": updated, "created_at": CREATED,
            "user": {"login": login}}


BODY = f"{MARKER}\nThe vote is open.\n"


VOTES = {"c5001": ["object", "0123456789abcdef", "sofia-mendes", 41177026, AT],
         "c5002": ["abstain", "fedcba9876543210", "old_emu-login", None, AT],
         "r1002": ["approve"], "r1003": ["object"]}
WITH_VOTES = BotState(SHA, {}, None, AT, VOTES)


@pytest.mark.parametrize("state", [FULL, _state(), _state("2026-11-22T00:00:00Z"),
                                   WITH_VOTES],
                         ids=["statuses", "no ready_at", "ready_at only", "recorded votes"])
def test_state_line_round_trip(state: BotState) -> None:
    """A body with its state line splits back into the same body and the same state."""
    assert split_state(with_state(BODY, state)) == (BODY, state)


def test_recorded_votes_come_only_from_a_trusted_state() -> None:
    """The votes govbot recorded are read from its own, unedited comment, else none."""
    body = with_state(BODY, WITH_VOTES)
    assert recorded_votes([_comment(body)], BOT) == VOTES
    assert recorded_votes([_comment(body, "2026-11-29T11:00:00Z")], BOT) == {}
    assert recorded_votes([_comment(body, login="mallory")], BOT) == {}
    assert recorded_votes([], BOT) == {}


def test_stamped_comment_records_the_votes() -> None:
    """The state line a run writes carries the votes the tally recorded."""
    body = stamped_comment(BODY, SHA, {}, None, AT, None, [], VOTES)
    assert split_state(body)[1] == WITH_VOTES


def test_state_line_is_one_hidden_line_of_fixed_bytes() -> None:
    """The line is an HTML comment with sorted keys and no spaces: same state, same bytes."""
    assert state_line(_state()) == (
        '<!-- govbot:state {"at":"2026-11-29T10:00:00Z","ready_at":null,'
        f'"sha":"{SHA}","statuses":{{}}}} -->')


GARBLED = {
    "not JSON": "<!-- govbot:state {at: 1} -->",
    "extra key": f'<!-- govbot:state {{"at":"{AT}","ready_at":null,"sha":"{SHA}",'
                 '"statuses":{},"x":1} -->',
    "short sha": f'<!-- govbot:state {{"at":"{AT}","ready_at":null,"sha":"abc",'
                 '"statuses":{}} -->',
    "impossible date": '<!-- govbot:state {"at":"2026-02-30T00:00:00Z","ready_at":null,'
                       f'"sha":"{SHA}","statuses":{{}}}} -->',
    "unknown context": f'<!-- govbot:state {{"at":"{AT}","ready_at":null,"sha":"{SHA}",'
                       '"statuses":{"ci/x":["success","0123456789abcdef"]}} -->',
    "unknown state": f'<!-- govbot:state {{"at":"{AT}","ready_at":null,"sha":"{SHA}",'
                     '"statuses":{"govbot/vote":["done","0123456789abcdef"]}} -->',
    "not the last line": state_line(_state()) + "\nP.S.",
    **{f"votes: {name}": state_line(WITH_VOTES).replace(old, new) for name, old, new in [
        ("unknown verb", '"abstain"', '"approve"'),
        ("review verb", '["approve"]', '["abstain"]'),
        ("bad key", '"c5001"', '"x5001"'),
        ("short digest", '"0123456789abcdef"', '"0123"'),
        ("login with markup", '"sofia-mendes"', '"sofia\\u003c"'),
        ("id not a number", "41177026", '"41177026"'),
        ("bad time", f'"sofia-mendes",41177026,"{AT}"', '"sofia-mendes",41177026,"soon"'),
        ("too short", '"r1002":["approve"]', '"r1002":[]'),
        ("not a list", '"r1002":["approve"]', '"r1002":"approve"'),
    ]},
    "votes not a map": state_line(_state()).replace('"statuses"', '"votes":[],"statuses"'),
}


@pytest.mark.parametrize("line", GARBLED.values(), ids=GARBLED.keys())
def test_a_garbled_state_line_is_untrusted(line: str) -> None:
    """A state line that does not match the exact shape is no state at all."""
    assert split_state(f"{BODY}\n{line}\n")[1] is None
    assert trusted_state(_comment(f"{BODY}\n{line}\n")) is None


@pytest.mark.parametrize(("updated", "trusted"), [
    (AT, True),
    ("2026-11-29T10:00:15Z", True),
    ("2026-11-29T09:59:45Z", True),
    ("2026-11-29T10:00:16Z", False),
    ("2026-11-29T10:05:00Z", False),
    ("yesterday", False),
], ids=["as written", "15 s later", "15 s earlier", "16 s later", "edited later", "no time"])
def test_state_is_trusted_only_while_the_comment_is_unedited(updated: str,
                                                             trusted: bool) -> None:
    """An edit after govbot wrote the comment (more than 15 s from the state's time) makes
    the state untrusted, since anyone who can edit it could have changed the line."""
    comment = _comment(with_state(BODY, FULL), updated)
    assert trusted_state(comment) == (FULL if trusted else None)


@pytest.mark.parametrize(("edited_by", "trusted"), [
    (None, True), ([], True), ([BOT], True), ([BOT.upper(), BOT], True),
    ([BOT, "mallory"], False), (["ghost"], False),
], ids=["history unknown", "never edited", "by govbot", "by govbot (any case)",
        "by a writer", "by a deleted account"])
def test_state_is_untrusted_once_github_names_another_editor(edited_by: list[str] | None,
                                                             trusted: bool) -> None:
    """GitHub's edit history of govbot's comment (which no writer can forge) naming anyone
    but govbot makes its state untrusted, even when the line's time agrees with the
    comment's `updated_at` (a writer can forge that)."""
    comment = {**_comment(with_state(BODY, FULL)), "edited_by": edited_by}
    assert trusted_state(comment) == (FULL if trusted else None)


def test_no_comment_or_no_state_line_is_untrusted() -> None:
    """Without govbot's comment, or without a state line in it, there is no state."""
    assert trusted_state(None) is None
    assert trusted_state(_comment(BODY)) is None


def test_only_the_bots_own_comment_counts() -> None:
    """A state line in someone else's comment (marker and all) is never found, so never
    trusted; govbot's own comment is."""
    forged = _comment(with_state(BODY, _state("2020-01-01T00:00:00Z")), login="mallory")
    own = _comment(with_state(BODY, FULL))
    assert trusted_state(next(iter(bot_comments([forged], MARKER, BOT)), None)) is None
    assert trusted_state(bot_comments([forged, own], MARKER, BOT)[0]) == FULL


STATUSES = {"govbot/check": ("success", "ok"), "govbot/vote": ("pending", "1 of 2 approvals")}


def test_stamped_comment_records_what_was_posted() -> None:
    """The new body carries the statuses as fingerprints, ready_at and this run's time."""
    body = stamped_comment(BODY, SHA, STATUSES, "2026-11-21T00:00:00Z", AT, None, [])
    assert body == with_state(BODY, FULL)


@pytest.mark.parametrize(("existing", "keeps_time"), [(True, True), (False, False)],
                         ids=["unchanged", "changed"])
def test_stamped_comment_keeps_an_unchanged_comment(existing: bool, keeps_time: bool) -> None:
    """When the comment already says the same under the previous time, that body is reused,
    so nothing is rewritten just for a newer time."""
    previous = BotState(SHA, FULL.statuses, FULL.ready_at, "2026-11-28T10:00:00Z")
    comments = [_comment(with_state(BODY, previous))] if existing else []
    body = stamped_comment(BODY, SHA, STATUSES, FULL.ready_at, AT, previous, comments)
    assert split_state(body)[1] == (previous if keeps_time else FULL)


@pytest.mark.parametrize(("verb", "trusted"), [
    (f"record:sofia-mendes:approve:{'a' * 40}", True),
    ("record:m2:object", True),
    ("record:m2:veto", False),
    ("record:m 2:object", False),
    (f"record:m2:approve:{'a' * 39}", False),
])
def test_a_recorded_vote_cast_outside_github_is_a_state_govbot_writes(verb: str,
                                                                      trusted: bool) -> None:
    """`/govbot record` is kept as `record:LOGIN:VOTE[:HEAD]`; anything else in its place
    makes the whole state untrusted."""
    votes = {"c7": [verb, "c754eb64357c0e59", "mbrandt", 8801234, "2026-11-20T09:00:00Z"]}
    body = stamped_comment(BODY, SHA, {}, None, AT, None, [], votes)
    assert recorded_votes([_comment(body)], BOT) == (votes if trusted else {})
