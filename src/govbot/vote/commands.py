"""The comment-command grammar (DESIGN §5), following how GitHub renders the comment.

A command is a line of *visible* text that starts with `/govbot` (any case), then a verb
(any case), optionally followed by `:` `,` or `.`, then the reason: `/govbot object: too
costly`. The comment is parsed as Markdown (markdown-it-py, CommonMark with GitHub's
table and strikethrough extensions), so text GitHub does not show as plain text does not
count: code spans and blocks, block quotes and HTML comments. Unicode spaces (a
non-breaking space, say) count as spaces and zero-width characters as nothing.

Pure; the router asks `might_hold_command` before spending requests on a new comment, so
the "is it worth a re-tally" test and the tally read commands the same way.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

VERBS = ("object", "abstain", "recuse", "retract", "approve", "record", "support", "concern")
UNKNOWN = "unknown"  # a `/govbot` line whose verb is not a command (the word is the reason)
QUOTED = "quoted"  # a command GitHub shows inside the quote above it (a lazy continuation)
_HEAD = re.compile(r"/govbot(?![\w-])", re.IGNORECASE)
_VERB = re.compile(r"(?P<verb>[^\s:,.]+)(?P<punct>[:,.])?(?P<rest>.*)", re.DOTALL)
# zero-width characters, the soft hyphen and the invisible operators: shown as nothing
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064"
                                      "\ufeff"))
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_HIDDEN_TAG = re.compile(r"<(?P<close>/?)(?:pre|code|kbd|samp|tt|blockquote|textarea|script"
                         r"|style)\b[^>]*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]*>")
_QUOTE_LINE = re.compile(r"^\s*>")
MAX_WORD = 40


@dataclass(frozen=True, slots=True)
class Command:
    """One `/govbot VERB [REASON]` line of a comment (`line` counts from 1). `verb` is
    UNKNOWN (the word in `reason`) or QUOTED for lines shown as ignored."""

    verb: str
    reason: str
    line: int


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def normalise(text: str) -> str:
    """Unicode spaces as plain spaces, zero-width characters removed."""
    return "".join(" " if ch.isspace() else ch for ch in text.translate(_ZERO_WIDTH))


def read_line(text: str, line: int) -> Command | None:
    """The command a line of visible text holds (None: not a `/govbot` line)."""
    text = normalise(text).strip()
    head = _HEAD.match(text)
    if head is None:
        return None
    rest = text[head.end():]
    words = _VERB.match(rest.lstrip()) if rest[:1].isspace() else None
    if words is None:
        return Command(UNKNOWN, rest.strip()[:MAX_WORD], line)
    verb = words["verb"].lower()
    if verb not in VERBS:
        return Command(UNKNOWN, rest.split()[0][:MAX_WORD], line)
    return Command(verb, words["rest"].strip(), line)


def _strip_hidden(content: str, depth: int) -> tuple[str, int]:
    """`content` (HTML) without its comments and the parts inside code, quote and script
    elements (their newlines kept), and how many such elements are still open after it:
    an element opened in one HTML block or inline tag hides the Markdown that follows
    until it closes, as GitHub shows it (`<blockquote>`, a blank line, a paragraph)."""
    content = _HTML_COMMENT.sub(lambda match: "\n" * match[0].count("\n"), content)
    out, at = list[str](), 0
    for tag in _HIDDEN_TAG.finditer(content):
        between = content[at:tag.start()]
        out.append(between if depth == 0 else "\n" * between.count("\n"))
        depth = max(0, depth - 1) if tag["close"] else depth + 1
        at = tag.end()
    rest = content[at:]
    out.append(rest if depth == 0 else "\n" * rest.count("\n"))
    return "".join(out), depth


def _visible_lines(children: Sequence[Token], hidden: list[int]
                   ) -> Iterator[tuple[int, str]]:
    """(offset from the block's first line, visible text) of each line of an inline run.
    Code spans are kept in backticks (so a line starting with one is no command); HTML
    comments and tags show nothing, nor text inside code or quote tags (`hidden[0]`: how
    many are open, updated)."""
    offset, parts = 0, list[str]()
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            yield offset, "".join(parts)
            offset, parts = offset + 1, []
        elif child.type in ("text", "text_special") and not hidden[0]:
            parts.append(child.content)
        elif child.type == "code_inline" and not hidden[0]:
            parts.append(f"`{child.content}`")
        elif child.type == "html_inline":
            offset += child.content.count("\n")
            hidden[0] = _strip_hidden(child.content, hidden[0])[1]
    yield offset, "".join(parts)


def _html_lines(content: str, hidden: list[int]) -> Iterator[tuple[int, str]]:
    """The visible lines of an HTML block: comments and code, quote and script elements
    removed (their newlines kept), tags dropped, entities decoded (`hidden[0]`: how many
    such elements are open, updated)."""
    visible, hidden[0] = _strip_hidden(content, hidden[0])
    for offset, line in enumerate(visible.split("\n")):
        yield offset, html.unescape(_HTML_TAG.sub("", line))


def _source_line(lines: Sequence[str], guess: int, end: int) -> int:
    """The 0-based source line of a command found at about `guess` (a multi-line code span
    before it makes the count run short): the first line from there naming /govbot."""
    for index in range(guess, max(end, guess + 1)):
        if index < len(lines) and "govbot" in lines[index].translate(_ZERO_WIDTH).lower():
            return index
    return guess


def _candidates(body: str) -> Iterator[tuple[int, str, bool]]:
    """(0-based line, visible text, lazily quoted?) of every line GitHub shows as text,
    outside code, block quotes and HTML comments; lines of a block quote's paragraph
    that do not start with `>` (lazy continuations) are given too, flagged."""
    lines = body.splitlines()
    quotes = tables = 0
    hidden = [0]  # code, quote and script elements open in the comment's HTML
    for token in _markdown().parse(body):
        if token.type in ("blockquote_open", "blockquote_close"):
            quotes += token.nesting
        elif token.type in ("table_open", "table_close"):
            tables += token.nesting
        elif tables:
            continue  # a table cell is not a line of its own
        elif token.type == "html_block" and token.map and not quotes:
            for offset, text in _html_lines(token.content, hidden):
                yield token.map[0] + offset, text, False
        elif token.type == "inline" and token.map and token.children is not None:
            start, end = token.map
            for offset, text in _visible_lines(token.children, hidden):
                line = _source_line(lines, start + offset, end)
                lazy = line < len(lines) and not _QUOTE_LINE.match(lines[line])
                if not quotes or lazy:
                    yield line, text, bool(quotes)


def parse_commands(body: str, *, keep_unknown: bool = False) -> list[Command]:
    """The `/govbot` commands in a comment, in order, as GitHub shows it (see the module
    docstring). Lines that are not a command are skipped, or, with `keep_unknown`, kept
    as UNKNOWN (an unknown verb) or QUOTED (shown inside a quote) to be shown as ignored.
    """
    if "govbot" not in body.translate(_ZERO_WIDTH).lower():
        return []  # the common case: no need to parse the Markdown
    out: list[Command] = []
    for line, text, quoted in _candidates(body):
        command = read_line(text, line + 1)
        if command is None or (not keep_unknown and (quoted or command.verb == UNKNOWN)):
            continue
        out.append(Command(QUOTED, command.reason, command.line) if quoted else command)
    return out


def might_hold_command(body: str) -> bool:
    """Whether a comment holds a `/govbot` line by the grammar above (a command, or a line
    to show as ignored): whether a new comment is worth a re-tally."""
    return bool(parse_commands(body, keep_unknown=True))
