"""An existing decision log as data (DESIGN §13): one file of adr-tools, MADR or log4brains
parsed into a `SourceRecord`, what `govbot import` converts into a govbot record.

The three formats, as their documentation describes them:
- adr-tools (Nygard): `NNNN-slug.md`; `# N. Title`, a `Date:` line, a `## Status` section
  with the status word and link lines (`Superseded by [4. Title](0004-slug.md)`,
  `Supersedes …`, `Amends …`, `Amended by …`).
- MADR: `NNNN-slug.md`; since MADR 3, optional YAML front matter (`status`, `date`,
  `decision-makers` or `deciders`, `consulted`, `informed`; site generators add keys such as
  `parent` or `nav_order`); MADR 2 puts `* Status:`, `* Deciders:`, `* Date:` under the
  title instead. A superseded status reads `superseded by [ADR-0005](0005-slug.md)` or
  `superseded by ADR-0005`. The first record of a MADR 2 log is number 0000.
- log4brains: MADR 2-style records named `YYYYMMDD-slug.md`, `- Status:`, `- Date:`,
  `- Deciders:`, `- Tags:`; `## Links` lists `Supersedes [title](file.md)`.

Pure: file text in, data out; nothing here reads the disk or raises for a bad file (what
cannot be read becomes a `problem` the import reports).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from govbot.model.errors import RecordError
from govbot.model.yamlio import load_yaml

FORMATS = ("adr-tools", "madr", "log4brains")
# files in a log that are not records: indexes, templates, tables of contents
NOT_RECORDS = ("readme.md", "index.md", "template.md", "adr-template.md",
               "adr-template-bare.md", "adr-template-minimal.md", "toc.md")
_NUMBERED = re.compile(r"^(?P<number>\d{1,4})-[^/]+\.md$")
_DATED = re.compile(r"^(?P<date>\d{8})-[^/]+\.md$")
_TITLE = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t#]*$")
_NUMBERED_TITLE = re.compile(r"^\d+\.\s+(?P<title>.+)$")
_DATE = re.compile(r"\b(?P<date>\d{4}-\d{2}-\d{2})\b")
_META_LINE = re.compile(r"^[*-][ \t]+(?P<key>[A-Za-z][A-Za-z -]*?)[ \t]*:[ \t]*(?P<value>.*)$")
_LINK_LINE = re.compile(r"^[*-]?[ \t]*(?P<relation>[A-Za-z][A-Za-z ]*?)[ \t]+"
                        r"\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)[ \t]*\.?$")
_ADR_NUMBER = re.compile(r"(?i)\bADR[- ]?(?P<number>\d{1,4})\b")
_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")
# relations that name the record replacing this one / replaced by this one
SUPERSEDED_BY = "superseded by"
SUPERSEDES = "supersedes"
_HEADING2 = re.compile(r"^##[ \t]+(?P<title>.+?)[ \t#]*$")
# front-matter keys of MADR itself; others (Jekyll's parent, nav_order, layout…) only place
# the page on a documentation site
_MADR_PEOPLE = ("decision-makers", "deciders")
_SITE_KEYS = ("parent", "nav_order", "grand_parent", "layout", "title", "has_children",
              "permalink", "nav_exclude", "sidebar_position", "sidebar_label", "tags",
              "description")


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One record of an existing log, as its file says it.

    `status` is the status word in lowercase ('' when none); `links` are (relation in
    lowercase, target) pairs, the target a file name or `ADR-NNNN`; `people` the deciders
    or authors as written; `notes` metadata kept in the body as `key: value` lines;
    `problems` what could not be read."""

    name: str
    number: int | None
    title: str
    status: str
    date: dt.date | None
    people: tuple[str, ...]
    links: tuple[tuple[str, str], ...]
    body: str
    notes: tuple[tuple[str, str], ...] = ()
    problems: tuple[str, ...] = ()


def is_record_name(fmt: str, name: str) -> bool:
    """Whether a file name in the log is a record of the format (not an index or template)."""
    if not name.endswith(".md") or name.lower() in NOT_RECORDS:
        return False
    if fmt == "log4brains":
        return True
    return _NUMBERED.match(name) is not None


def file_number(fmt: str, name: str) -> int | None:
    """The record's number in its own log (adr-tools, MADR), from the file name."""
    match = _NUMBERED.match(name) if fmt != "log4brains" else None
    return int(match["number"]) if match else None


def file_date(name: str) -> dt.date | None:
    """The date in a log4brains file name (`20200924-…` → 2020-09-24)."""
    match = _DATED.match(name)
    if not match:
        return None
    try:
        return dt.datetime.strptime(match["date"], "%Y%m%d").date()
    except ValueError:
        return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.search(str(value or ""))
    if match:
        try:
            return dt.date.fromisoformat(match["date"])
        except ValueError:
            return None
    return None


def split_people(value: Any) -> tuple[str, ...]:
    """Deciders as written: a YAML list, or text separated by commas, semicolons or 'and'."""
    items = value if isinstance(value, list) else re.split(r",|;|\band\b", str(value or ""))
    return tuple(text for item in items if (text := " ".join(str(item).split())))


def parse_status(value: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """`superseded by [ADR-0005](0005-x.md)` → ('superseded', (('superseded by', '0005-x.md'),));
    `Accepted` → ('accepted', ())."""
    text = " ".join(value.split())
    lowered = text.lower()
    if lowered.startswith(SUPERSEDED_BY):
        rest = text[len(SUPERSEDED_BY):].strip()
        link = _LINK.search(rest)
        number = _ADR_NUMBER.search(rest)
        target = link["target"] if link else (number[0] if number else rest)
        return "superseded", ((SUPERSEDED_BY, target),) if target else ()
    return (lowered.split()[0] if lowered.split() else ""), ()


def _title(lines: list[str], fmt: str) -> tuple[str, int]:
    """The first `# ` heading (adr-tools' `N. ` taken off) and the index after it."""
    for index, line in enumerate(lines):
        match = _TITLE.match(line)
        if match:
            title = match["title"].strip()
            numbered = _NUMBERED_TITLE.match(title) if fmt == "adr-tools" else None
            return (numbered["title"] if numbered else title), index + 1
        if line.strip() and not line.lstrip().startswith("<!--"):
            break
    return "", 0


def _front_matter(text: str, name: str) -> tuple[dict[str, Any], str, list[str]]:
    """(front matter, the rest, problems) of a file that may start with `---`."""
    if not text.startswith("---"):
        return {}, text, []
    lines = text.splitlines(keepends=True)
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            try:
                data = load_yaml("".join(lines[1:index]), path=name, first_line=2).data
            except RecordError as exc:
                return {}, "".join(lines[index + 1:]), [f"the front matter could not be read "
                                                        f"({exc.message}); only the text was "
                                                        "imported"]
            rest = "".join(lines[index + 1:])
            if not isinstance(data, dict):
                return {}, rest, ["the front matter is not a mapping of keys to values"]
            return data, rest, []
    return {}, text, ["the front matter is not closed with a '---' line"]


def _metadata_list(lines: list[str], start: int) -> tuple[dict[str, str], int]:
    """MADR 2 / log4brains `* Key: value` lines under the title → ({key: value}, end)."""
    found: dict[str, str] = {}
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    while index < len(lines):
        match = _META_LINE.match(lines[index].strip())
        if not match:
            break
        found.setdefault(match["key"].strip().lower(), match["value"].strip())
        index += 1
    return found, index


def _strip_blank(lines: list[str]) -> str:
    text = "\n".join(lines).strip("\n")
    return text + "\n" if text else ""


def _body_links(body: str) -> tuple[tuple[str, str], ...]:
    """`Supersedes [title](file.md)` lines anywhere in the body (log4brains' ## Links)."""
    return tuple((match["relation"].strip().lower(), match["target"])
                 for line in body.splitlines()
                 if (match := _LINK_LINE.match(line.strip()))
                 and match["relation"].strip().lower() == SUPERSEDES)


def parse_adr_tools(name: str, text: str) -> SourceRecord:
    """An adr-tools record: `# N. Title`, `Date:`, and the `## Status` section."""
    lines = text.splitlines()
    title, start = _title(lines, "adr-tools")
    date: dt.date | None = None
    status = ""
    links: list[tuple[str, str]] = []
    body: list[str] = []
    in_status = False
    for line in lines[start:]:
        heading = _HEADING2.match(line)
        if heading:
            in_status = heading["title"].strip().lower() == "status"
            if in_status:
                continue
        if in_status:
            link = _LINK_LINE.match(line.strip())
            if link:
                links.append((link["relation"].strip().lower(), link["target"]))
            elif line.strip() and not status:
                status = parse_status(line)[0]
            continue
        if date is None and line.lower().startswith("date:"):
            date = _date(line)
            continue
        body.append(line)
    if not status and any(relation == SUPERSEDED_BY for relation, _ in links):
        status = "superseded"  # `adr new -s` removes "Accepted" and adds the link
    return SourceRecord(name, file_number("adr-tools", name), title, status, date, (),
                        tuple(links), _strip_blank(body))


def parse_madr(name: str, text: str, fmt: str = "madr") -> SourceRecord:
    """A MADR record (front matter or MADR 2's list under the title); log4brains records are
    MADR 2 with date-named files."""
    front, rest, problems = _front_matter(text, name)
    lines = rest.splitlines()
    title, start = _title(lines, fmt)
    listed, end = _metadata_list(lines, start)
    fields: dict[str, Any] = {**{k.lower(): v for k, v in listed.items()},
                              **{str(k).lower(): v for k, v in front.items()}}
    status, links = parse_status(str(fields.get("status") or ""))
    people = next((split_people(fields[key]) for key in (*_MADR_PEOPLE, "authors")
                   if fields.get(key)), ())
    # keys that only place the page on a documentation site are dropped when they come from
    # front matter; everything else not mapped is kept in the body as `key: value`
    skipped = {"status", "date", "authors", *_MADR_PEOPLE, *(set(_SITE_KEYS) - set(listed))}
    notes = tuple((key, ", ".join(split_people(value)) if isinstance(value, list)
                   else str(value))
                  for key, value in fields.items()
                  if key not in skipped and value not in (None, ""))
    if not title and isinstance(front.get("title"), str):
        title = front["title"].strip()
    body = _strip_blank(lines[end if listed else start:])
    date = _date(fields.get("date")) or (file_date(name) if fmt == "log4brains" else None)
    return SourceRecord(name, file_number(fmt, name), title, status, date, people,
                        (*links, *_body_links(body)), body, notes, tuple(problems))


def parse_source(fmt: str, name: str, text: str) -> SourceRecord:
    """One file of a log in format `fmt` (one of FORMATS)."""
    if fmt == "adr-tools":
        return parse_adr_tools(name, text)
    return parse_madr(name, text, fmt)


def link_target_name(target: str) -> str:
    """The file name a relative link points at (`./0002-x.md#y` → `0002-x.md`); '' for links
    that leave the folder or the site (`../x.md`, `https://…`)."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    if "://" in path or path.startswith(("/", "mailto:")):
        return ""
    path = path.removeprefix("./")
    return path if path and "/" not in path else ""


def adr_number(target: str) -> int | None:
    """`ADR-0005` → 5 (a reference by number, as MADR writes a status without a link)."""
    match = _ADR_NUMBER.fullmatch(target.strip())
    return int(match["number"]) if match else None
