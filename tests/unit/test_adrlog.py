"""adrlog: the files of adr-tools, MADR and log4brains logs parsed as they are written (the
samples in tests/data/import were written from each format's documentation)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from govbot.model.adrlog import (
    SourceRecord,
    adr_number,
    file_date,
    is_record_name,
    link_target_name,
    parse_source,
    parse_status,
    split_people,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
FOLDERS = {"adr-tools": "adr-tools/doc/adr", "madr": "madr/docs/decisions",
           "log4brains": "log4brains/docs/adr"}


def sample(fmt: str, name: str) -> SourceRecord:
    """One sample file of a format, parsed."""
    return parse_source(fmt, name, (DATA / FOLDERS[fmt] / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("fmt", "name", "expected"), [
    ("adr-tools", "0002-keep-the-member-register-in-a-spreadsheet.md",
     (2, "Keep the member register in a spreadsheet", "superseded", dt.date(2019, 4, 18), (),
      (("superseded by", "0004-keep-the-member-register-in-the-membership-database.md"),))),
    ("adr-tools", "0003-publish-meeting-minutes-within-a-week.md",
     (3, "Publish meeting minutes within a week", "accepted", dt.date(2019, 6, 2), (),
      (("amended by", "0005-publish-meeting-minutes-within-three-days.md"),))),
    ("madr", "0000-use-markdown-architectural-decision-records.md",
     (0, "Use Markdown Architectural Decision Records", "accepted", dt.date(2020, 2, 10),
      ("@amara-osei", "Lucie Fontaine"), ())),
    ("madr", "0002-commission-a-security-audit.md",
     (2, "Commission a security audit of the package mirror", "superseded",
      dt.date(2021, 9, 20), ("Sofia Mendes",),
      (("superseded by", "0003-commission-two-security-audits-a-year.md"),))),
    ("madr", "0005-publish-a-printed-annual-report.md",
     (5, "Publish a printed annual report", "deprecated", dt.date(2020, 11, 2),
      ("amara-osei",), ())),
    ("log4brains", "20210301-publish-the-roadmap-in-the-repository.md",
     (None, "Publish the roadmap in the repository", "accepted", dt.date(2021, 3, 1),
      ("@dawid-kowalczyk", "@lucie-fontaine"),
      (("supersedes", "20201015-keep-the-roadmap-in-a-wiki.md"),))),
    ("log4brains", "20211104-translate-the-site-into-french.md",
     (None, "Translate the site into French", "draft", dt.date(2021, 11, 4), (), ())),
])
def test_samples_parse(fmt: str, name: str, expected: tuple[object, ...]) -> None:
    """Number, title, status word, date, people and links come out of each format's own
    layout (a log4brains record without a Date line is dated by its file name)."""
    record = sample(fmt, name)
    assert (record.number, record.title, record.status, record.date,
            record.people, record.links) == expected


def test_adr_tools_body_drops_what_the_front_matter_carries() -> None:
    """The `# N. Title`, `Date:` line and `## Status` section leave the body; the rest stays."""
    record = sample("adr-tools", "0001-record-architecture-decisions.md")
    assert record.body.startswith("## Context\n\nThe steering group")
    assert "Date:" not in record.body
    assert "## Status" not in record.body


def test_madr_front_matter_keeps_what_is_not_mapped() -> None:
    """MADR's consulted/informed are kept; Jekyll's parent/nav_order/title are dropped."""
    record = sample("madr", "0001-hold-board-meetings-online.md")
    assert record.notes == (("consulted", "the membership committee"),
                            ("informed", "all members"))
    assert record.body.startswith("## Context and Problem Statement")


@pytest.mark.parametrize(("value", "expected"), [
    ("Accepted", ("accepted", ())),
    ("superseded by [ADR-0005](0005-example.md)",
     ("superseded", (("superseded by", "0005-example.md"),))),
    ("Superseded by ADR-0123", ("superseded", (("superseded by", "ADR-0123"),))),
    ("superseded by", ("superseded", ())),
    ("", ("", ())),
])
def test_parse_status(value: str, expected: tuple[str, tuple[tuple[str, str], ...]]) -> None:
    """A status word, or `superseded by` and what it points at (a link or ADR-NNNN)."""
    assert parse_status(value) == expected


def test_unreadable_front_matter_is_a_problem_not_an_error() -> None:
    """Front matter that is not YAML (or not closed) is reported; the text is still read."""
    broken = parse_source("madr", "0001-x.md", "---\nstatus: [accepted\n---\n# Title\n\nText\n")
    assert broken.title == "Title"
    assert broken.problems[0].startswith("the front matter could not be read (")
    open_ended = parse_source("madr", "0001-x.md", "---\nstatus: accepted\n# Title\n")
    assert open_ended.problems == ("the front matter is not closed with a '---' line",)
    listed = parse_source("madr", "0001-x.md", "---\n- a\n---\n# T\n")
    assert listed.problems == ("the front matter is not a mapping of keys to values",)


def test_untitled_record_uses_front_matter_title() -> None:
    """A MADR file whose title is only in the front matter still has one."""
    record = parse_source("madr", "0001-x.md", "---\ntitle: From the front\n---\nText only\n")
    assert record.title == "From the front"


@pytest.mark.parametrize(("fmt", "name", "expected"), [
    ("madr", "0003-x.md", True), ("madr", "adr-template.md", False),
    ("madr", "README.md", False), ("adr-tools", "notes.md", False),
    ("log4brains", "20200101-x.md", True), ("log4brains", "index.md", False),
    ("log4brains", "x.txt", False),
])
def test_is_record_name(fmt: str, name: str, expected: bool) -> None:
    """Record files by the format's naming; indexes and templates are not records."""
    assert is_record_name(fmt, name) is expected


@pytest.mark.parametrize(("target", "expected"), [
    ("0002-x.md", "0002-x.md"), ("./0002-x.md#decision", "0002-x.md"),
    ("../privacy.md", ""), ("https://example.org/0002-x.md", ""), ("/abs.md", ""),
    ("mailto:board@example.org", ""),
])
def test_link_target_name(target: str, expected: str) -> None:
    """Only links to files in the log's own folder name a record."""
    assert link_target_name(target) == expected


def test_small_helpers() -> None:
    """ADR-NNNN references, dates in log4brains file names, and lists of people."""
    assert adr_number("ADR-0007") == 7
    assert adr_number("see ADR-7") is None
    assert file_date("20200924-x.md") == dt.date(2020, 9, 24)
    assert file_date("20201340-x.md") is None
    assert file_date("x.md") is None
    assert split_people("Ann, Bob and Cy; Di") == ("Ann", "Bob", "Cy", "Di")
    assert split_people(["a", " b "]) == ("a", "b")
