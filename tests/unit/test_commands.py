"""Tests for govbot.vote.commands: the comment-command grammar, as GitHub renders a comment."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govbot.vote.commands import QUOTED, UNKNOWN, Command, parse_commands, read_line


@pytest.mark.parametrize(("body", "commands"), [
    ("/govbot object Too costly", [Command("object", "Too costly", 1)]),
    ("LGTM\n/govbot abstain\n/govbot recuse I work there", [
        Command("abstain", "", 2), Command("recuse", "I work there", 3)]),
    ("  /govbot retract", [Command("retract", "", 1)]),
    ("    /govbot object indented code", []),
    ("> /govbot object quoted", []),
    ("```\n/govbot object fenced\n```\n/govbot abstain", [Command("abstain", "", 4)]),
    ("~~~~\n/govbot object\n~~~\n/govbot object still fenced\n~~~~", []),
    ("<!--\n/govbot object hidden\n-->", []),
    ("x <!-- y\n/govbot object hidden\n--> z\n/govbot abstain", [Command("abstain", "", 4)]),
    ("please /govbot object mid-line", []),
    ("`/govbot object` is how you object", []),
    ("/govbot frobnicate", []),
    ("/govbotobject", []),
    ("| a |\n| - |\n| /govbot object |", []),
    ("<pre>\n/govbot object\n</pre>", []),
    ("<code>/govbot object example</code>", []),
    ("to object write <kbd>\n/govbot object REASON\n</kbd>", []),
    ("<blockquote>\n\n/govbot recuse quoted in HTML\n\n</blockquote>", []),
    ("<code>\n\n/govbot object in code\n\n</code>\n\n/govbot abstain",
     [Command("abstain", "", 7)]),
    ("<blockquote>\n\nquoted\n\n</blockquote>\n\n/govbot abstain", [Command("abstain", "", 7)]),
])
def test_only_visible_lines_count(body: str, commands: list[Command]) -> None:
    """Commands count only as lines GitHub shows as text: not in code, quotes, HTML
    comments or tables, and not in the middle of a line."""
    assert parse_commands(body) == commands


@pytest.mark.parametrize(("body", "command"), [
    ("/GOVBOT OBJECT loud", Command("object", "loud", 1)),
    ("/Govbot object too costly", Command("object", "too costly", 1)),
    ("/govbot object: too costly", Command("object", "too costly", 1)),
    ("/govbot object, too costly", Command("object", "too costly", 1)),
    ("/govbot object:too costly", Command("object", "too costly", 1)),
    ("/govbot abstain.", Command("abstain", "", 1)),
    ("/govbot\u00a0object\u2003too costly", Command("object", "too costly", 1)),
    ("\u00a0/govbot abstain", Command("abstain", "", 1)),
    ("/gov\u200bbot recuse", Command("recuse", "", 1)),
    ("/gov\u00adbot ob\u2063ject shy", Command("object", "shy", 1)),
    ("a `<!--` b\n/govbot object after code", Command("object", "after code", 2)),
    ("- /govbot abstain", Command("abstain", "", 1)),
    ("<details>\n/govbot object in details\n</details>", Command("object", "in details", 2)),
    ("/govbot object `code` and *words*", Command("object", "`code` and words", 1)),
    ("a\n\n```\nx\n```\n\n/govbot retract", Command("retract", "", 7)),
], ids=["upper case", "capitalised", "colon", "comma", "colon without space", "full stop",
        "unicode spaces", "leading no-break space", "zero-width space",
        "soft hyphen, invisible separator", "after inline code "
        "holding <!--", "in a list item", "in an HTML block", "formatted reason",
        "line after a fence"])
def test_natural_ways_of_typing_a_command(body: str, command: Command) -> None:
    """Issue 11: the ways people type a command are read, never silently dropped."""
    assert parse_commands(body) == [command]


@pytest.mark.parametrize(("body", "command"), [
    ("/govbot frobnicate now", Command(UNKNOWN, "frobnicate", 1)),
    ("/govbot objection", Command(UNKNOWN, "objection", 1)),
    ("/govbot", Command(UNKNOWN, "", 1)),
    ("/govbot: object", Command(UNKNOWN, ": object", 1)),
    ("> quoted\n/govbot object lazily", Command(QUOTED, "lazily", 2)),
], ids=["unknown verb", "near miss", "no verb", "colon before the verb", "lazy quote"])
def test_lines_shown_as_ignored(body: str, command: Command) -> None:
    """A /govbot line that is not a command (or that GitHub shows inside a quote) is kept
    for the comment to show as ignored; without `keep_unknown` it is skipped."""
    assert parse_commands(body, keep_unknown=True) == [command]
    assert parse_commands(body) == []


def test_a_long_unknown_word_is_clipped() -> None:
    """The unknown word shown back is at most 40 characters."""
    assert read_line("/govbot " + "x" * 100, 3) == Command(UNKNOWN, "x" * 40, 3)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("/govbt objectainrus:,.`<!->\n #*_[]()\u00a0")),
               max_size=80))
def test_parsing_never_fails(body: str) -> None:
    """Any text parses; every command has a known verb and a line inside the comment."""
    for command in parse_commands(body, keep_unknown=True):
        assert command.verb in ("object", "abstain", "recuse", "retract", "approve",
                                UNKNOWN, QUOTED)
        assert 1 <= command.line <= max(1, len(body.splitlines()))
