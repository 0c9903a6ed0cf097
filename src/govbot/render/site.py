"""The static site (DESIGN §7): the current plan, one page per decision with its vote table,
the changelog and an Atom feed. Pure: records in, `{relative path: bytes}` out.

Every link is relative, so the site works from a GitHub Pages sub-path and from disk; there
are no external assets (styles and the small filter script are inline). User text reaches the
HTML only through Jinja autoescaping, or through markdown-it with raw HTML disabled.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from govbot.model.config import Config
from govbot.model.plan import DECIDED_STATUSES, OBJECTIVE_ID, fold
from govbot.model.records import Record
from govbot.record.history import (
    SECTIONS,
    decided_records,
    describe,
    member_name,
    override_of,
    releases,
)
from govbot.render.outputs import Links, environment

_HEADING = re.compile(r"<(/?)h([1-6])")
# a relative link to a record's Markdown file: `0003-x.md`, `./0003-x.md`,
# `decisions/0003-x.md`, `../decisions/0003-x.md#decision`
_RECORD_LINK = re.compile(r"^(?:\.{1,2}/)*(?:decisions/)?(?P<name>[^/?#:]+\.md)(?P<frag>#.*)?$")
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@dataclass(frozen=True, slots=True)
class Page:
    """One decision as the site shows it."""

    record: Record
    href: str  # relative to the site root
    goals: tuple[str, ...]
    override: dict[str, str] | None

    @property
    def label(self) -> str:
        return f"#{self.record.id} {self.record.title or self.record.filename}"


def page_path(record: Record) -> str:
    """`decisions/0012-slug.html` for `decisions/0012-slug.md`."""
    return f"decisions/{record.filename.removesuffix('.md')}.html"


def goals_of(record: Record) -> tuple[str, ...]:
    """The goals a plan record's changes touch (G2 for `objective: G2.4`)."""
    found = set()
    for change in record.changes:
        goal = change.args.get("goal")
        if isinstance(goal, str):
            found.add(goal)
        match = OBJECTIVE_ID.match(str(change.args.get("objective", "")))
        if match:
            found.add(f"G{match['goal']}")
    return tuple(sorted(found, key=lambda g: (len(g), g)))


def record_link(href: str, pages: Mapping[str, str], prefix: str) -> str:
    """`0003-x.md#y` (or `decisions/0003-x.md`) → `{prefix}0003-x.html#y` when it names a
    record of the site; any other link is returned unchanged."""
    match = _RECORD_LINK.match(href)
    if match is None or match["name"] not in pages:
        return href
    return prefix + pages[match["name"]] + (match["frag"] or "")


def body_html(markdown: str, pages: Mapping[str, str] | None = None,
              prefix: str = "") -> Markup:
    """A record body as HTML: CommonMark, raw HTML escaped, unsafe link schemes dropped,
    headings moved one level down (the page's own headings come first), and relative links
    to records (`0003-x.md`) pointing at their pages (`{prefix}0003-x.html`); `pages` maps
    a record's file name to its page's file name."""
    tokens = _MARKDOWN.parse(markdown)
    for token in tokens:
        for child in token.children or ():
            href = child.attrGet("href") if child.type == "link_open" else None
            if isinstance(href, str) and pages:
                child.attrSet("href", record_link(href, pages, prefix))
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}", html)
    return Markup(html)  # noqa: S704 - markdown-it escapes all text (html=False)


def feed_id(base_url: str, path: str) -> str:
    """A stable Atom id: the page URL under `base_url`, else a name-based UUID URN."""
    if base_url:
        return base_url.rstrip("/") + "/" + path
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'govbot:' + path)}"


def build_site(records: Sequence[Record], config: Config | None, *, base_url: str = "",
               repo: Path | None = None) -> dict[str, bytes]:
    """Every file of the site, keyed by its path relative to the site root. The feed's ids
    and links use `base_url`, else governance.yml's `site_url`."""
    if not base_url and config is not None and config.site_url:
        base_url = config.site_url
    ordered = sorted(records, key=lambda r: (r.id or 0, r.path))
    plan, _ = fold(ordered)
    pages = [Page(r, page_path(r), goals_of(r), override_of_dict(r)) for r in ordered]
    by_id = {p.record.id: p for p in pages if p.record.id is not None}
    names = {p.record.filename: p.href.removeprefix("decisions/") for p in pages}
    env = environment(repo)
    common: dict[str, Any] = {
        "plan": plan, "pages": pages, "by_id": by_id, "sections": SECTIONS,
        "releases": releases(ordered, plan, config),
        "name": lambda login, user_id=None: member_name(config, login, user_id),
        "statuses": sorted({p.record.status or "unknown" for p in pages}),
        "kinds": sorted({p.record.kind or "unknown" for p in pages}),
        "goal_ids": sorted({g for p in pages for g in p.goals}, key=lambda g: (len(g), g)),
        "links": Links.of(config), "describe": describe,
    }
    out: dict[str, bytes] = {}

    def render(template: str, path: str, **context: Any) -> None:
        root = "../" * path.count("/")
        text = env.get_template(template).render(**common, **context, root=root, here=path)
        out[path] = text.encode("utf-8")

    render("site/index.html.j2", "index.html")
    render("site/changelog.html.j2", "changelog.html")
    for page in pages:
        render("site/decision.html.j2", page.href, page=page,
               body=body_html(page.record.body, names))
    decided = list(reversed(decided_records(ordered)))
    feed_prefix = (base_url.rstrip("/") + "/" if base_url else "") + "decisions/"
    entries = [(by_id[r.id], feed_id(base_url, page_path(r)),
                str(body_html(r.body, names, feed_prefix)))
               for r in decided if r.id in by_id and r.status in DECIDED_STATUSES]
    updated = max((r.decided for r in decided if r.decided), default=None)
    out["feed.xml"] = env.get_template("site/feed.xml.j2").render(
        entries=entries, updated=updated, base_url=base_url,
        feed_id=feed_id(base_url, "feed.xml")).encode("utf-8")
    return dict(sorted(out.items()))


def override_of_dict(record: Record) -> dict[str, str] | None:
    value = override_of(record)
    return dict(value) if value is not None else None
