"""Rendering: one Jinja2 environment for every generated text (comment, changelog, plan, site).

Templates come from the repository's `templates/` folder when it has the file, else from the
defaults shipped in the package. Templates are only ever rendered with data: user text is never
compiled as a template, and is escaped by the filters below for the format it lands in.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from govbot.model.config import Config
from govbot.model.plan import STATUS_LABELS, Plan
from govbot.model.records import Record

if TYPE_CHECKING:
    from govbot.record.history import Unvoted

_PACKAGED = Path(__file__).resolve().parents[1] / "templates"
_SOURCE_TREE = Path(__file__).resolve().parents[3] / "templates"
# Markdown escaping, defined once. Characters that can open inline markup anywhere in a line;
# line-start markers (`#`, `-`, `+`, `=`, `1.`) are escaped separately, since a template may
# start a line with user text. The strict set (status-comment cells, where GitHub also links
# and notifies) adds `{}()!`, autolinks and issue references.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>~&])")
_MD_STRICT = re.compile(r"([\\`*_{}\[\]()<>|~&!])")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])://|\bwww\.")
_LINE_START = re.compile(r"^(\d*)([#+=.)-])")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
# `#12`, `org/repo#12` and `GH-12` are live references on GitHub: a word joiner (invisible)
# after `#` or `GH-` keeps the text as written without linking (and notifying) issue 12
_REFERENCE = re.compile(r"(#|\bGH-)(?=\d)", re.IGNORECASE)


def default_templates() -> Path:
    """The templates shipped with govbot (in the wheel, or the source tree when developing)."""
    return _PACKAGED if _PACKAGED.is_dir() else _SOURCE_TREE


def md_escape(value: Any, *, strict: bool = False, limit: int | None = None) -> str:
    """Text safe to put inline in Markdown: one line, no markup, no HTML, no @mentions.
    `strict` (a status-comment cell): also `|`-safe for tables, no autolinks and no live
    issue references; `limit` clips the text (ending with …) before escaping."""
    text = " ".join(str(value).split())
    if limit is not None and len(text) > limit:
        text = text[:limit - 1] + "…"
    if strict:
        text = _MD_STRICT.sub(r"\\\1", text)
        text = _AUTOLINK.sub(lambda m: m[0][:-1] + "\\" + m[0][-1], text)
    else:
        text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    if strict:
        text = _REFERENCE.sub("\\1\u2060", text)
    # a word joiner after @ stops GitHub from pinging users and teams
    return _MENTION.sub("@\u2060", text)


def environment(repo: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment: repository templates first, then the packaged defaults.

    Built once per process for each template search path (`_environment`); Jinja2 itself
    re-reads a template file that changed on disk, so the cache never serves stale text.

    Sandboxed: a repository's templates run in the privileged job next to the token (and the
    App's private key), so they may call the data's methods but not reach Python internals
    (`''.__class__.__mro__`, `os.environ`) even if a malicious template got merged."""
    paths = [str(default_templates())]
    if repo is not None and (repo / "templates").is_dir():
        paths.insert(0, str((repo / "templates").resolve()))
    return _environment(tuple(paths))


@functools.lru_cache(maxsize=16)
def _environment(paths: tuple[str, ...]) -> jinja2.Environment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(list(paths)),
        autoescape=jinja2.select_autoescape(["html", "xml", "html.j2", "xml.j2"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_escape
    env.filters["imported"] = _imported  # {from, source} of a record from another log, or None
    return env


def _imported(record: Record) -> Mapping[str, str] | None:
    from govbot.record.history import imported_of

    return imported_of(record)


@dataclass(frozen=True, slots=True)
class Links:
    """Where generated Markdown points: absolute github.com URLs when governance.yml names
    the `repository`, else links relative to the repository root (`../../pull/N` resolves
    only on github.com's file view)."""

    repository: str | None = None

    @classmethod
    def of(cls, config: Config | None) -> Links:
        return cls(config.repository if config is not None else None)

    def pr(self, number: int) -> str:
        """A pull request."""
        if self.repository is None:
            return f"../../pull/{number}"
        return f"https://github.com/{self.repository}/pull/{number}"

    def commit(self, sha: str) -> str:
        """A commit."""
        if self.repository is None:
            return f"../../commit/{sha}"
        return f"https://github.com/{self.repository}/commit/{sha}"

    def file(self, path: str) -> str:
        """A file of the repository, on the default branch (`HEAD`)."""
        if self.repository is None:
            return path
        return f"https://github.com/{self.repository}/blob/HEAD/{path}"

    def folder(self, path: str) -> str:
        """A folder of the repository, on the default branch."""
        if self.repository is None:
            return path.rstrip("/") + "/"
        return f"https://github.com/{self.repository}/tree/HEAD/{path.rstrip('/')}"


def render_template(name: str, context: Mapping[str, Any], repo: Path | None = None) -> str:
    return environment(repo).get_template(name).render(**context)


def render_plan_markdown(plan: Plan, records: Sequence[Record],
                         repo: Path | None = None, config: Config | None = None) -> str:
    """PLAN.md: the current plan, each goal and objective with the decisions that shaped it
    (those merged without an approved vote say so)."""
    from govbot.record.history import override_of

    links = Links.of(config)
    titles = {r.id: r.title or "" for r in records if r.id is not None}
    paths = {r.id: links.file(r.path) for r in records if r.id is not None}
    overrides = sorted(r.id for r in records if r.id is not None and override_of(r))
    return render_template("plan.md.j2", {"plan": plan, "titles": titles, "paths": paths,
                                          "overrides": overrides, "links": links,
                                          "labels": STATUS_LABELS}, repo)


_BLANK_RUNS = re.compile(r"\n{3,}")


def tidy_markdown(text: str) -> str:
    """Generated Markdown in a canonical form: no trailing spaces, single blank lines, one
    final newline (so template whitespace never makes `render --check` flap)."""
    lines = "\n".join(line.rstrip() for line in text.splitlines())
    return _BLANK_RUNS.sub("\n\n", lines).strip("\n") + "\n"


def render_changelog(records: Sequence[Record], plan: Plan, config: Config | None,
                     repo: Path | None = None, unvoted: Sequence[Unvoted] = ()) -> str:
    """CHANGELOG.md: the decided records changed without a vote, newest first, then the
    decisions grouped by plan, then by plan version, newest first (Keep a Changelog), then
    the motions not adopted."""
    from govbot.record.history import (
        SECTIONS,
        not_adopted,
        plan_groups,
        releases,
        sorted_unvoted,
    )

    context = {"groups": plan_groups(records, plan, config),
               "releases": releases(records, plan, config), "sections": SECTIONS,
               "links": Links.of(config), "unvoted": sorted_unvoted(unvoted)[::-1],
               "not_adopted": not_adopted(records, config)}
    return tidy_markdown(render_template("changelog.md.j2", context, repo))


def render_decisions_json(records: Sequence[Record], plan: Plan,
                          unvoted: Sequence[Unvoted] = ()) -> str:
    """decisions.json: every record, the current plan and the changes made without a vote
    (schema: decisions.schema.json)."""
    from govbot.record.history import export

    return json.dumps(export(records, plan, unvoted), indent=2, sort_keys=True,
                      ensure_ascii=False) + "\n"


def render_outputs(records: Sequence[Record], config: Config | None,
                   repo: Path | None = None, unvoted: Sequence[Unvoted] = ()
                   ) -> dict[str, bytes]:
    """Every generated file, as the bytes to commit: CHANGELOG.md, PLAN.md, decisions.json.
    `unvoted`: every decided record changed without a vote so far (they are carried from one
    decisions.json to the next: see `record.history.read_published`)."""
    from govbot.model.plan import fold

    ordered = sorted(records, key=lambda r: r.path)
    plan, _ = fold(ordered)
    return {
        "CHANGELOG.md": render_changelog(ordered, plan, config, repo, unvoted).encode("utf-8"),
        "PLAN.md": tidy_markdown(render_plan_markdown(plan, ordered, repo, config)
                                 ).encode("utf-8"),
        "decisions.json": render_decisions_json(ordered, plan, unvoted).encode("utf-8"),
    }
