"""govbot's own state on a PR, in one place (pure): the hidden marker that finds its status
comment, the state line in that comment, when the state may be trusted, what it says was
posted, when the review period started, and the comment body that records a run's writes.

govbot keeps the state it last wrote (head SHA, statuses, ready_at, time; `BotState`) in a
hidden line of its own comment, so a run can skip unchanged writes and skip reading the
timeline. A state line counts only if govbot's comment was not edited after govbot wrote it
(by its `updated_at`, and, when the query read it, by GitHub's edit history: `edited_by`
naming anyone but govbot), and a comment counts as govbot's only if it carries the marker
AND govbot wrote it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from govbot.model.vocab import RECORD_STATE, parse_utc, shorten

MARKER = "<!-- govbot:status -->"

STATE_SKEW = dt.timedelta(seconds=15)  # a state line is trusted only if unedited since


def trusted_state(comment: Mapping[str, Any] | None) -> BotState | None:
    """The state line of govbot's own comment (found by marker and bot author), or None
    when there is none, it does not parse, GitHub's edit history of the comment
    (`edited_by`, when read) names anyone but govbot, or the comment was edited after
    govbot wrote it (its `updated_at` is more than STATE_SKEW away from the state's `at`)."""
    if comment is None:
        return None
    author = str((comment.get("user") or {}).get("login") or "").lower()
    if any(str(login).lower() != author for login in comment.get("edited_by") or ()):
        return None  # someone else edited govbot's comment: nothing in it is trusted
    state = split_state(str(comment.get("body") or ""))[1]
    if state is None:
        return None
    written, updated = parse_utc(state.at), parse_utc(comment.get("updated_at"))
    if written is None or updated is None or abs(updated - written) > STATE_SKEW:
        return None
    return state


def settled(pull: Mapping[str, Any], comment: Mapping[str, Any] | None,
            statuses: Mapping[str, tuple[str, str]], base: str, now: dt.datetime) -> bool:
    """Whether judging the PR again now cannot give another answer than govbot's last
    judgement (the sweep then leaves it alone, DESIGN §10): govbot's comment carries a
    trusted state for the current head, judged against this `base` (the default branch's
    governance.yml, records and govbot's version), whose next time-based change (`next_at`)
    has not come; nothing happened on the PR after govbot wrote that comment (its
    `updated_at` is not later than the comment's, give or take STATE_SKEW); and the
    statuses on the head, `{context: (state, description)}`, are what govbot posted (a
    status someone else posted is put right). Anything unknown: not settled."""
    state = trusted_state(comment)
    if comment is None or state is None or state.base != base:
        return False
    if state.sha != (pull.get("head") or {}).get("sha"):
        return False
    due = parse_utc(state.next_at) if state.next_at is not None else None
    if state.next_at is not None and (due is None or due <= now):
        return False
    changed, written = parse_utc(pull.get("updated_at")), parse_utc(comment.get("updated_at"))
    if changed is None or written is None or changed > written + STATE_SKEW:
        return False
    shown = {k: (s, fingerprint(d)) for k, (s, d) in statuses.items() if k in STATE_CONTEXTS}
    return shown == dict(state.statuses)


def stamped_comment(comment: str, head: str, statuses: Mapping[str, tuple[str, str]],
                    ready_at: str | None, at: str, previous: BotState | None,
                    comments: Iterable[Mapping[str, Any]],
                    votes: Mapping[str, list[Any]] | None = None, *,
                    next_at: str | None = None, base: str | None = None) -> str:
    """The comment body with a state line recording what this run posted at `at` (the
    votes the tally recorded and, for the sweep, `next_at` and `base`: see BotState); when
    an existing comment already says exactly that under the previous state's time, that
    body (so an unchanged comment is not rewritten just for a new time)."""
    state = BotState(head, {k: (s, fingerprint(d)) for k, (s, d) in statuses.items()},
                     ready_at, at, dict(votes or {}), next_at, base)
    body = with_state(comment, state)
    if previous is not None:
        same = with_state(comment, replace(state, at=previous.at))
        body = same if any(c.get("body") == same for c in comments) else body
    return body


# --- govbot's last-written state, kept in the status comment ------------------------------
#
# The last line of the status comment records what govbot last wrote, so a re-run can skip
# writes without reading them back: `<!-- govbot:state {"at": ..., "ready_at": ..., "sha":
# ..., "statuses": {"govbot/check": ["success", "<fingerprint>"], ...}} -->`. It holds no
# user text (descriptions are fingerprinted), and `<`, `>`, `&` are \u-escaped besides.
# Anything that does not match the exact shape below parses as None ("unknown").

STATE_TAG = "<!-- govbot:state "
STATE_CONTEXTS = ("govbot/check", "govbot/vote")
STATE_STATES = ("error", "failure", "pending", "success")
_STATE_LINE = re.compile(r"^<!-- govbot:state (\{[^\n]*\}) -->$")
_HEX40 = re.compile(r"^[0-9a-f]{40}$")
_HEX16 = re.compile(r"^[0-9a-f]{16}$")
_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@dataclass(frozen=True, slots=True)
class BotState:
    """What govbot last wrote on a PR: the head `sha` its `statuses` went to ({context:
    (state, fingerprint of the description)}), the `ready_at` it judged by (None: unknown,
    e.g. while a draft), and `at`, when it wrote the comment (by its own clock). For the
    sweep: `next_at`, the next time the judgement can change with no event (a review period
    or deadline ending, a reminder, a term starting or ending; None: none), and `base`, a
    digest of the default branch's governance.yml and records (and govbot's version) it
    judged by. Both None in a line written before they were kept: the sweep judges again."""

    sha: str
    statuses: Mapping[str, tuple[str, str]]
    ready_at: str | None
    at: str
    # the votes govbot counted, as it first counted them (vote.events keeps the meaning):
    # {"c<comment id>": [verb, line digest, login, user id, time], "r<review id>": [verb]}
    votes: Mapping[str, list[Any]] = field(default_factory=dict)
    next_at: str | None = None
    base: str | None = None


def fingerprint(description: str) -> str:
    """A short, stable digest of a status description as posted (clipped to 140)."""
    return hashlib.sha256(shorten(description).encode()).hexdigest()[:16]


def state_line(state: BotState) -> str:
    """The hidden, machine-readable line recording `state` (deterministic bytes)."""
    data: dict[str, Any] = {
        "at": state.at, "ready_at": state.ready_at, "sha": state.sha,
        "statuses": {k: list(v) for k, v in sorted(state.statuses.items())}}
    if state.votes:
        data["votes"] = dict(state.votes)
    if state.next_at is not None or state.base is not None:
        data.update({"next_at": state.next_at, "base": state.base})
    text = json.dumps(data, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return f"{STATE_TAG}{text} -->"


def with_state(body: str, state: BotState) -> str:
    """The comment body followed by its state line."""
    return body.rstrip("\n") + "\n\n" + state_line(state) + "\n"


def split_state(body: str) -> tuple[str, BotState | None]:
    """(the body without its state line, the state or None when absent or malformed)."""
    head, _, last = body.rstrip("\n").rpartition("\n")
    match = _STATE_LINE.match(last)
    if match is None:
        return body, None
    return head.rstrip("\n") + "\n", _parse_state(match[1])


def _parse_state(text: str) -> BotState | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    keys = {"at", "ready_at", "sha", "statuses"}
    if not isinstance(data, dict) or set(data) - {"votes"} not in (keys,
                                                                   keys | {"next_at", "base"}):
        return None
    votes = data.get("votes", {})
    if not _valid_votes(votes):
        return None
    sha, at, ready, statuses = data["sha"], data["at"], data["ready_at"], data["statuses"]
    next_at, base = data.get("next_at"), data.get("base")
    if not ((next_at is None or (isinstance(next_at, str) and _ISO.match(next_at)
                                 and parse_utc(next_at) is not None))
            and (base is None or (isinstance(base, str) and _HEX16.match(base)))):
        return None
    if not (isinstance(sha, str) and _HEX40.match(sha) and isinstance(at, str)
            and _ISO.match(at) and (ready is None or (isinstance(ready, str) and _ISO.match(ready)))
            and isinstance(statuses, dict) and set(statuses) <= set(STATE_CONTEXTS)):
        return None
    out: dict[str, tuple[str, str]] = {}
    for context, value in statuses.items():
        if not (isinstance(value, list) and len(value) == 2 and value[0] in STATE_STATES
                and isinstance(value[1], str) and _HEX16.match(value[1])):
            return None
        out[context] = (value[0], value[1])
    if any(stamp is not None and parse_utc(stamp) is None for stamp in (at, ready)):
        return None
    return BotState(sha, out, ready, at, votes, next_at, base)


_VOTE_KEY = re.compile(r"^[cr][0-9]{1,20}$")
_VOTE_LOGIN = re.compile(r"^[A-Za-z0-9_-]{1,60}(\[bot\])?$")
COMMENT_VOTES = ("object", "abstain", "recuse", "retract")
REVIEW_VOTES = ("approve", "object")


def _valid_votes(votes: Any) -> bool:
    """Whether the recorded votes have exactly the shape govbot writes (see BotState)."""
    if not isinstance(votes, dict):
        return False
    for key, value in votes.items():
        if not (_VOTE_KEY.match(key) and isinstance(value, list)):
            return False
        if key[0] == "r":
            ok = len(value) == 1 and value[0] in REVIEW_VOTES
        else:
            ok = (len(value) == 5 and isinstance(value[0], str)
                  and (value[0] in COMMENT_VOTES or bool(RECORD_STATE.match(value[0])))
                  and isinstance(value[1], str)
                  and bool(_HEX16.match(value[1])) and isinstance(value[2], str)
                  and bool(_VOTE_LOGIN.match(value[2]))
                  and (value[3] is None or type(value[3]) is int)
                  and isinstance(value[4], str) and bool(_ISO.match(value[4]))
                  and parse_utc(value[4]) is not None)
        if not ok:
            return False
    return True


def recorded_votes(comments: Iterable[Mapping[str, Any]], bot: str) -> dict[str, list[Any]]:
    """The votes recorded in the trusted state of govbot's comment ({} when there is none):
    what a snapshot carries as `recorded_votes`."""
    mine = bot_comments(comments, MARKER, bot)
    state = trusted_state(mine[0] if mine else None)
    return dict(state.votes) if state is not None else {}


def comment_body(rendered: str) -> str:
    """The status comment as posted: govbot's marker first, then the rendered report."""
    return f"{MARKER}\n{rendered}"


def bot_comments(comments: Iterable[Mapping[str, Any]], marker: str, bot: str
                 ) -> list[dict[str, Any]]:
    """The comments carrying `marker` AND written by `bot`, oldest first (a marker in
    anyone else's comment does not count)."""
    found = [dict(c) for c in comments if marker in (c.get("body") or "")
             and (c.get("user") or {}).get("login", "").lower() == bot.lower()]
    return sorted(found, key=lambda c: (c.get("created_at") or "", c["id"]))


def without_state(mine: list[dict[str, Any]]) -> tuple[int, str] | None:
    """The id and the body without its state line of govbot's comment (the first of
    `mine`), or None when there is no comment or no state line to remove."""
    if not mine:
        return None
    body, state = split_state(mine[0].get("body") or "")
    return None if state is None else (int(mine[0]["id"]), body)
