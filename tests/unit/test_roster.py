"""The roster rule: stamped votes on decided records are by members seated when they voted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from govbot.cli.main import main
from govbot.model.config import Config, load_config
from govbot.rules.checks import check_records
from govbot.rules.roster import roster_findings
from recordkit import PATH, SHA, accepted, make_from

P = PATH
ROSTER = """committee:
  - {login: alice, from: 2021-01-01, role: chair}
  - {login: carol, from: 2024-01-01}
  - {login: dave, from: 2021-01-01, until: 2021-06-30}
rules:
  plan: {quorum: 0.5, threshold: majority, min_approvals: 1, review_period: 0d, veto: false}
  policy: {quorum: 0.5, threshold: majority, min_approvals: 1, review_period: 0d, veto: false}
  governance: {quorum: 0.5, threshold: majority, min_approvals: 1, review_period: 0d, veto: false}
  review: {quorum: 0.5, threshold: majority, min_approvals: 1, review_period: 0d, veto: false}
"""
TODAY = dt.date(2026, 11, 24)
ROOT = Path(__file__).resolve().parents[2]


def config() -> Config:
    """A roster with open terms, one starting late, and one ended."""
    return load_config("governance.yml", ROSTER)


def record(member: str, at: str = "'2021-03-05T10:00:00Z'", status: str = "accepted") -> object:
    """Record 12, decided (or not) with one stamped vote."""
    return make_from({"status": status, "decided": "2026-11-22", "pr": "7", "votes":
                      f"\n  - {{member: {member}, vote: approve, at: {at}, commit: {SHA}}}"})


def found(member: str, at: str = "'2021-03-05T10:00:00Z'", status: str = "accepted"
          ) -> list[str]:
    """roster_findings for one vote, as strings."""
    return [str(f) for f in roster_findings(record(member, at, status), config())]  # type: ignore[arg-type]


@pytest.mark.parametrize(("member", "at", "expected"), [
    ("alice", "'2021-03-05T10:00:00Z'", []),
    ("Alice", "2021-03-05T10:00:00Z", []),
    ("carol", "'2024-02-01T00:00:00+00:00'", []),
    ("dave", "'2021-06-30T23:59:59Z'", []),
    ("dave", "'2021-07-01T01:00:00+02:00'", []),  # still 30 June in UTC
    ("bob", "'2021-03-05T10:00:00Z'", [
        f"{P}:11: votes[0].member: 'bob' is not on the committee in governance.yml; a decided "
        "record lists only committee members' votes: correct the login, or add the member with "
        "the dates of their term to the roster"]),
    ("dave", "'2021-07-01T10:00:00Z'", [
        f"{P}:11: votes[0].at: 'dave' was not seated on 2021-07-01 (their term in governance.yml "
        "runs from 2021-01-01 to 2021-06-30); a vote counts only while the member is seated: "
        "check the date of the vote, or the member's from and until in governance.yml"]),
    ("carol", "'2023-05-01T10:00:00Z'", [
        f"{P}:11: votes[0].at: 'carol' was not seated on 2023-05-01 (their term in "
        "governance.yml runs from 2024-01-01 with no end date); a vote counts only while the "
        "member is seated: check the date of the vote, or the member's from and until in "
        "governance.yml"]),
    ("dave", "'last Tuesday'", []),  # malformed: the per-file rules report it
    ("dave", "'2021-07-01T10:00:00'", [  # no zone: taken as UTC
        f"{P}:11: votes[0].at: 'dave' was not seated on 2021-07-01 (their term in governance.yml "
        "runs from 2021-01-01 to 2021-06-30); a vote counts only while the member is seated: "
        "check the date of the vote, or the member's from and until in governance.yml"]),
])
def test_stamped_votes_against_the_roster(member: str, at: str, expected: list[str]) -> None:
    """Each stamped vote's member is on the roster and seated on the vote's (UTC) day."""
    assert found(member, at) == expected


@pytest.mark.parametrize("status", ["proposed", "draft"])
def test_open_records_are_left_to_the_bot_field_rule(status: str) -> None:
    """Votes on a record that is not decided are not judged against the roster."""
    assert found("bob", status=status) == []


@pytest.mark.parametrize("status", ["rejected", "expired", "withdrawn"])
def test_closed_motions_votes_are_judged_against_the_roster(status: str) -> None:
    """A motion govbot recorded when its PR closed unmerged keeps its votes as the minutes:
    they must be by members seated on the day, like a decided record's."""
    assert [m.split(": ", 1)[1] for m in found("bob", status=status)] == [
        "votes[0].member: 'bob' is not on the committee in governance.yml; a decided record "
        "lists only committee members' votes: correct the login, or add the member with the "
        "dates of their term to the roster"]
    assert found("alice", status=status) == []


def test_malformed_votes_are_skipped() -> None:
    """Votes that are not mappings, or have no member, are left to the per-file rules."""
    bad = make_from({"status": "accepted", "decided": "2026-11-22", "pr": "7",
                     "votes": "[approve, {vote: approve}, {member: 5}]"})
    assert roster_findings(bad, config()) == []


@pytest.mark.parametrize(("via", "expected"), [
    ("alice", []),
    ("ALICE", []),
    ("mallory", [f"{P}:11: votes[0].via: 'mallory' is not in governance.yml; a vote cast "
                 "outside GitHub is recorded by the secretary or the chair: correct the login, "
                 "or add them to the roster"]),
])
def test_a_recorded_vote_names_someone_on_the_roster(via: str, expected: list[str]) -> None:
    """`via` (who recorded a vote cast outside GitHub) must be on the roster too."""
    decided = make_from({"status": "accepted", "decided": "2026-11-22", "pr": "7", "votes":
                         "\n  - {member: alice, vote: recuse, at: '2021-03-05T10:00:00Z', "
                         f"commit: {SHA}, reason: \"conflict\", via: {via}}}"})
    assert [str(f) for f in roster_findings(decided, config())] == expected


def test_authors_need_not_be_members() -> None:
    """Anyone may propose: an author who is not on the roster is not a finding."""
    proposal = make_from({"authors": "[someone-from-the-community]"})
    assert check_records([proposal], config=config(), today=TODAY) == []


def test_check_records_applies_the_roster_only_with_a_config() -> None:
    """check_records judges stamped votes when it is given governance.yml, not without."""
    decided = record("bob")
    assert check_records([decided], today=TODAY) == []  # type: ignore[list-item]
    assert [f.rule for f in check_records([decided], config=config(),  # type: ignore[list-item]
                                          today=TODAY)] == ["roster"]


# --- votes stamped with the member's numeric GitHub id --------------------------------------

ROSTER_IDS = ROSTER.replace("{login: alice,", "{login: alice-renamed, id: 101,").replace(
    "{login: carol,", "{login: carol, id: 303,")


def found_with_id(member: str, user_id: str, at: str = "'2021-03-05T10:00:00Z'") -> list[str]:
    """roster_findings for one vote stamped `{member, id, vote, at, commit}`, as strings."""
    decided = make_from({"status": "accepted", "decided": "2026-11-22", "pr": "7", "votes":
                         f"\n  - {{member: {member}, id: {user_id}, vote: approve, at: {at}, "
                         f"commit: {SHA}}}"})
    return [str(f) for f in roster_findings(decided, load_config("governance.yml", ROSTER_IDS))]


@pytest.mark.parametrize(("member", "user_id", "at", "expected"), [
    ("alice", "101", "'2021-03-05T10:00:00Z'", []),  # renamed: the id still finds her
    ("alice-renamed", "101", "'2021-03-05T10:00:00Z'", []),
    ("dave", "404", "'2021-03-05T10:00:00Z'", []),  # no id on the roster: matched by login
    ("carol", "303", "'2023-05-01T10:00:00Z'", [
        f"{P}:11: votes[0].at: 'carol' was not seated on 2023-05-01 (their term in "
        "governance.yml runs from 2024-01-01 with no end date); a vote counts only while the "
        "member is seated: check the date of the vote, or the member's from and until in "
        "governance.yml"]),
    ("mallory", "999", "'2021-03-05T10:00:00Z'", [
        f"{P}:11: votes[0].id: 999 ('mallory') is not the GitHub id of anyone on the committee "
        "in governance.yml; a vote is matched by id because logins can be renamed: add the "
        "member with this id and the dates of their term to the roster"]),
    ("carol", "999", "'2024-03-05T10:00:00Z'", [
        f"{P}:11: votes[0].id: 999 ('carol') is not the GitHub id of anyone on the committee "
        "in governance.yml; a vote is matched by id because logins can be renamed: "
        "governance.yml lists 'carol' with id 303; if that is the same person, correct their "
        "id there"]),
    ("alice", "'101'", "'2021-03-05T10:00:00Z'", [  # malformed id: per-file rule; by login
        f"{P}:11: votes[0].member: 'alice' is not on the committee in governance.yml; a "
        "decided record lists only committee members' votes: correct the login, or add the "
        "member with the dates of their term to the roster"]),
])
def test_votes_with_an_id_are_matched_by_id(member: str, user_id: str, at: str,
                                            expected: list[str]) -> None:
    """A vote's id finds its member whatever the login; an unknown id is a finding."""
    assert found_with_id(member, user_id, at) == expected


def test_legacy_votes_without_an_id_still_match_by_login() -> None:
    """A vote stamped before govbot wrote ids is matched by login, ignoring case."""
    config_ids = load_config("governance.yml", ROSTER_IDS)
    assert roster_findings(record("Carol", "'2024-02-01T00:00:00Z'"), config_ids) == []  # type: ignore[arg-type]
    assert [f.rule for f in roster_findings(record("alice"), config_ids)] == ["roster"]  # type: ignore[arg-type]


def test_a_renamed_members_old_record_passes_govbot_check(tmp_path: Path) -> None:
    """After a rename (same id, new login in governance.yml) an old record still checks clean;
    without the id in its votes it would not."""
    roster = (ROOT / "governance.yml").read_text(encoding="utf-8")
    (tmp_path / "governance.yml").write_text(
        roster.replace("login: amara-osei", "login: amara-osei-renamed"), encoding="utf-8")
    (tmp_path / "decisions").mkdir()
    old = accepted(1, "adopt").text.replace("member: bob", "member: amara-osei, id: 3184562")
    record_file = tmp_path / "decisions" / "0001-adopt.md"
    record_file.write_text(old, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--repo", str(tmp_path)])
    assert (result.exit_code, result.output) == (
        0, "govbot: checked governance.yml and 1 record(s): no problems found\n")
    record_file.write_text(old.replace(", id: 3184562", ""), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--repo", str(tmp_path)])
    assert result.exit_code == 1
    assert "votes[0].member: 'amara-osei' is not on the committee" in result.output
