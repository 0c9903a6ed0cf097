"""The board pack (`govbot report`, DESIGN §12): the plan as of the end of the period with its
progress, the period's decisions with their votes and recusals, participation, what is due."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from govbot.cli.main import main
from govbot.git.repo import read_worktree
from govbot.model.config import config_or_none, load_config
from govbot.model.records import parse_record
from govbot.render.report import add_months, build_report
from sitekit import parse

ROOT = Path(__file__).resolve().parents[2]
D2023 = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def _text(html: str) -> str:
    return " ".join("".join(parse(html.encode()).text).split())


@pytest.fixture(scope="module")
def pack() -> str:
    """The example repository's board pack for 2023."""
    tree = read_worktree(ROOT)
    return build_report(tree.records, config_or_none(tree.config_text), *D2023)


def test_the_pack_has_the_period_s_decisions_with_their_votes(pack: str) -> None:
    """2023's decisions (the annual review #6, the refocus of G4 #7) each with every vote;
    decisions outside the period are left out."""
    text = _text(pack)
    assert "Board pack: 2023-01-01 – 2023-12-31" in text
    assert "Open Infrastructure Foundation" in text
    assert "#6 2023 annual review of the Strategic Plan" in text
    assert "#7 Refocus goal G4 on testable interoperability" in text
    assert "#5 Meet every two months" not in text
    assert "#8 Revise the conflict of interest policy" not in text
    vote = pack[pack.index('id="decision-7"'):]
    assert "<tr><td>Lucie Fontaine</td><td>approve</td>" in vote
    assert "2 decisions taken in the period, 1 of them changing the plan" in text


def test_the_plan_is_shown_as_it_stood_at_the_end_of_the_period(pack: str) -> None:
    """G4 carries its 2023 title, G4.3 is gone, and each objective has its status as of
    the end of the period (record 6's assessments)."""
    text = _text(pack)
    assert "G4. Make interoperability testable" in text
    assert "G4.3" not in text.split("Decisions in the period")[0]
    assert ("G2.1 Off track Double the number of active maintainers across hosted projects by "
            "the end of 2024. Assessed in review #6 on 2023-01-16") in text
    assert "7 on track, 1 at risk, 1 off track, 1 done, 6 not yet reviewed" in text
    tree = read_worktree(ROOT)
    early = _text(build_report(tree.records, None, dt.date(2022, 1, 1), dt.date(2022, 12, 31)))
    assert "G4. Advance open standards for infrastructure interoperability" in early
    assert "16 not yet reviewed" not in early
    assert "17 not yet reviewed" in early  # before the 2023 review: nothing assessed yet


def test_participation_counts_each_member_s_seats_and_votes(pack: str) -> None:
    """Each member seated in the period: the decisions they could vote on, how they voted,
    and the ones they missed; Hiroshi Nakamura (seated from 2024) is not listed."""
    rows = dict(re.findall(r"<tr><td>([^<]+)</td>((?:<td class=\"num\">[^<]*</td>){7})</tr>",
                           pack))
    cells = {name: re.findall(r">([^<]*)<", value)[::2] for name, value in rows.items()}
    assert cells["Amara Osei"] == ["2", "2", "0", "0", "0", "0", "100%"]
    assert cells["Lucie Fontaine"] == ["2", "1", "0", "0", "0", "1", "50%"]
    assert cells["Dawid Kowalczyk"] == ["2", "1", "0", "0", "0", "1", "50%"]
    assert "Hiroshi Nakamura" not in cells


def test_what_is_due_next(pack: str) -> None:
    """The next annual review (a review cycle after the last one), terms ending within a
    year, and the end of the plan period."""
    text = _text(pack)
    assert ("2024-01-16: Annual review of the plan (12 months after the last review, #6 on "
            "2023-01-16)") in text
    assert "2024-06-30: Lucie Fontaine's term on the committee ends" in text
    assert ("2024-12-31: The plan period of Strategic Plan 2021–2024 ends; a successor plan is "
            "due") in text
    assert "Dawid Kowalczyk's term" not in text
    later = _text(build_report(read_worktree(ROOT).records,
                               config_or_none(read_worktree(ROOT).config_text),
                               dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    assert "2024-01-16: Annual review of the plan" in later
    assert "overdue" in later
    assert "no successor plan has been adopted" in later


CONFIG = """\
organisation: Example <b>Org</b>
committee:
  - {login: alice, id: 1, name: Alice Adams, role: chair, from: 2020-01-01}
  - {login: bob, id: 2, name: Bob Brown, from: 2020-01-01}
  - {login: carol, id: 3, name: Carol Cole, from: 2020-01-01}
rules:
""" + "".join(f"  {k}: {{quorum: 0.5, threshold: majority, min_approvals: 1, review_period: 0d, "
              "veto: false}\n" for k in ("plan", "policy", "governance", "review"))
SHA = "a" * 40
RECUSED = f"""\
---
id: 3
title: Fund the <i>mirror</i> project
kind: policy
status: accepted
created: 2023-03-01
authors: [alice]
decided: 2023-03-10
pr: 12
votes:
  - {{member: alice, id: 1, vote: approve, at: '2023-03-02T10:00:00Z', commit: {SHA}}}
  - {{member: bob, id: 2, vote: recuse, at: '2023-03-03T10:00:00Z', commit: {SHA},
     reason: 'I am paid by the <b>mirror</b> project'}}
---
Body.
"""


def test_recusals_are_listed_with_their_reasons() -> None:
    """A recusal shows in the decision's vote, in the recusals table with its reason
    (escaped), and in the member's participation; nothing the records say becomes markup."""
    html = build_report([parse_record("decisions/0003-fund.md", RECUSED)],
                        load_config("governance.yml", CONFIG), *D2023)
    section = html[html.index('id="recusals"'):html.index('id="participation"')]
    assert ("<tr><td>#3 Fund the &lt;i&gt;mirror&lt;/i&gt; project</td><td>Bob Brown</td>"
            "<td>I am paid by the &lt;b&gt;mirror&lt;/b&gt; project</td></tr>") in section
    assert '<tr class="recuse"><td>Bob Brown</td><td>recuse</td>' in html
    assert ("<tr><td>Bob Brown</td><td class=\"num\">1</td><td class=\"num\">0</td><td "
            "class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td><td "
            "class=\"num\">0</td><td class=\"num\">—</td></tr>") in html
    assert "Example &lt;b&gt;Org&lt;/b&gt;" in html
    assert "<b>" not in html
    assert "<i>" not in html


def test_the_pack_is_one_self_contained_file(pack: str) -> None:
    """No script, nothing loaded from elsewhere; the inline style is allowed by its hash;
    every link is to a part of the pack or out to github.com."""
    page = parse(pack.encode())
    assert [t for t, _ in page.tags if t in ("script", "link", "img", "iframe")] == []
    assert [a for _, a in page.tags if "src" in a] == []
    assert all(link.startswith(("#", "https://github.com/")) for link in page.links)
    assert {link[1:] for link in page.links if link.startswith("#")} <= page.ids
    csp = re.search(r'Content-Security-Policy" content="([^"]*)"', pack)
    assert csp is not None
    assert "default-src 'none'; style-src 'sha256-" in csp[1]
    assert "script" not in csp[1]
    assert " style=" not in pack


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2023, 1, 16), 12, dt.date(2024, 1, 16)),
    (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
    (dt.date(2023, 11, 30), 3, dt.date(2024, 2, 29)),
    (dt.date(2023, 5, 5), 0, dt.date(2023, 5, 5)),
])
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    """A review cycle lands on the same day of the month, or the month's last day."""
    assert add_months(day, months) == expected


def test_report_command_writes_the_pack(tmp_path: Path, repo_root: Path) -> None:
    """`govbot report --from --to --out` writes the file and says so."""
    out = tmp_path / "packs" / "2023.html"
    result = CliRunner().invoke(main, ["report", "--repo", str(repo_root), "--from",
                                       "2023-01-01", "--to", "2023-12-31", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote the board pack for 2023-01-01 – 2023-12-31 to {out}\n"
    assert "#7 Refocus goal G4" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2023-13-01", "--to", "2023-12-31"],
     "govbot: error: --from '2023-13-01' is not a date; write it as YYYY-MM-DD, e.g. 2023-12-31"),
    (["--from", "2023-01-01", "--to", "soon"],
     "govbot: error: --to 'soon' is not a date; write it as YYYY-MM-DD, e.g. 2023-12-31"),
    (["--from", "2023-12-31", "--to", "2023-01-01"],
     "govbot: error: --to 2023-01-01 is before --from 2023-12-31; give the period's first day "
     "then its last"),
])
def test_report_command_refuses_bad_dates(tmp_path: Path, repo_root: Path, args: list[str],
                                          message: str) -> None:
    """A bad date or a period that ends before it begins is a usage error (exit 2)."""
    result = CliRunner().invoke(main, ["report", "--repo", str(repo_root), *args, "--out",
                                       str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "x.html").exists()
