"""The PR snapshot (DESIGN §5): everything the tally needs about one pull request, as data.

A snapshot is JSON with GitHub's own REST field names nested inside, so it can be taken from a
real pull request and replayed offline. `load_snapshot` checks its shape and turns it into
frozen dataclasses; anything wrong raises ConfigError naming the JSON key path. Fields GitHub
adds that govbot does not use are ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from govbot.model.errors import ConfigError
from govbot.model.vocab import RECORD_STATE
from govbot.model.yamlio import KeyPath, key_path

SCHEMA = "govbot.snapshot/1"
_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")
_SHA = re.compile(r"^[0-9a-f]{7,64}$")
_HEX16 = re.compile(r"^[0-9a-f]{16}$")
_RECORD_KEY = re.compile(r"^([cr])([0-9]{1,20})$")
COMMENT_VERBS = ("object", "abstain", "recuse", "retract")

REVIEW_VERBS = ("approve", "object")


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file the pull request changes (a GitHub REST diff entry)."""

    filename: str
    status: str
    previous_filename: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """A pull request review (GitHub REST). `submitted_at` is None for pending reviews."""

    id: int
    user_login: str
    user_id: int | None
    user_type: str
    state: str
    body: str
    commit_id: str | None
    submitted_at: dt.datetime | None
    html_url: str = ""


@dataclass(frozen=True, slots=True)
class Comment:
    """An issue comment on the pull request (GitHub REST)."""

    id: int
    user_login: str
    user_id: int | None
    user_type: str
    body: str
    created_at: dt.datetime
    updated_at: dt.datetime
    html_url: str = ""
    # the logins GitHub lists in the comment's edit history (who edited it, and who deleted
    # a revision from it); None when unknown (a REST read, or a history longer than read)
    edited_by: tuple[str, ...] | None = None

    @property
    def edited(self) -> bool:
        """Whether the comment changed after it was posted. GitHub stamps both times from
        one clock, to the second, when a comment is created; any difference is an edit."""
        return self.updated_at != self.created_at


@dataclass(frozen=True, slots=True)
class RecordedVote:
    """A comment command as govbot first counted it (kept in govbot's state): the verb,
    a digest of its line, who cast it and when. An edit or a deletion changes nothing."""

    verb: str
    line: str  # sha256 of the command line as read, first 16 hex digits
    login: str
    user_id: int | None
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class PullSnapshot:
    """One pull request at one moment: the input of the tally."""

    repository: str
    taken_at: dt.datetime
    number: int
    title: str
    author_login: str
    author_id: int | None
    head_sha: str
    base_ref: str
    draft: bool
    state: str
    merged: bool
    ready_at: dt.datetime
    html_url: str
    files: tuple[FileChange, ...]
    reviews: tuple[Review, ...]
    comments: tuple[Comment, ...]
    records: Mapping[str, str]
    stale_commits: frozenset[str]
    # what govbot recorded when it first counted a vote (optional; see `_recorded`):
    # comment commands by comment id, and the vote of each review by review id
    recorded_comments: Mapping[int, RecordedVote] = field(default_factory=dict)
    recorded_reviews: Mapping[int, str] = field(default_factory=dict)
    # the head text of each file govbot loads (governance.yml, templates/) the PR changes,
    # checked as proposed; None in a snapshot taken before govbot read them
    config_files: Mapping[str, str] | None = None


class _Reader:
    """Reads one snapshot document; every problem raises with the JSON key path."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, where: KeyPath, message: str) -> ConfigError:
        place = key_path(where) or "the snapshot"
        return ConfigError(f"{place}: {message}; take the snapshot again with "
                           "`govbot snapshot`, or fix the file", path=self.source)

    def get(self, obj: Mapping[str, Any], where: KeyPath, key: str, kind: type | tuple[type, ...],
            what: str, *, optional: bool = False, default: Any = None) -> Any:
        value = obj.get(key)
        if value is None:
            if optional:
                return default
            raise self.fail((*where, key), f"missing; expected {what}")
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise self.fail((*where, key), f"{_show(value)} is not {what}")
        return value

    def mapping(self, value: Any, where: KeyPath) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"{_show(value)} is not an object")
        return value

    def items(self, obj: Mapping[str, Any], key: str) -> list[Any]:
        value = obj.get(key, [])
        if not isinstance(value, list):
            raise self.fail((key,), f"{_show(value)} is not a list")
        return value

    def time(self, obj: Mapping[str, Any], where: KeyPath, key: str, *,
             optional: bool = False) -> dt.datetime | None:
        text = self.get(obj, where, key, str, "a date-time such as 2026-11-20T10:00:00Z",
                        optional=optional)
        if text is None:
            return None
        try:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise self.fail((*where, key), f"{_show(text)} is not a date-time such as "
                            "2026-11-20T10:00:00Z") from None
        if value.tzinfo is None:
            raise self.fail((*where, key), f"{_show(text)} has no time zone; end it with Z")
        return value.astimezone(dt.UTC)

    def user(self, obj: Mapping[str, Any], where: KeyPath) -> tuple[str, int | None, str]:
        """(login, id, type) of a nullable GitHub user; a deleted account is `ghost`."""
        raw = obj.get("user")
        if raw is None:
            return "ghost", None, "User"
        user = self.mapping(raw, (*where, "user"))
        login = self.get(user, (*where, "user"), "login", str, "a GitHub login")
        user_id = self.get(user, (*where, "user"), "id", int, "a numeric user id",
                           optional=True)
        kind = self.get(user, (*where, "user"), "type", str, "a user type", optional=True,
                        default="User")
        return login, user_id, kind


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _file(r: _Reader, index: int, item: Any) -> FileChange:
    where: KeyPath = ("files", index)
    entry = r.mapping(item, where)
    return FileChange(
        filename=r.get(entry, where, "filename", str, "a file path"),
        status=r.get(entry, where, "status", str, "a diff status such as modified",
                     optional=True, default="modified"),
        previous_filename=r.get(entry, where, "previous_filename", str, "a file path",
                                optional=True),
    )


_VOTING_REVIEWS = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")


def _review(r: _Reader, index: int, item: Any) -> Review:
    where: KeyPath = ("reviews", index)
    entry = r.mapping(item, where)
    login, user_id, kind = r.user(entry, where)
    state = r.get(entry, where, "state", str, "a review state such as APPROVED").upper()
    submitted = r.time(entry, where, "submitted_at", optional=True)
    if submitted is None and state in _VOTING_REVIEWS:
        # a null from GitHub must not make an objection (or a dismissal) vanish
        raise r.fail((*where, "submitted_at"), f"missing; a {state} review is a vote, which "
                     "needs the time GitHub says it was cast")
    return Review(
        id=r.get(entry, where, "id", int, "a numeric review id"),
        user_login=login, user_id=user_id, user_type=kind, state=state,
        body=r.get(entry, where, "body", str, "text", optional=True, default=""),
        commit_id=r.get(entry, where, "commit_id", str, "a commit SHA", optional=True),
        submitted_at=submitted,
        html_url=r.get(entry, where, "html_url", str, "a URL", optional=True, default=""),
    )


def _comment(r: _Reader, index: int, item: Any) -> Comment:
    where: KeyPath = ("comments", index)
    entry = r.mapping(item, where)
    login, user_id, kind = r.user(entry, where)
    created = r.time(entry, where, "created_at")
    updated = r.time(entry, where, "updated_at", optional=True) or created
    assert created is not None
    assert updated is not None
    return Comment(
        id=r.get(entry, where, "id", int, "a numeric comment id"),
        user_login=login, user_id=user_id, user_type=kind,
        body=r.get(entry, where, "body", str, "text", optional=True, default=""),
        created_at=created, updated_at=updated,
        html_url=r.get(entry, where, "html_url", str, "a URL", optional=True, default=""),
        edited_by=_logins(r, entry, where),
    )


def _logins(r: _Reader, entry: Mapping[str, Any], where: KeyPath) -> tuple[str, ...] | None:
    """`edited_by`: a list of logins, or absent/null (unknown)."""
    value = entry.get("edited_by")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise r.fail((*where, "edited_by"), f"{_show(value)} is not a list of logins")
    return tuple(value)


def _records(r: _Reader, value: Any, key: str = "records") -> dict[str, str]:
    if value is None:
        return {}
    mapping = r.mapping(value, (key,))
    for path, text in mapping.items():
        if not isinstance(text, str):
            raise r.fail((key, path), f"{_show(text)} is not the "
                         f"{'record' if key == 'records' else 'file'}'s text")
    return dict(sorted(mapping.items()))


def _recorded(r: _Reader, value: Any) -> tuple[dict[int, RecordedVote], dict[int, str]]:
    """`recorded_votes`: {"c<comment id>": [verb, line digest, login, user id or null,
    time], "r<review id>": [verb]}, as govbot keeps them in its state line."""
    comments: dict[int, RecordedVote] = {}
    reviews: dict[int, str] = {}
    for key, item in r.mapping({} if value is None else value, ("recorded_votes",)).items():
        where: KeyPath = ("recorded_votes", key)
        match = _RECORD_KEY.match(key)
        if match is None:
            raise r.fail(where, f"{_show(key)} is not c<comment id> or r<review id>")
        if not isinstance(item, list):
            raise r.fail(where, f"{_show(item)} is not a list")
        if match[1] == "r":
            if len(item) != 1 or item[0] not in REVIEW_VERBS:
                raise r.fail(where, f"{_show(item)} is not [approve] or [object]")
            reviews[int(match[2])] = item[0]
            continue
        if not (len(item) == 5 and isinstance(item[0], str)
                and (item[0] in COMMENT_VERBS or RECORD_STATE.match(item[0]))
                and isinstance(item[1], str)
                and _HEX16.match(item[1]) and isinstance(item[2], str) and item[2]
                and (item[3] is None or (isinstance(item[3], int)
                                         and not isinstance(item[3], bool)))):
            raise r.fail(where, "expected [verb (object, abstain, recuse or retract), line "
                         "digest (16 hex digits), login, user id or null, time]")
        at = r.time({"at": item[4]}, where, "at")
        assert at is not None
        comments[int(match[2])] = RecordedVote(item[0], item[1], item[2], item[3], at)
    return comments, reviews


def load_snapshot(data: Any, source: str) -> PullSnapshot:
    """Check a parsed snapshot document and return it as a PullSnapshot.

    Raises ConfigError (exit 2) naming the key path of the first problem, e.g.
    `snapshot.json: pull_request.head.sha: missing; expected a commit SHA`.
    """
    r = _Reader(source)
    top = r.mapping(data, ())
    schema = top.get("schema")
    if schema != SCHEMA:
        raise r.fail(("schema",), f"{_show(schema)} is not {SCHEMA!r}")
    repository = r.get(top, (), "repository", str, "owner/name")
    if not _REPO.match(repository):
        raise r.fail(("repository",), f"{_show(repository)} is not owner/name")
    pr = r.mapping(top.get("pull_request"), ("pull_request",))
    where: KeyPath = ("pull_request",)
    author, author_id, _ = r.user(pr, where)
    head = r.mapping(pr.get("head"), (*where, "head"))
    head_sha = r.get(head, (*where, "head"), "sha", str, "a commit SHA")
    if not _SHA.match(head_sha):
        raise r.fail((*where, "head", "sha"), f"{_show(head_sha)} is not a commit SHA")
    base = r.mapping(pr.get("base"), (*where, "base"))
    created = r.time(pr, where, "created_at", optional=True)
    ready = r.time(top, (), "ready_at", optional=True) or created
    if ready is None:
        raise r.fail(("ready_at",), "missing; expected when the pull request was opened or "
                     "last marked ready for review, e.g. 2026-11-20T10:00:00Z")
    stale = r.items(top, "stale_commits")
    for index, sha in enumerate(stale):
        if not isinstance(sha, str):
            raise r.fail(("stale_commits", index), f"{_show(sha)} is not a commit SHA")
    taken = r.time(top, (), "taken_at")
    assert taken is not None
    recorded_comments, recorded_reviews = _recorded(r, top.get("recorded_votes"))
    return PullSnapshot(
        repository=repository,
        taken_at=taken,
        number=r.get(pr, where, "number", int, "the pull request number"),
        title=r.get(pr, where, "title", str, "the title", optional=True, default=""),
        author_login=author, author_id=author_id,
        head_sha=head_sha,
        base_ref=r.get(base, (*where, "base"), "ref", str, "a branch name"),
        draft=r.get(pr, where, "draft", bool, "true or false", optional=True, default=False),
        state=r.get(pr, where, "state", str, "open or closed", optional=True, default="open"),
        merged=r.get(pr, where, "merged", bool, "true or false", optional=True,
                     default=False),
        ready_at=ready,
        html_url=r.get(pr, where, "html_url", str, "a URL", optional=True, default=""),
        files=tuple(_file(r, i, item) for i, item in enumerate(r.items(top, "files"))),
        reviews=tuple(_review(r, i, item) for i, item in enumerate(r.items(top, "reviews"))),
        comments=tuple(_comment(r, i, item)
                       for i, item in enumerate(r.items(top, "comments"))),
        records=_records(r, top.get("records")),
        stale_commits=frozenset(stale),
        recorded_comments=recorded_comments,
        recorded_reviews=recorded_reviews,
        config_files=None if top.get("config_files") is None else
        _records(r, top.get("config_files"), "config_files"),
    )


def record_bytes(records: Mapping[str, str]) -> dict[str, bytes]:
    """The snapshot's record texts as the exact bytes GitHub returned (the adapter keeps
    non-UTF-8 bytes as surrogate escapes so that `records.read_records` refuses them)."""
    return {path: text.encode("utf-8", "surrogateescape") for path, text in records.items()}
