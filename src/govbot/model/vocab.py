"""govbot's shared vocabulary, defined once: record statuses, what a decision-record path is,
the files govbot generates, the UTC timestamp format, integer checks and path patterns."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from typing import Any

from govbot.model.errors import UsageError

# Statuses of a record that the committee has decided (an accepted record and what it
# became later); a PR may not edit a record in one of these.
DECIDED = ("accepted", "superseded", "retired")
# Statuses a record ends in: DECIDED plus the outcomes of a closed, unmerged motion.
FINAL = (*DECIDED, "rejected", "expired")
# Statuses of a record still open for a vote or a draft.
OPEN = ("draft", "proposed")

DECISIONS_DIR = "decisions"
DECISIONS_PREFIX = DECISIONS_DIR + "/"
# The files govbot writes on merge; a pull request may not edit them.
GENERATED_FILES = ("CHANGELOG.md", "PLAN.md", "decisions.json")
# The files govbot loads from the default branch besides the records (patterns): a pull
# request that changes one is checked as it proposes it, so a merge cannot break govbot.
LOADED_FILES = ("governance.yml", "templates/**")

# How govbot's state keeps a `/govbot record LOGIN VOTE` it counted (DESIGN §5): the member
# and the vote (and, for an approval, the head it was counted at), so an edit cannot change it.
RECORD_STATE = re.compile(r"^record:(?P<login>[A-Za-z0-9-]{1,39}):"
                          r"(?P<vote>approve|object|abstain|recuse)(?::(?P<sha>[0-9a-f]{40}))?$")

UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
MAX_DESCRIPTION = 140  # GitHub's limit for a commit status description


def is_record_path(path: str) -> bool:
    """Whether a repository path is a decision record (`decisions/*.md`, not in a subfolder)."""
    return path.startswith(DECISIONS_PREFIX) and path.endswith(".md") and path.count("/") == 1


def git_blob_sha(data: bytes) -> str:
    """The git object id of a blob with this content: what git (and GitHub's Git Data API)
    calls the file, so a published record can be found in the history by its id."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def is_int(value: Any) -> bool:
    """An integer that is not a bool (YAML's `true` is an int to Python)."""
    return isinstance(value, int) and not isinstance(value, bool)


def utc_stamp(when: dt.datetime) -> str:
    """`2026-12-01T14:00:00Z`: a time in UTC, to the second."""
    return when.astimezone(dt.UTC).strftime(UTC_FORMAT)


def parse_utc(text: Any) -> dt.datetime | None:
    """The time a `utc_stamp` wrote, or None for anything else."""
    try:
        return dt.datetime.strptime(str(text), UTC_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


@functools.lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def path_matches(path: str, pattern: str) -> bool:
    """fnmatch-style match where `*` stays within a folder and `**` crosses folders."""
    return _glob(pattern).match(path) is not None


def shorten(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """`text` cut to `limit` characters (a commit status description's 140), ending with …
    when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_time_option(option: str, text: str) -> dt.datetime:
    """A time given on the command line (ISO 8601; `Z` or no offset means UTC)."""
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a time; write e.g. "
                         "2026-12-01T14:00:00Z") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
