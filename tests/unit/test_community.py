"""The community's voice (DESIGN §5): reviews and `/govbot support` / `/govbot concern REASON`
from people who are not seated, counted apart, shown as non-binding, never part of any rule,
and kept — bounded and escaped — in the audit record as `community`."""

from __future__ import annotations

import datetime as dt

import pytest

import tallykit
from govbot.model.records import CommunityVoice, parse_record
from govbot.publish.reconcile import final_vote
from govbot.record.stamp import MAX_VOICE_REASON, MAX_VOICES, community_lines, stamp
from govbot.render.comment import render_comment
from govbot.rules.checks import check_record
from govbot.vote.standing import Standing
from govbot.vote.tally import tally
from recordkit import make_from
from tallykit import NOW, approve, at, comment, review


def voices(*items: object) -> list[tuple[str, str, str]]:
    result = tally(tallykit.snap(*items), tallykit.config(), NOW)  # type: ignore[arg-type]
    return [(v.login, v.voice, v.reason) for v in result.community]


@pytest.mark.parametrize(("item", "expected"), [
    (review("outsider", "APPROVED", at(21)), [("outsider", "support", "")]),
    (review("outsider", "CHANGES_REQUESTED", at(21), body="too costly"),
     [("outsider", "concern", "too costly")]),
    (comment("outsider", "/govbot support", at(21)), [("outsider", "support", "")]),
    (comment("outsider", "/govbot concern: the timeline is short", at(21)),
     [("outsider", "concern", "the timeline is short")]),
    (comment("outsider", "/govbot object no", at(21)), [("outsider", "concern", "no")]),
    (comment("outsider", "/govbot abstain", at(21)), []),
    (review("ghostbot[bot]", "APPROVED", at(21)), []),  # a bot is no community
])
def test_what_counts_as_the_communitys_voice(item: object,
                                              expected: list[tuple[str, str, str]]) -> None:
    """Approving reviews and /govbot support are support; requests for changes, /govbot
    concern and /govbot object from people not seated are concerns, with their reasons."""
    assert voices(item) == expected


def test_the_community_is_never_part_of_a_rule() -> None:
    """Ten supporters change no count and no outcome."""
    crowd = [comment(f"fan{n}", "/govbot support", at(21), ident=100 + n) for n in range(10)]
    alone = tally(tallykit.snap(approve("chair")), tallykit.config(), NOW)
    cheered = tally(tallykit.snap(approve("chair"), *crowd), tallykit.config(), NOW)
    assert (cheered.outcome, cheered.approvals, cheered.quorum_needed) == (
        alone.outcome, alone.approvals, alone.quorum_needed)
    assert len(cheered.community) == 10


def test_a_member_cannot_speak_as_the_community() -> None:
    """A seated member's /govbot support is shown as ignored: members vote."""
    result = tally(tallykit.snap(comment("m2", "/govbot support", at(21))), tallykit.config(),
                   NOW)
    assert result.community == ()
    assert [(r.member, r.standing) for r in result.ignored] == [("m2", Standing.IGNORED)]
    assert result.ignored[0].note.startswith("ignored: /govbot support and /govbot concern "
                                             "are for people who are not on the Committee")


def test_the_comment_shows_the_community_apart_and_escaped() -> None:
    """The comment counts the voices apart and quotes each concern, escaped."""
    snap = tallykit.snap(comment("outsider", "/govbot concern @team see #12 a|b", at(21)),
                         review("fan", "APPROVED", at(21)))
    text = render_comment(tally(snap, tallykit.config(), NOW), snap)
    assert "### Community (non-binding)\n\n1 in support, 1 concern from people not on the " \
        "deciding body: shown for information, never part of any rule." in text
    assert "- concern from outsider: @\u2060team see #\u206012 a\\|b\n" in text


def test_the_audit_record_keeps_the_voices() -> None:
    """final_vote carries them; the stamp writes `community` after the votes."""
    snap = tallykit.snap(approve("chair"),
                         comment("outsider", "/govbot concern \"quoted\"\nline", at(22)))
    vote = final_vote(tally(snap, tallykit.config(), NOW))
    assert [(v.login, v.voice, v.at, v.reason) for v in vote.community] == [
        ("outsider", "concern", "2026-11-22T12:00:00Z", '"quoted"')]
    text = stamp(make_from({}).text, decided=dt.date(2026, 12, 1), pr=7, votes=vote.votes,
                 community=vote.community)
    record = parse_record("decisions/0012-regional-convenings.md", text)
    assert record.front["community"] == [{"login": "outsider", "voice": "concern",
                                          "at": "2026-11-22T12:00:00Z", "reason": '"quoted"'}]
    assert list(check_record(record, today=dt.date(2026, 12, 1))) == []


def test_the_voices_kept_are_bounded() -> None:
    """At most MAX_VOICES voices, each reason cut to MAX_VOICE_REASON characters, every
    character that could break or hide text escaped."""
    many = [CommunityVoice(f"u{n}", "concern", "2026-11-22T12:00:00Z",
                           "x" * (MAX_VOICE_REASON + 50) + "\u202e") for n in range(150)]
    lines = community_lines(many)
    assert len(lines) == 1 + MAX_VOICES
    assert lines[1].count("x") == MAX_VOICE_REASON - 1
    assert "…" in lines[1]
    assert community_lines([]) == []


@pytest.mark.parametrize(("value", "message"), [
    ("[{login: fan, voice: cheer, at: '2026-11-22T12:00:00Z'}]",
     "community[0].voice: 'cheer' is not support or concern"),
    ("[{login: '@fan', voice: support, at: '2026-11-22T12:00:00Z'}]",
     "community[0].login: '@fan' is not a GitHub login; write 'fan', without the @"),
    ("[{login: fan, voice: support, at: '2026-11-22T12:00:00Z', mood: happy}]",
     "community[0].mood: unknown key; a voice has login, voice, at and reason"),
    ("yes", "community: must be a list of {login, voice, at, reason?} entries"),
])
def test_a_malformed_community_is_a_finding(value: str, message: str) -> None:
    """What govbot wrote is checked like the votes."""
    record = make_from({"status": "accepted", "decided": "2026-11-22", "pr": "7",
                        "votes": "[]", "community": value})
    assert [f.message for f in check_record(record, today=dt.date(2026, 12, 1))] == [message]


def test_a_concern_with_a_lone_surrogate_is_stamped_readably() -> None:
    """A lone surrogate (which YAML cannot hold) in a concern is kept as U+FFFD, so the
    stamped block still parses."""
    import yaml

    lines = community_lines([CommunityVoice("eve", "concern", "2026-11-21T09:00:00Z",
                                            "too \ud800 costly")])
    assert yaml.safe_load("\n".join(lines)) == {"community": [
        {"login": "eve", "voice": "concern", "at": "2026-11-21T09:00:00Z",
         "reason": "too \ufffd costly"}]}
