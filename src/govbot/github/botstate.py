"""govbot's state line for one PR (pure): when it may be trusted, what it says was posted,
when the review period started, and the comment body that records a run's writes.

govbot keeps the state it last wrote (head SHA, statuses, ready_at, time; `comment.BotState`)
in a hidden line of its own comment, so a run can skip unchanged writes and skip reading the
timeline. A state line counts only if govbot's comment was not edited after govbot wrote it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from govbot.render.comment import BotState, fingerprint, split_state, with_state

STATE_SKEW = dt.timedelta(seconds=15)  # a state line is trusted only if unedited since
READ = "read the timeline"  # ready_at unknown: ask GitHub


def _time(text: Any) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(str(text), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def trusted_state(comment: Mapping[str, Any] | None) -> BotState | None:
    """The state line of govbot's own comment (found by marker and bot author), or None
    when there is none, it does not parse, or the comment was edited after govbot wrote
    it (its `updated_at` is more than STATE_SKEW away from the state's `at`)."""
    if comment is None:
        return None
    state = split_state(str(comment.get("body") or ""))[1]
    if state is None:
        return None
    written, updated = _time(state.at), _time(comment.get("updated_at"))
    if written is None or updated is None or abs(updated - written) > STATE_SKEW:
        return None
    return state


def ready_from(pull: Mapping[str, Any], event_pull: Mapping[str, Any] | None,
               action: str | None, state: BotState | None, now: dt.datetime) -> str | None:
    """When the review period started (DESIGN §5), without a request when possible: None
    while the PR is a draft (no period runs); the event's time on `ready_for_review`; the
    opening on `opened` (not as a draft); else the recorded state's value, clamped to
    [created_at, now]; else READ (ask the timeline)."""
    created = _time(pull.get("created_at")) or now
    if pull.get("draft"):
        return None
    if event_pull is not None and action == "ready_for_review":
        return _stamp(min(max(_time(event_pull.get("updated_at")) or now, created), now))
    if event_pull is not None and action == "opened" and not event_pull.get("draft"):
        return _stamp(created)
    if state is not None and state.ready_at is not None:
        return _stamp(min(max(_time(state.ready_at) or created, created), now))
    return READ


def known_statuses(state: BotState | None, head: str, *, has_comment: bool, trust: bool
                   ) -> dict[str, tuple[str, str]] | None:
    """What govbot last posted on `head`, as far as it knows without a request: from the
    trusted state ({} when it was for another SHA: nothing of ours is there yet); {} when
    govbot has no comment yet (a first run); None (unknown: read them) otherwise, and
    always when the state is not to be trusted (a run by hand)."""
    if not trust:
        return None
    if state is not None:
        return dict(state.statuses) if state.sha == head else {}
    return None if has_comment else {}


def stamped_comment(comment: str, head: str, statuses: Mapping[str, tuple[str, str]],
                    ready_at: str | None, at: str, previous: BotState | None,
                    comments: Iterable[Mapping[str, Any]]) -> str:
    """The comment body with a state line recording what this run posted at `at`; when an
    existing comment already says exactly that under the previous state's time, that body
    (so an unchanged comment is not rewritten just for a new time)."""
    state = BotState(head, {k: (s, fingerprint(d)) for k, (s, d) in statuses.items()},
                     ready_at, at)
    body = with_state(comment, state)
    if previous is not None:
        same = with_state(comment, replace(state, at=previous.at))
        body = same if any(c.get("body") == same for c in comments) else body
    return body
