"""importer: an existing log's records → govbot records that `govbot check` accepts, and a
report of everything that was not carried over as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from govbot.model.adrlog import SourceRecord
from govbot.model.errors import UsageError
from govbot.model.records import parse_record
from govbot.record.importer import (
    FileHistory,
    ImportResult,
    assign_ids,
    convert_log,
    login_from_email,
    login_from_name,
)
from govbot.rules.checks import check_records

TODAY = dt.date(2026, 12, 1)
DAY = dt.date(2021, 3, 1)


def src(name: str, status: str = "accepted", *, number: int | None = None, title: str = "T",
        date: dt.date | None = DAY, people: tuple[str, ...] = ("@alice",),
        links: tuple[tuple[str, str], ...] = (), body: str = "Text.\n") -> SourceRecord:
    """A parsed record of a log."""
    if number is None and name[:4].isdigit():
        number = int(name[:4])
    return SourceRecord(name, number, title, status, date, people, links, body)


def convert(sources: list[SourceRecord], *, taken: frozenset[int] = frozenset(),
            histories: dict[str, FileHistory] | None = None,
            fallback: str | None = "secretary") -> ImportResult:
    """convert_log with the usual arguments."""
    return convert_log(sources, "madr", prefix="docs/decisions/", kind="policy",
                       taken=set(taken), histories=histories or {}, fallback_author=fallback,
                       today=TODAY)


def fronts(result: ImportResult) -> dict[str, dict[str, object]]:
    """Each written record's front matter, by path."""
    return {path: dict(parse_record(path, text).front) for path, text in result.files.items()}


def notes(result: ImportResult) -> list[str]:
    return result.notes


@pytest.mark.parametrize(("numbers", "taken", "expected"), [
    ([1, 2, 5], set(), [1, 2, 5]),        # the log's own numbers
    ([0, 1, 2], set(), [1, 2, 3]),        # MADR's record 0000: every record moves up
    ([1, 2], {1}, [2, 3]),                # the repository already has record 1
    ([3, 3], set(), [1, 2]),              # duplicates
    ([1, 2], {7}, [8, 9]),                # after the repository's highest id
])
def test_assign_ids(numbers: list[int], taken: set[int], expected: list[int]) -> None:
    """Ids keep the log's numbers when they all fit and are free, else follow on in order."""
    sources = [src(f"{n:04d}-r{i}.md", number=n) for i, n in enumerate(numbers)]
    assert list(assign_ids(sources, taken).values()) == expected


def test_assign_ids_refuses_a_full_repository() -> None:
    """More records than free four-digit ids is a usage error, before anything is written."""
    with pytest.raises(UsageError, match="only 1 ids are free"):
        assign_ids([src("0001-a.md"), src("0002-b.md")], {9998})


@pytest.mark.parametrize(("status", "expected", "note"), [
    ("accepted", "accepted", None),
    ("deprecated", "retired", None),
    ("rejected", "rejected", None),
    ("draft", "draft", None),
    ("proposed", "draft", "status proposed → draft: a proposal goes to the committee in a pull "
     "request that sets status: proposed"),
    ("rfc", "draft", "status 'rfc' has no govbot equivalent; imported as draft"),
    ("", "draft", "no status found; imported as draft"),
    ("superseded", "retired", "superseded, but it does not say by which record; imported as "
     "retired"),
])
def test_status_map(status: str, expected: str, note: str | None) -> None:
    """Each log status becomes a govbot status; what has no equivalent is reported."""
    result = convert([src("0001-a.md", status)])
    front = fronts(result)["decisions/0001-t.md"]
    assert front["status"] == expected
    assert ("decided" in front) is (expected in ("accepted", "retired", "rejected"))
    assert notes(result) == ([f"docs/decisions/0001-a.md: {note}"] if note else [])


def test_supersede_links_are_made_consistent() -> None:
    """`superseded by` on the old record alone is enough: the newer one lists it under
    supersedes; other relations (amends, clarifies) become related."""
    result = convert([
        src("0001-old.md", "superseded", title="Old", links=(("superseded by", "0002-new.md"),)),
        src("0002-new.md", title="New", links=(("amends", "0003-other.md"),)),
        src("0003-other.md", title="Other"),
    ])
    found = fronts(result)
    assert found["decisions/0001-old.md"]["superseded_by"] == 2
    assert found["decisions/0002-new.md"]["supersedes"] == [1]
    assert found["decisions/0002-new.md"]["related"] == [3]
    assert notes(result) == []


def test_superseding_what_is_not_accepted_becomes_related() -> None:
    """A record that says it supersedes a rejected one (which govbot's rules do not allow)
    lists it under related instead, and the report says so."""
    result = convert([src("0001-a.md", "rejected", title="A"),
                      src("0002-b.md", title="B", links=(("supersedes", "0001-a.md"),))])
    front = fronts(result)["decisions/0002-b.md"]
    assert "supersedes" not in front
    assert front["related"] == [1]
    assert notes(result) == ["docs/decisions/0002-b.md: supersedes docs/decisions/0001-a.md, "
                             "which is rejected here; listed under related instead"]


def test_superseded_by_a_record_number_without_a_link() -> None:
    """MADR's `superseded by ADR-0002` (no link) finds record 2 by its number; a
    superseded_by on a record that is not superseded becomes related."""
    result = convert([
        src("0001-a.md", "superseded", title="A", links=(("superseded by", "ADR-0002"),)),
        src("0002-b.md", title="B"),
        src("0003-c.md", title="C", links=(("superseded by", "0002-b.md"),)),
    ])
    found = fronts(result)
    assert found["decisions/0001-a.md"]["superseded_by"] == 2
    assert found["decisions/0003-c.md"]["related"] == [2]
    assert "superseded_by" not in found["decisions/0003-c.md"]


def test_links_to_unknown_records_are_reported() -> None:
    """A link to a file that is not a record of the log is left out, and reported."""
    result = convert([src("0001-a.md", links=(("amends", "0009-gone.md"),))])
    assert notes(result) == ["docs/decisions/0001-a.md: the link to '0009-gone.md' is not a "
                             "record of this log; left out"]


def test_dates_from_the_file_and_git() -> None:
    """created: the earliest of the record's date and the commit that added it; decided:
    the record's date, else the last commit; no date at all is reported."""
    history = {"0001-a.md": FileHistory(dt.date(2021, 2, 1), dt.date(2021, 4, 1), ()),
               "0002-b.md": FileHistory(dt.date(2021, 2, 1), dt.date(2021, 4, 1), ())}
    result = convert([src("0001-a.md", title="A"), src("0002-b.md", title="B", date=None),
                      src("0003-c.md", title="C", date=None),
                      src("0004-d.md", title="D", date=dt.date(2030, 1, 1))], histories=history)
    found = fronts(result)
    assert (found["decisions/0001-a.md"]["created"], found["decisions/0001-a.md"]["decided"]) \
        == (dt.date(2021, 2, 1), DAY)
    assert found["decisions/0002-b.md"]["decided"] == dt.date(2021, 4, 1)
    assert found["decisions/0003-c.md"]["created"] == TODAY
    assert found["decisions/0004-d.md"]["created"] == TODAY
    assert notes(result) == [
        "docs/decisions/0003-c.md: no date in the file or in git; created is today "
        "(2026-12-01), correct it before you commit",
        "docs/decisions/0004-d.md: its date 2030-01-01 is in the future; created is today"]


def test_authors_from_git_then_the_file_then_the_fallback() -> None:
    """Whoever committed the file (noreply address) wrote it; else the deciders written as
    logins; else --author, reported; names that are not logins stay in the body."""
    history = {"0001-a.md": FileHistory(DAY, DAY, ("123+amara-osei@users.noreply.github.com",))}
    result = convert([src("0001-a.md", title="A"),
                      src("0002-b.md", title="B", people=("@bob", "Carol Diaz")),
                      src("0003-c.md", title="C", people=("Dana Eze",))], histories=history)
    found = fronts(result)
    assert found["decisions/0001-a.md"]["authors"] == ["amara-osei"]
    assert found["decisions/0002-b.md"]["authors"] == ["bob"]
    assert found["decisions/0003-c.md"]["authors"] == ["secretary"]
    assert "- Decision-makers: @bob, Carol Diaz\n" in result.files["decisions/0002-b.md"]
    assert notes(result) == [
        "docs/decisions/0002-b.md: Carol Diaz: not a GitHub login, so not an author; kept in "
        "the body",
        "docs/decisions/0003-c.md: Dana Eze: not a GitHub login, so not an author; kept in the "
        "body",
        "docs/decisions/0003-c.md: no GitHub login in git or in the file; authors: "
        "[secretary] (--author)"]


def test_no_author_and_no_fallback_is_a_usage_error() -> None:
    """Without any login and without --author the import stops and says what to pass."""
    with pytest.raises(UsageError, match=r"0001-a.md: who wrote it\? .* pass --author LOGIN"):
        convert([src("0001-a.md", people=())], fallback=None)


@pytest.mark.parametrize(("email", "expected"), [
    ("123+alice@users.noreply.github.com", "alice"), ("bob@users.noreply.github.com", "bob"),
    ("alice@example.org", None), ("-x@users.noreply.github.com", None),
])
def test_login_from_email(email: str, expected: str | None) -> None:
    """Only GitHub's noreply addresses name a login."""
    assert login_from_email(email) == expected


@pytest.mark.parametrize(("person", "expected"), [
    ("@alice", "alice"), ("https://github.com/bob/", "bob"), ("amara-osei", "amara-osei"),
    ("Amara Osei", None), ("Alice", None), ("@not a login", None),
])
def test_login_from_name(person: str, expected: str | None) -> None:
    """@logins, profile URLs and bare lowercase logins are logins; names are not."""
    assert login_from_name(person) == expected


def test_body_links_are_rewritten_to_the_new_files() -> None:
    """Links between records point at the new file names (anchors kept), reference-style
    links too; links outside the log are kept and reported; the old numbers in the text
    are reported when ids moved."""
    body = ("See [ADR-0000](0000-first.md#decision) and [b](./0001-second.md).\n\n"
            "[ref]: 0001-second.md \"title\"\n[site]: https://example.org\n"
            "Also [notes](../notes.md).\n")
    result = convert([src("0000-first.md", title="First"),
                      src("0001-second.md", title="Second", body=body)])
    text = result.files["decisions/0002-second.md"]
    assert "[ADR-0000](0001-first.md#decision) and [b](0002-second.md)" in text
    assert "[ref]: 0002-second.md \"title\"\n[site]: https://example.org\n" in text
    assert notes(result) == [
        "docs/decisions/0001-second.md: it is record 2 now, and its text still refers to "
        "records by the log's old numbers (e.g. 'ADR-0000'); update them if it matters",
        "docs/decisions/0001-second.md: the link to '../notes.md' points outside the decision "
        "log and was kept as it was; check it"]


def test_titles_are_made_fit() -> None:
    """A missing title comes from the file name; a long one is shortened; both reported."""
    result = convert([src("0001-keep-a-log.md", title=""),
                      src("0002-b.md", title="word " * 30)])
    titles = [f["title"] for f in fronts(result).values()]
    assert titles[0] == "Keep a log"
    assert len(str(titles[1])) <= 100
    assert str(titles[1]).endswith("…")
    assert [n.split(": ", 1)[1][:30] for n in notes(result)] == [
        "no '# Title' line; the title i", "the title is longer than 100 c"]


def test_every_converted_record_passes_the_checks() -> None:
    """What the import writes is what `govbot check` accepts: the round trip through the
    parser and every per-record and repository-wide rule gives no finding."""
    result = convert([
        src("0000-a.md", "superseded", title="A: the first", links=(("superseded by",
                                                                      "0001-b.md"),)),
        src("0001-b.md", title="B — «quoted» #1", people=("Ann Lee",)),
        src("0002-c.md", "proposed", title="C"),
        src("0003-d.md", "deprecated", title="D"),
    ])
    records = [parse_record(path, text) for path, text in result.files.items()]
    assert [r.title for r in records] == ["A: the first", "B — «quoted» #1", "C", "D"]
    assert all(r.front["imported"]["from"] == "madr" for r in records)
    assert check_records(records, today=TODAY) == []


def test_nothing_to_convert() -> None:
    """An empty log converts to nothing."""
    assert convert([]).files == {}
