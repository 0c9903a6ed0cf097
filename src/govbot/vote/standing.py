"""A ballot's typed standing and the reason for it, and the messages rendered from them.

Every vote row carries a `Standing` (does it count, and if not, in which way not) and a
`Why` (the reason code). The tally counts from the standing alone; the `note` a person
reads is rendered from the reason code through `MESSAGES` and is never parsed back, so
rewording a message can change no count (tests/unit/test_standing.py rewrites them all).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping


class Standing(enum.Enum):
    """Whether a ballot counts, and if not, in which way it does not."""

    COUNTED = "counted"
    DISMISSED = "dismissed"  # an objection someone else dismissed: it stands (counts)
    # a dismissed review govbot has no record of, or a member's comment someone else edited
    # that govbot has no record of: it may have been an objection, so it
    # counts against (threshold, veto) but never toward quorum (it may have been a stale
    # approval, which a dismissal must not turn into turnout)
    UNCONFIRMED = "unconfirmed"
    STALE = "stale"  # an approval of content that changed since
    RECUSED = "recused"  # out of the electorate by their own word
    WITHDRAWN = "withdrawn"  # retracted, or an approval withdrawn by a dismissal
    NOT_VOTED = "not-voted"
    NOT_SEATED = "not-seated"  # no seat now, or none when the vote was cast
    EXCLUDED = "excluded"  # the author, under `author: excluded`
    IGNORED = "ignored"  # a comment command that is not a vote (edited, unknown, ...)
    NON_BINDING = "non-binding"  # a bot's or a non-member's voice

    @property
    def counts(self) -> bool:
        """Whether a ballot with this standing is counted in A, O or B."""
        return self in (Standing.COUNTED, Standing.DISMISSED, Standing.UNCONFIRMED)

    @property
    def turnout(self) -> bool:
        """Whether a ballot with this standing counts toward quorum."""
        return self in (Standing.COUNTED, Standing.DISMISSED)


class Why(enum.Enum):
    """The reason code of a ballot's standing (one standing each, see `STANDING`)."""

    VOTED = "voted"
    VOTED_WITH_REASON = "voted-with-reason"
    RECORDED = "recorded"
    RECORDED_WITH_REASON = "recorded-with-reason"
    AUTHOR = "author-approves"
    DISMISSED_OBJECTION = "dismissed-objection"
    DISMISSED_UNRECORDED = "dismissed-unrecorded"
    STALE_CONTENT = "stale-content"
    STALE_PUSH = "stale-push"
    STALE_NO_COMMIT = "stale-no-commit"
    STALE_RECORDED = "stale-recorded"
    RECUSED = "recused"
    RECUSED_WITH_REASON = "recused-with-reason"
    RETRACTED = "retracted"
    DISMISSED_APPROVAL = "dismissed-approval"
    NOT_VOTED = "not-voted"
    ON_LEAVE = "on-leave"
    TERM_ENDED = "term-ended"
    TERM_NOT_BEGUN = "term-not-begun"
    CAST_BEFORE_TERM = "cast-before-term"
    AUTHOR_EXCLUDED = "author-excluded"
    EDITED = "edited"
    EDITED_BY_OTHER = "edited-by-other"
    UNKNOWN_COMMAND = "unknown-command"
    APPROVE_BY_COMMENT = "approve-by-comment"
    IN_QUOTE = "in-quote"
    RECORD_USAGE = "record-usage"
    RECORD_NOT_OFFICER = "record-not-officer"
    RECORD_NOT_MEMBER = "record-not-member"
    RECORD_NOT_COUNTED = "record-not-counted"
    COMMUNITY_BY_MEMBER = "community-by-member"
    BOT = "bot"
    IMPOSTOR = "impostor"
    NOT_MEMBER = "not-member"
    OTHER_BODY = "other-body"
    NO_VOTE = "no-vote"


STANDING: Mapping[Why, Standing] = {
    Why.VOTED: Standing.COUNTED,
    Why.VOTED_WITH_REASON: Standing.COUNTED,
    Why.RECORDED: Standing.COUNTED,
    Why.RECORDED_WITH_REASON: Standing.COUNTED,
    Why.AUTHOR: Standing.COUNTED,
    Why.DISMISSED_OBJECTION: Standing.DISMISSED,
    Why.DISMISSED_UNRECORDED: Standing.UNCONFIRMED,
    Why.STALE_CONTENT: Standing.STALE,
    Why.STALE_PUSH: Standing.STALE,
    Why.STALE_NO_COMMIT: Standing.STALE,
    Why.STALE_RECORDED: Standing.STALE,
    Why.RECUSED: Standing.RECUSED,
    Why.RECUSED_WITH_REASON: Standing.RECUSED,
    Why.RETRACTED: Standing.WITHDRAWN,
    Why.DISMISSED_APPROVAL: Standing.WITHDRAWN,
    Why.NOT_VOTED: Standing.NOT_VOTED,
    Why.ON_LEAVE: Standing.NOT_VOTED,
    Why.TERM_ENDED: Standing.NOT_SEATED,
    Why.TERM_NOT_BEGUN: Standing.NOT_SEATED,
    Why.CAST_BEFORE_TERM: Standing.NOT_SEATED,
    Why.AUTHOR_EXCLUDED: Standing.EXCLUDED,
    Why.EDITED: Standing.IGNORED,
    Why.EDITED_BY_OTHER: Standing.UNCONFIRMED,
    Why.UNKNOWN_COMMAND: Standing.IGNORED,
    Why.APPROVE_BY_COMMENT: Standing.IGNORED,
    Why.IN_QUOTE: Standing.IGNORED,
    Why.RECORD_USAGE: Standing.IGNORED,
    Why.RECORD_NOT_OFFICER: Standing.IGNORED,
    Why.RECORD_NOT_MEMBER: Standing.IGNORED,
    Why.RECORD_NOT_COUNTED: Standing.IGNORED,
    Why.COMMUNITY_BY_MEMBER: Standing.IGNORED,
    Why.BOT: Standing.NON_BINDING,
    Why.IMPOSTOR: Standing.NON_BINDING,
    Why.NOT_MEMBER: Standing.NON_BINDING,
    Why.OTHER_BODY: Standing.NON_BINDING,
    Why.NO_VOTE: Standing.NON_BINDING,
}

# The words a person reads, by reason code. `{name}` fields come from the row's `detail`.
MESSAGES: Mapping[Why, str] = {
    Why.VOTED: "",
    Why.VOTED_WITH_REASON: "reason: {reason}",
    Why.RECORDED: "cast outside GitHub, recorded by {via}",
    Why.RECORDED_WITH_REASON: "cast outside GitHub, recorded by {via}: {reason}",
    Why.AUTHOR: "author of the pull request (author: approves)",
    Why.DISMISSED_OBJECTION: "dismissed by another user; stands until the member retracts",
    Why.DISMISSED_UNRECORDED: "dismissed by another user; there is no record of what this "
                              "review was, so it stands as an objection (not toward quorum) "
                              "until the member retracts or reviews again",
    Why.STALE_CONTENT: "stale: the records changed after this approval (on {sha}); approve "
                       "the current version again",
    Why.STALE_PUSH: "stale: any push after this approval (on {sha}); approve the current "
                    "version again",
    Why.STALE_RECORDED: "stale: the pull request changed after this vote was recorded (on "
                        "{sha}); record it again for the current version",
    Why.STALE_NO_COMMIT: "stale: GitHub no longer knows the reviewed commit, so govbot "
                         "cannot tell what was approved; approve the current version again",
    Why.RECUSED: "recused",
    Why.RECUSED_WITH_REASON: "recused: {reason}",
    Why.RETRACTED: "retracted their vote on {time}",
    Why.DISMISSED_APPROVAL: "their review of {time} was dismissed; an earlier vote does not "
                            "come back",
    Why.NOT_VOTED: "has not voted",
    Why.ON_LEAVE: "on leave until {until}: outside the electorate unless they vote",
    Why.TERM_ENDED: "not counted: the term ended {date}, so this vote lapsed",
    Why.TERM_NOT_BEGUN: "not counted: the term begins {date}, so this vote lapsed",
    Why.CAST_BEFORE_TERM: "not counted: cast on {date}, before the term began on {start}; "
                          "vote again",
    Why.AUTHOR_EXCLUDED: "the author does not vote on their own proposal (author: excluded)",
    Why.EDITED: "ignored: the comment was edited after it was cast; write a new command in "
                "a new comment",
    Why.EDITED_BY_OTHER: "edited by another user ({login}); govbot cannot tell what this "
                         "member wrote, so it stands as an objection until the member votes "
                         "again",
    Why.UNKNOWN_COMMAND: "ignored: '{command}' is not a govbot command{suggestion}; the "
                         "commands are {commands}",
    Why.APPROVE_BY_COMMENT: "ignored: approval is given by review only: use GitHub's Review "
                            "changes → Approve",
    Why.IN_QUOTE: "ignored: this line continues the quote above it, so GitHub shows it as "
                  "quoted; leave a blank line between the quote and the command",
    Why.RECORD_USAGE: "ignored: write /govbot record LOGIN VOTE [REASON or minutes link], "
                      "with VOTE one of approve, object, abstain or recuse",
    Why.RECORD_NOT_OFFICER: "ignored: only the secretary or the chair of the {body} may record "
                            "a vote cast outside GitHub",
    Why.RECORD_NOT_MEMBER: "ignored: {login} is not on any body's roster in governance.yml; "
                           "/govbot record names a member's login",
    Why.RECORD_NOT_COUNTED: "ignored: votes recorded by the secretary or the chair do not count "
                            "under this rule (recorded_votes: false in governance.yml)",
    Why.COMMUNITY_BY_MEMBER: "ignored: /govbot support and /govbot concern are for people who "
                             "are not on the {body}; its members vote (a review, or /govbot "
                             "object, abstain or recuse)",
    Why.BOT: "a bot account: never counted",
    Why.IMPOSTOR: "not counted: this account uses a committee member's login but is not the "
                  "account on the roster (its id differs)",
    Why.NOT_MEMBER: "not a committee member: shown for information",
    Why.OTHER_BODY: "not counted: a member of the {body}, which does not decide this pull "
                    "request; shown for information",
    Why.NO_VOTE: "not counted: the secretary holds a seat without a vote",
}
RENAMED = "(matched by id: now signs in as {login})"
# why a comment vote counts as govbot first recorded it, not as its text now reads
AS_RECORDED = {
    "edited": "(as govbot first recorded it: the comment was edited after it was cast, and "
              "an edit changes no vote)",
    "deleted": "(as govbot first recorded it: the comment was deleted, and a deletion "
               "changes no vote; write /govbot retract to withdraw it)",
}


def render_note(why: Why, detail: Mapping[str, str], signs_in_as: str = "",
                as_recorded: str = "") -> str:
    """The note a person reads for a ballot: its reason's message, then, for a member who
    renamed their account, the login they now sign in with, and for a comment vote counted
    as first recorded, why."""
    parts = [MESSAGES[why].format_map(dict(detail))]
    if signs_in_as:
        parts.append(RENAMED.format(login=signs_in_as))
    if as_recorded:
        parts.append(AS_RECORDED[as_recorded])
    return " ".join(p for p in parts if p)
