"""The static site (DESIGN §12): the current plan with its progress, the decisions (with a
filter kept in the URL), one page per decision with its full audit record, the changelog, a
timeline of plan versions, a page per past plan, and an Atom feed. Pure: records in,
`{relative path: bytes}` out.

Every link is relative, so the site works from a GitHub Pages sub-path and from disk; there
are no external assets. The one stylesheet and the one small script are inline, allowed by
their SHA-256 hashes in each page's Content-Security-Policy (no 'unsafe-inline'). User text
reaches the HTML only through Jinja autoescaping, or through markdown-it with raw HTML disabled
(shown as text; HTML comments are dropped first, never shown). Control characters that
XML forbids are stripped from every file, so the feed is always well-formed.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from govbot.model.config import Config
from govbot.model.plan import (
    OBJECTIVE_ID,
    PROGRESS_STATUSES,
    STATUS_LABELS,
    Plan,
    fold,
    progress_entries,
)
from govbot.model.records import Record, slugify
from govbot.model.vocab import DECIDED
from govbot.record.history import (
    SECTIONS,
    decided_records,
    describe,
    member_name,
    not_adopted,
    override_of,
    plan_groups,
)
from govbot.render.outputs import Links, environment

FEED_ENTRIES = 50  # the Atom feed holds the latest 50 decisions (DESIGN §12)
RECENT = 5  # decisions listed on the home page
DEFAULT_BODY = "default"
_HEADING = re.compile(r"<(/?)h([1-6])")
# a relative link to a record's Markdown file: `0003-x.md`, `./0003-x.md`,
# `decisions/0003-x.md`, `../decisions/0003-x.md#decision`
_RECORD_LINK = re.compile(r"^(?:\.{1,2}/)*(?:decisions/)?(?P<name>[^/?#:]+\.md)(?P<frag>#.*)?$")
# a code span (kept as it is) or an HTML comment (dropped; an unclosed one runs to the end)
_SPAN_OR_COMMENT = re.compile(r"(?P<code>(?P<ticks>`+).*?(?<!`)(?P=ticks)(?!`))"
                              r"|<!--.*?(?:-->|\Z)", re.DOTALL)
# Characters XML 1.0 forbids (and C1 controls, which no text means): stripped from every file
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_CSP = "__GOVBOT_CSP__"


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def strip_comments(markdown: str) -> str:
    """The Markdown without its HTML comments (`<!-- guidance -->`), which a reader must not
    see as text; comments inside code blocks and code spans are code, and stay."""
    lines = markdown.splitlines(keepends=True)
    code = [(t.map[0], t.map[1]) for t in _MARKDOWN.parse(markdown)
            if t.type in ("fence", "code_block") and t.map]
    out: list[str] = []
    start = 0
    for first, end in [*code, (len(lines), len(lines))]:
        out.append(_SPAN_OR_COMMENT.sub(lambda m: m["code"] or "", "".join(lines[start:first])))
        out.append("".join(lines[first:end]))
        start = end
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Vote:
    """One entry of a decision's audit record, as stamped (reasons and recusals included)."""

    member: str
    id: int | None
    vote: str
    at: str
    commit: str
    reason: str
    via: str


@dataclass(frozen=True, slots=True)
class Page:
    """One decision as the site shows it."""

    record: Record
    href: str  # relative to the site root
    goals: tuple[str, ...]
    override: dict[str, str] | None
    body: str = DEFAULT_BODY  # the governing body that decides it (DESIGN §4)

    @property
    def label(self) -> str:
        return f"#{self.record.id} {self.record.title or self.record.filename}"

    @property
    def votes(self) -> tuple[Vote, ...]:
        return audit_votes(self.record)

    @property
    def progress(self) -> list[tuple[int, str, str, str | None]]:
        return progress_entries(self.record)


def audit_votes(record: Record) -> tuple[Vote, ...]:
    """The stamped votes in the order they were cast, with every field the audit record
    keeps (`reason`, `via`), read as written so nothing the stamp recorded is dropped."""
    raw = record.front.get("votes")
    out = []
    for item in raw if isinstance(raw, list) else ():
        if not isinstance(item, dict):
            continue
        at = item.get("at")
        user_id = item.get("id")
        out.append(Vote(
            str(item.get("member") or ""),
            user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None,
            str(item.get("vote") or ""),
            at.isoformat() if isinstance(at, dt.date) else str(at or ""),
            str(item.get("commit") or ""),
            " ".join(str(item.get("reason") or "").split()),
            str(item.get("via") or "")))
    return tuple(sorted(out, key=lambda v: (v.at, v.member)))


def page_path(record: Record) -> str:
    """`decisions/0012-slug.html` for `decisions/0012-slug.md`."""
    return f"decisions/{record.filename.removesuffix('.md')}.html"


def plan_path(plan: Plan) -> str:
    """`plans/1-strategic-plan-2021-2024.html`: a past plan's page."""
    return f"plans/{plan.period}-{slugify(plan.name)}.html"


def _goal_key(goal: str) -> tuple[int, str]:
    return (len(goal), goal)


def goals_of(record: Record) -> tuple[str, ...]:
    """The goals a record touches: those its changes name (G2 for `objective: G2.4`) and,
    for a review, those whose objectives it assessed."""
    found = set()
    objectives = [str(change.args.get("objective", "")) for change in record.changes]
    objectives += [objective for _, objective, _, _ in progress_entries(record)]
    for change in record.changes:
        goal = change.args.get("goal")
        if isinstance(goal, str):
            found.add(goal)
        keep = change.args.get("keep")
        if isinstance(keep, list):
            found.update(k for k in keep if isinstance(k, str))
    for objective in objectives:
        match = OBJECTIVE_ID.match(objective)
        if match:
            found.add(f"G{match['goal']}")
    return tuple(sorted(found, key=_goal_key))


def body_of(record: Record) -> str:
    """The governing body a record names (`body:`), else the default body."""
    value = record.front.get("body")
    return value.strip() if isinstance(value, str) and value.strip() else DEFAULT_BODY


def record_link(href: str, pages: Mapping[str, str], prefix: str) -> str:
    """`0003-x.md#y` (or `decisions/0003-x.md`) → `{prefix}0003-x.html#y` when it names a
    record of the site; any other link is returned unchanged."""
    match = _RECORD_LINK.match(href)
    if match is None or match["name"] not in pages:
        return href
    return prefix + pages[match["name"]] + (match["frag"] or "")


def body_html(markdown: str, pages: Mapping[str, str] | None = None,
              prefix: str = "") -> Markup:
    """A record body as HTML: CommonMark, HTML comments dropped and any other raw HTML
    escaped (shown as text), unsafe link schemes dropped, headings moved one level down (the
    page's own headings come first), and relative links to records (`0003-x.md`) pointing at
    their pages (`{prefix}0003-x.html`); `pages` maps a record's file name to its page's file
    name."""
    tokens = _MARKDOWN.parse(strip_comments(markdown))
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


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 forbids (a control character pasted into a record
    body must never make the feed unreadable)."""
    return _FORBIDDEN.sub("", text)


def bar_segments(counts: Sequence[tuple[str | None, int]]) -> list[tuple[str, str, str, int]]:
    """The stacked progress bar: (css status, x %, width %, count) for each status."""
    total = sum(n for _, n in counts)
    out, x = [], 0.0
    for status, n in counts:
        width = 100 * n / total if total else 0
        out.append((status or "not-reviewed", f"{x:.2f}", f"{width:.2f}", n))
        x += width
    return out


def counts_text(counts: Sequence[tuple[str | None, int]]) -> str:
    """`3 on track, 1 at risk, 2 not yet reviewed`."""
    return ", ".join(f"{n} {STATUS_LABELS[s].lower()}" for s, n in counts) or "no objectives"


def _csp(style: str, script: str) -> str:
    def digest(text: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()
                                            ).decode("ascii")
    scripts = f"'{digest(script)}'" if script else "'none'"
    return (f"default-src 'none'; img-src 'self' data:; style-src '{digest(style)}'; "
            f"script-src {scripts}; base-uri 'none'; form-action 'none'")


def _with_csp(html: str) -> str:
    """Fill the page's CSP with the hashes of its own inline style and script."""
    style = _STYLE.search(html)
    scripts = _SCRIPT.findall(html)
    return html.replace(_CSP, _csp(style[1] if style else "", scripts[0] if scripts else ""), 1)


def build_site(records: Sequence[Record], config: Config | None, *, base_url: str = "",
               repo: Path | None = None) -> dict[str, bytes]:
    """Every file of the site, keyed by its path relative to the site root. The feed's ids
    and links use `base_url`, else governance.yml's `site_url`."""
    if not base_url and config is not None and config.site_url:
        base_url = config.site_url
    ordered = sorted(records, key=lambda r: (r.id or 0, r.path))
    plan, _ = fold(ordered)
    pages = [Page(r, page_path(r), goals_of(r), override_of_dict(r), body_of(r))
             for r in ordered]
    by_id = {p.record.id: p for p in pages if p.record.id is not None}
    names = {p.record.filename: p.href.removeprefix("decisions/") for p in pages}
    env = environment(repo)
    decided = list(reversed(decided_records(ordered)))
    updated = max((r.decided for r in decided if r.decided), default=None)
    links = Links.of(config)
    goal_titles = {g.id: g.title for g in plan.goals}
    organisation = config.organisation if config is not None else None
    site_name = " · ".join(x for x in (organisation, plan.name) if x)
    common: dict[str, Any] = {
        "plan": plan, "pages": pages, "by_id": by_id, "sections": SECTIONS,
        "groups": plan_groups(ordered, plan, config),
        "not_adopted": not_adopted(ordered, config),
        "name": lambda login, user_id=None: member_name(config, login, user_id),
        "statuses": sorted({p.record.status or "unknown" for p in pages}),
        "kinds": sorted({p.record.kind or "unknown" for p in pages}),
        "bodies": sorted({p.body for p in pages}),
        "goal_ids": sorted({g for p in pages for g in p.goals}, key=_goal_key),
        "goal_titles": goal_titles,
        "links": links, "describe": describe, "organisation": organisation,
        "site_name": site_name, "updated": updated, "labels": STATUS_LABELS,
        "progress_statuses": PROGRESS_STATUSES, "bar": bar_segments,
        "counts_text": counts_text, "plan_path": plan_path,
        "entry_lines": lambda e: [(s, line) for s in SECTIONS for line in e.changes_in(s)],
        "repository_url": (f"https://github.com/{links.repository}" if links.repository
                           else None),
        "recent": [by_id[r.id] for r in decided if r.id in by_id][:RECENT],
        "csp": _CSP,
    }
    out: dict[str, bytes] = {}

    def render(template: str, path: str, **context: Any) -> None:
        root = "../" * path.count("/")
        text = env.get_template(template).render(**common, **context, root=root, here=path)
        out[path] = _with_csp(xml_safe(text)).encode("utf-8")

    render("site/index.html.j2", "index.html")
    render("site/decisions.html.j2", "decisions.html")
    render("site/changelog.html.j2", "changelog.html")
    render("site/plans.html.j2", "plans.html")
    for past in plan.past:
        render("site/past-plan.html.j2", plan_path(past), shown=past)
    for page in pages:
        render("site/decision.html.j2", page.href, page=page,
               body=body_html(page.record.body, names))
    feed_prefix = (base_url.rstrip("/") + "/" if base_url else "") + "decisions/"
    entries = [(by_id[r.id], feed_id(base_url, page_path(r)),
                str(body_html(r.body, names, feed_prefix)))
               for r in decided if r.id in by_id and r.status in DECIDED
               ][:FEED_ENTRIES]
    feed = env.get_template("site/feed.xml.j2").render(
        **common, entries=entries, base_url=base_url, feed_id=feed_id(base_url, "feed.xml"))
    out["feed.xml"] = xml_safe(feed).encode("utf-8")
    return dict(sorted(out.items()))


def override_of_dict(record: Record) -> dict[str, str] | None:
    value = override_of(record)
    return dict(value) if value is not None else None
