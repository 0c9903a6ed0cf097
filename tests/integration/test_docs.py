"""The user documentation (README.md, docs/*.md) matches the code: commands and flags exist,
relative links resolve, CI runs the README's commands, and complete examples load."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from govbot.cli.main import main
from govbot.model.config import load_config
from govbot.model.records import parse_record
from govbot.rules.checks import check_record
from govbot.vote.snapshot import load_snapshot

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(?P<lang>[a-z]*)\n(?P<body>.*?)^```", re.M | re.S)
SPAN = re.compile(r"`([^`\n]+(?:\n[^`\n]+)?)`")  # may wrap onto a second line
# a govbot command line: `[VAR=x] [path/]govbot [--verbose] NAME ...`, at the start of a
# code span or shell line, or after `&&`, `||`, `|` or `;`
COMMAND = re.compile(r"^(?:\$ )?(?:[A-Z_]+=\S* )*(?:\S+/)?govbot(?P<glob>(?: --[a-z-]+)*) "
                     r"(?P<name>[a-z]+)(?P<rest>[^#]*)")
SEPARATOR = re.compile(r"\s(?:&&|\|\||\|)\s|;\s")
# messages quoted in troubleshooting.md that start with "govbot " but are no command line
MESSAGE_WORDS = {"could", "cannot"}
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
SHELL_LANGS = ("sh", "bash", "console", "")
# flags of other tools that the docs show on their own (git, pip, pytest, the bench harness)
OTHER_TOOLS = {"--no-ff", "--quick", "--sizes", "--only", "--out", "--force"}
COMPLETE = re.compile(r"<!-- complete example: (?P<what>\S+) -->\n```(?P<lang>[a-z]+)\n"
                      r"(?P<body>.*?)^```", re.M | re.S)
LINK = re.compile(r"(?<!!)\[[^\]]*\]\((?P<target>[^)\s]+)\)")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _code(text: str) -> Iterator[str]:
    """Every command-line-like piece of code: lines of shell blocks, and inline code spans
    outside fenced blocks."""
    for block in FENCE.finditer(text):
        if block["lang"] in SHELL_LANGS:
            yield from block["body"].replace("\\\n", " ").splitlines()
    yield from (span.replace("\n", " ") for span in SPAN.findall(FENCE.sub("", text)))


def _commands() -> dict[str, click.Command]:
    assert isinstance(main, click.Group)
    return dict(main.commands)


def _long_flags(command: click.Command) -> set[str]:
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)
            if opt.startswith("--")} | {"--help"}


def _uses() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(doc, command name, the text shown, its long flags) for every `govbot NAME …` shown."""
    found = []
    for doc in DOCS:
        for code in _code(_text(doc)):
            for part in SEPARATOR.split(code):
                use = COMMAND.match(part.strip())
                if use and use["name"] not in MESSAGE_WORDS:
                    flags = tuple(FLAG.findall(use["rest"]))
                    found.append((doc.name, use["name"], use[0].strip(), flags))
    return found


USES = _uses()


def test_the_docs_show_commands() -> None:
    """The extraction finds the commands the docs show (guards against a broken pattern)."""
    names = {name for _, name, _, _ in USES}
    assert names >= {"init", "check", "new", "plan", "tally", "publish", "render", "site",
                     "demo", "snapshot", "run", "schema"}


@pytest.mark.parametrize(("doc", "name", "shown", "flags"), USES,
                         ids=[f"{d}:{s[:50]}" for d, _, s, _ in USES])
def test_every_command_shown_exists_with_its_flags(doc: str, name: str, shown: str,
                                                   flags: tuple[str, ...]) -> None:
    """Each `govbot NAME --flag …` in the docs names a real command and real options of it."""
    commands = _commands()
    assert name in commands, f"{doc}: {shown!r}: no command {name!r}"
    unknown = set(flags) - _long_flags(commands[name])
    assert not unknown, f"{doc}: {shown!r}: {name} has no option {sorted(unknown)}"


def test_global_flags_shown_exist() -> None:
    """`govbot --verbose …` and `govbot --version` are the group's own options."""
    shown = {f for doc in DOCS for code in _code(_text(doc))
             for flags in re.findall(r"(?:^|\s)govbot((?: --[a-z-]+)+)", code)
             for f in FLAG.findall(flags)}
    assert "--verbose" in shown
    assert shown <= _long_flags(main)


def test_every_flag_mentioned_on_its_own_exists() -> None:
    """A flag shown alone in code (`--force`, `--base REF`) is an option of some command."""
    known = set().union(*(_long_flags(c) for c in _commands().values()), _long_flags(main))
    unknown = {}
    for doc in DOCS:
        text = FENCE.sub("", _text(doc))
        for span in SPAN.findall(text):
            if span.startswith("--"):
                flag = FLAG.match(span)
                if flag and flag[0] not in known | OTHER_TOOLS:
                    unknown[flag[0]] = doc.name
    assert unknown == {}


def _anchor(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", _text(path))
    return {_anchor(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.M)}


LINKS = [(doc, m["target"]) for doc in DOCS for m in LINK.finditer(FENCE.sub("", _text(doc)))
         if not re.match(r"[a-z]+:", m["target"])]


@pytest.mark.parametrize(("doc", "target"), LINKS,
                         ids=[f"{d.name}->{t}" for d, t in LINKS])
def test_relative_links_resolve(doc: Path, target: str) -> None:
    """Every relative link in README.md and docs/*.md points at a file (and heading) that
    exists."""
    path, _, fragment = target.partition("#")
    resolved = (doc.parent / path).resolve() if path else doc
    assert resolved.exists(), f"{doc.name}: {target} does not exist"
    if fragment and resolved.suffix == ".md":
        assert fragment in _anchors(resolved), f"{doc.name}: no heading #{fragment} in {path}"


def test_readme_first_lines_are_what_ci_runs() -> None:
    """The README's two command lines are the install-and-run line and `.ci/run`'s tests."""
    readme = _text(ROOT / "README.md")
    first = next(FENCE.finditer(readme))["body"].splitlines()
    ci = _text(ROOT / ".ci" / "run").splitlines()
    assert len(first) == 2
    assert first[1] == ".venv/bin/python -m pytest"
    assert first[1] in ci
    install, *runs = first[0].split(" && ")
    assert install == "python3 -m venv .venv"
    assert runs[0] == ".venv/bin/pip install -q -e '.[test,lint]'"
    assert any(line.strip() == runs[0] for line in ci)
    for command in runs[1:]:
        assert any(line.strip().startswith(command) for line in ci), command


EXAMPLES = [(doc.name, m["what"], m["lang"], m["body"]) for doc in DOCS
            for m in COMPLETE.finditer(_text(doc))]


def test_every_kind_of_complete_example_is_present() -> None:
    """The docs carry a complete governance.yml, record and snapshot example."""
    kinds = {what if what in ("governance.yml", "snapshot") else "record"
             for _, what, _, _ in EXAMPLES}
    assert kinds == {"governance.yml", "record", "snapshot"}


@pytest.mark.parametrize(("doc", "what", "lang", "body"), EXAMPLES,
                         ids=[f"{d}:{w}" for d, w, _, _ in EXAMPLES])
def test_complete_examples_load(doc: str, what: str, lang: str, body: str) -> None:
    """Examples marked `<!-- complete example: … -->` load with govbot's own readers, and
    records pass the per-file checks."""
    if what == "governance.yml":
        assert lang == "yaml"
        load_config(what, body)
    elif what == "snapshot":
        assert lang == "json"
        load_snapshot(json.loads(body), f"{doc} snapshot")
    else:
        assert lang == "markdown"
        assert what.startswith("decisions/")
        record = parse_record(what, body)
        assert check_record(record, today=dt.date(2027, 1, 1)) == []
