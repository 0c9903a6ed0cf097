"""Per-record rules and the check_records / check_tree entry points."""

from __future__ import annotations

import datetime as dt

import pytest

from govbot.model.records import Tree, parse_record
from govbot.rules.checks import check_record, check_records, check_tree, stray_findings
from recordkit import BODY, PATH, SHA, accepted, make, make_from

TODAY = dt.date(2026, 11, 24)
P = PATH
LONG = "x" * 101
VOTE = f"member: bob, vote: approve, at: '2021-01-05T10:14:00Z', commit: {SHA}"
DECIDED = {"decided": "2026-11-22", "pr": "7", "votes": f"\n  - {{{VOTE}}}"}


def messages(record: object) -> list[str]:
    """check_record's findings for a record, as `path:line: message` strings."""
    assert not isinstance(record, str)
    return [str(f) for f in check_record(record, today=TODAY)]  # type: ignore[arg-type]


def test_valid_record_has_no_findings() -> None:
    """The template-shaped proposed record passes every per-file rule."""
    assert messages(make()) == []


CASES = [
    ({"titel": "x"}, f"{P}:8: titel: unknown key (did you mean 'title'?); allowed keys are id, "
     "title, kind, status, created, authors, supersedes, related, body, changes, progress, "
     "decided, pr, votes, superseded_by, override, community or imported"),
    ({"id": None}, f"{P}:1: id: missing; add 'id: 12' (the number in the file name)"),
    ({"title": None}, f"{P}:1: title: missing; add a one-line title of at most 100 characters"),
    ({"kind": None}, f"{P}:1: kind: missing; add one of plan, policy, governance or review"),
    ({"status": None}, f"{P}:1: status: missing; add 'status: proposed' (or draft, to share it "
     "without asking for a vote)"),
    ({"created": None}, f"{P}:1: created: missing; add the date the record was written, e.g. "
     "created: 2026-11-24"),
    ({"authors": None}, f"{P}:1: authors: missing; list the GitHub logins of the proposers, "
     "e.g. authors: [alice]"),
    ({"id": "abc"}, f"{P}:2: id: 'abc' is not a record id; write a whole number, e.g. 12"),
    ({"id": "0"}, f"{P}:2: id: 0 is not a record id; write a whole number, e.g. 12"),
    ({"id": "13"}, f"{P}:2: id: 13 does not match the number in the file name (0012); set id: "
     "12, or rename the file to decisions/0013-regional-convenings.md"),
    ({"title": "''"}, f"{P}:3: title: is empty; give the decision a short title"),
    ({"title": LONG}, f"{P}:3: title: is 101 characters long; keep it to 100 or fewer and put "
     "the detail in the body"),
    ({"title": "42"}, f"{P}:3: title: must be text"),
    ({"title": '"two\\nlines"'}, f"{P}:3: title: must be a single line"),
    ({"kind": "polcy"}, f"{P}:4: kind: 'polcy' is not one of plan, policy, governance or "
     "review (did you mean 'policy'?)"),
    ({"status": "acepted"}, f"{P}:5: status: 'acepted' is not one of draft, proposed, accepted, "
     "rejected, withdrawn, superseded, retired or expired (did you mean 'accepted'?)"),
    ({"body": "Council"}, f"{P}:8: body: 'Council' is not a body id; write the id of a body in "
     "governance.yml's bodies, e.g. body: council (leave it out for the default body)"),
    ({"body": "[council]"}, f"{P}:8: body: ['council'] is not a body id; write the id of a body "
     "in governance.yml's bodies, e.g. body: council (leave it out for the default body)"),
    ({"created": "20 November 2026"}, f"{P}:6: created: '20 November 2026' is not a date; "
     "write it as YYYY-MM-DD, e.g. 2026-11-20"),
    ({"created": "'2026-02-30'"}, f"{P}:6: created: '2026-02-30' is not a date; write it as "
     "YYYY-MM-DD, e.g. 2026-11-20"),
    ({"created": "2026-13-01"}, f"{P}:6: created: '2026-13-01' is not a date; write it as "
     "YYYY-MM-DD, e.g. 2026-11-20"),
    ({"created": "2026-11-20 10:00:00"}, f"{P}:6: created: write only the date (YYYY-MM-DD), "
     "without a time: 2026-11-20"),
    ({"created": "2026-12-01"}, f"{P}:6: created: 2026-12-01 is in the future (today is "
     "2026-11-24); use the date the record was written"),
    ({"authors": "alice"}, f"{P}:7: authors: must be a list of GitHub logins, e.g. [alice, bob]"),
    ({"authors": "[]"}, f"{P}:7: authors: is empty; list at least one GitHub login"),
    ({"authors": "['@alice']"}, f"{P}:7: authors[0]: '@alice' is not a GitHub login; write "
     "'alice', without the @"),
    ({"authors": "[Alice Smith]"}, f"{P}:7: authors[0]: 'Alice Smith' is not a GitHub login; "
     "use the user name from the person's GitHub profile address"),
    ({"authors": "[alice, Alice]"}, f"{P}:7: authors[1]: 'Alice' is listed twice"),
    ({"supersedes": "3"}, f"{P}:8: supersedes: must be a list of record ids, e.g. "
     "supersedes: [3]"),
    ({"related": "[x]"}, f"{P}:8: related[0]: 'x' is not a record id; write its number, e.g. 3"),
    ({"supersedes": "[12]"}, f"{P}:8: supersedes[0]: a record cannot supersede itself; "
     "remove 12"),
    ({"related": "[12]"}, f"{P}:8: related[0]: a record cannot be related to itself; remove 12"),
    ({"kind": "plan"}, f"{P}:4: kind: a plan record must list its changes to the plan under "
     "'changes:', e.g. - op: add-objective; or choose another kind (policy, governance, "
     "review)"),
    ({"kind": "plan", "changes": "[]"}, f"{P}:8: changes: a plan record must list its changes "
     "to the plan under 'changes:', e.g. - op: add-objective; or choose another kind (policy, "
     "governance, review)"),
    ({"changes": "\n  - {op: retire-goal, goal: G1}"}, f"{P}:8: changes: only plan records "
     "change the plan, and this one is policy; remove changes, or set kind: plan"),
    ({"kind": "plan", "changes": "add G6"}, f"{P}:8: changes: must be a list of operations, "
     "each starting with '- op:'"),
    ({"kind": "plan", "changes": "\n  - 5"}, f"{P}:9: changes[0]: each change must be a mapping "
     "with an 'op' (add-goal, edit-goal, retire-goal, add-objective, edit-objective, "
     "retire-objective or adopt-plan) and its arguments"),
    ({"pr": "5"}, f"{P}:8: pr: only govbot writes this field, when the decision is merged; "
     "remove it"),
    ({"status": "draft", "votes": "[]"}, f"{P}:8: votes: only govbot writes this field, when "
     "the decision is merged; remove it"),
    ({"status": "withdrawn", "override": "true"}, f"{P}:8: override: only govbot writes this "
     "field, when the decision is merged; remove it"),
]


R = {"kind": "review"}
PROGRESS_CASES = [
    ({"progress": "\n  - {objective: G1.1, status: done}"}, f"{P}:8: progress: only review "
     "records assess progress, and this one is policy; remove progress, or record the "
     "assessment in a review record"),
    ({**R, "progress": "[]"}, f"{P}:8: progress: must be a list of assessments, each like "
     "'- objective: G1.1' with 'status: on-track' (on-track, at-risk, off-track, done or "
     "dropped)"),
    ({**R, "progress": "\n  - G1.1"}, f"{P}:9: progress[0]: each assessment must be a mapping "
     "with objective, status and an optional one-line note"),
    ({**R, "progress": "\n  - {objective: G1.1, status: done, notes: x}"}, f"{P}:9: "
     "progress[0].notes: unknown key (did you mean 'note'?); an assessment has objective, "
     "status and note"),
    ({**R, "progress": "\n  - {status: done}"}, f"{P}:9: progress[0]: missing objective; name "
     "the objective assessed, e.g. objective: G1.2"),
    ({**R, "progress": "\n  - {objective: G1, status: done}"}, f"{P}:9: progress[0].objective: "
     "'G1' is not an objective id; write it like G1.2"),
    ({**R, "progress": "\n  - {objective: G1.1, status: done}\n  - {objective: G1.1, "
      "status: done}"}, f"{P}:10: progress[1].objective: G1.1 is already assessed in "
     "progress[0]; assess each objective once"),
    ({**R, "progress": "\n  - {objective: G1.1, status: ontrack}"}, f"{P}:9: "
     "progress[0].status: 'ontrack' is not one of on-track, at-risk, off-track, done or dropped "
     "(did you mean 'on-track'?)"),
    ({**R, "progress": "\n  - {objective: G1.1}"}, f"{P}:9: progress[0]: missing status; add "
     "one of on-track, at-risk, off-track, done or dropped"),
    ({**R, "progress": "\n  - {objective: G1.1, status: done, note: 3}"}, f"{P}:9: "
     "progress[0].note: must be text"),
    ({**R, "progress": "\n  - {objective: G1.1, status: done, note: \"a\\nb\"}"}, f"{P}:9: "
     "progress[0].note: must be a single line; put the detail in the body"),
]


@pytest.mark.parametrize(("changes", "expected"), PROGRESS_CASES)
def test_progress_rule(changes: dict[str, str | None], expected: str) -> None:
    """`progress` belongs to review records: a list of {objective, status, note?}, each
    objective once, a known status, a one-line note."""
    assert messages(make_from(changes)) == [expected]


def test_a_well_formed_progress_has_no_findings() -> None:
    """A review record assessing two objectives passes the per-file rules."""
    assert messages(make_from({**R, "progress": "\n  - {objective: G1.1, status: on-track, "
                                                "note: Fine.}\n  - {objective: G2.3, "
                                                "status: dropped}"})) == []


@pytest.mark.parametrize(("changes", "expected"), CASES)
def test_record_rule(changes: dict[str, str | None], expected: str) -> None:
    """Each per-file rule reports exactly one finding with its exact message."""
    assert messages(make_from(changes)) == [expected]


DECIDED_CASES = [
    ({"decided": None}, [f"{P}:1: decided: missing; an accepted record carries the date it was "
                         "decided (govbot writes it at merge)"]),
    ({"pr": None, "votes": None}, [
        f"{P}:1: pr: missing; an accepted record carries the number of the pull request that "
        "decided it (govbot writes it at merge)",
        f"{P}:1: votes: missing; an accepted record carries the votes that decided it (govbot "
        "writes it at merge)"]),
    ({"status": "superseded"}, [f"{P}:1: superseded_by: missing; a superseded record carries "
                                "the id of the record that superseded it (govbot writes it at "
                                "merge)"]),
    ({"pr": "'#7'"}, [f"{P}:9: pr: '#7' is not a pull request number"]),
    ({"superseded_by": "9"}, [f"{P}:12: superseded_by: is set but the status is accepted; only "
                              "superseded records name the record that superseded them"]),
    ({"status": "superseded", "superseded_by": "x"}, [f"{P}:12: superseded_by: 'x' is not a "
                                                      "record id"]),
    ({"decided": "2026-11-01"}, [f"{P}:8: decided: 2026-11-01 is before the record was created "
                                 "(2026-11-20)"]),
    ({"votes": "{}"}, [f"{P}:10: votes: must be a list of {{member, id, vote, at, commit, "
                       "reason?, via?} entries"]),
    ({"votes": "[approve]"}, [f"{P}:10: votes[0]: must be a mapping with member, id, vote, at "
                              "and commit"]),
    ({"votes": "[{member: bob, vote: approve}]"}, [f"{P}:10: votes[0]: missing at and commit"]),
    ({"votes": f"[{{{VOTE}, sha: x}}]"}, [f"{P}:10: votes[0].sha: unknown key; a vote has "
                                          "member, id, vote, at, commit, reason and via"]),
    ({"votes": f"[{{{VOTE.replace('approve', 'recuse')}, reason: \"I chair the vendor\"}}]"},
     []),  # a recusal and its reason are part of the audit record
    ({"votes": f"[{{{VOTE}, via: jvandenberg}}]"}, []),  # recorded by the secretary
    ({"votes": f"[{{{VOTE}, reason: 12}}]"}, [f"{P}:10: votes[0].reason: 12 is not text; "
                                              "write the reason in quotes"]),
    ({"votes": f"[{{{VOTE}, via: '@jvandenberg'}}]"}, [
        f"{P}:10: votes[0].via: '@jvandenberg' is not a GitHub login; write 'jvandenberg', "
        "without the @"]),
    ({"votes": f"[{{{VOTE}, id: 3184562}}]"}, []),  # the member's numeric GitHub id
    ({"votes": f"[{{{VOTE}, id: amara}}]"}, [f"{P}:10: votes[0].id: 'amara' is not a GitHub "
                                             "user id; write the member's numeric id, as in "
                                             "governance.yml"]),
    ({"votes": f"[{{{VOTE}, id: 0}}]"}, [f"{P}:10: votes[0].id: 0 is not a GitHub user id; "
                                         "write the member's numeric id, as in governance.yml"]),
    ({"votes": f"[{{{VOTE.replace('bob', 'Bob Jones')}}}]"}, [
        f"{P}:10: votes[0].member: 'Bob Jones' is not a GitHub login; use the user name from "
        "the person's GitHub profile address"]),
    ({"votes": f"[{{{VOTE.replace('approve', 'aprove')}}}]"}, [
        f"{P}:10: votes[0].vote: 'aprove' is not one of approve, object, abstain or recuse "
        "(did you mean 'approve'?)"]),
    ({"votes": f"[{{{VOTE.replace('2021-01-05T10:14:00Z', 'last Tuesday')}}}]"}, [
        f"{P}:10: votes[0].at: 'last Tuesday' is not a date and time; write it in ISO 8601, "
        "e.g. 2026-11-20T14:03:00Z"]),
    ({"votes": f"[{{{VOTE.replace(SHA, 'abc123')}}}]"}, [
        f"{P}:10: votes[0].commit: 'abc123' is not a commit SHA; write the 40-character hex "
        "id of the reviewed commit"]),
]


@pytest.mark.parametrize(("changes", "expected"), DECIDED_CASES)
def test_decided_record_rule(changes: dict[str, str | None], expected: list[str]) -> None:
    """Decided records carry well-formed bot-owned fields (decided, pr, votes, superseded_by)."""
    fields: dict[str, str | None] = {"status": "accepted", **DECIDED, **changes}
    assert messages(make_from(fields)) == expected


def test_impossible_dates_do_not_hide_other_findings() -> None:
    """Unquoted impossible dates are findings on their lines, next to the record's others."""
    at = "2021-02-30T10:14:00Z"
    votes = f"\n  - {{{VOTE.replace(repr('2021-01-05T10:14:00Z'), at)}}}"
    record = make_from({"status": "accepted", "created": "2026-13-01", "kind": "polcy",
                        **DECIDED, "decided": "2026-02-30", "votes": votes})
    assert messages(record) == [
        f"{P}:4: kind: 'polcy' is not one of plan, policy, governance or review (did you mean "
        "'policy'?)",
        f"{P}:6: created: '2026-13-01' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20",
        f"{P}:8: decided: '2026-02-30' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20",
        f"{P}:11: votes[0].at: '{at}' is not a date and time; write it in ISO 8601, e.g. "
        "2026-11-20T14:03:00Z"]


def test_vote_time_may_be_a_yaml_timestamp() -> None:
    """An unquoted ISO timestamp in a vote is a valid `at`."""
    stamp = "2021-01-05T10:14:00Z"
    votes = f"\n  - {{{VOTE.replace(repr(stamp), stamp)}}}"
    assert messages(make(status="accepted", **{**DECIDED, "votes": votes})) == []


@pytest.mark.parametrize(("body", "expected"), [
    ("## Context\n\nWhy.\n", f"{P}:9: the body is missing ## Decision and ## Consequences; a "
     "proposed record needs the sections ## Context, ## Decision and ## Consequences"),
    ("Just text.\n", f"{P}:9: the body is missing ## Context, ## Decision and ## Consequences; "
     "a proposed record needs the sections ## Context, ## Decision and ## Consequences"),
    ("## Context\n```\n## Decision\n```\n## consequences\n", f"{P}:9: the body is missing "
     "## Decision; a proposed record needs the sections ## Context, ## Decision and "
     "## Consequences"),
])
def test_proposed_record_needs_sections(body: str, expected: str) -> None:
    """Proposed records name every missing body section (headings in code fences don't count)."""
    assert messages(make(body=body)) == [expected]


def test_draft_record_needs_no_sections() -> None:
    """Drafts may have any body."""
    assert messages(make(status="draft", body="Notes.\n")) == []


@pytest.mark.parametrize(("path", "expected"), [
    ("decisions/12-Regional.md", "decisions/12-Regional.md:1: the file name '12-Regional.md' "
     "must look like 0012-regional-convenings.md: the 4-digit id, then lowercase words joined "
     "by '-'; rename it to decisions/0012-add-an-objective-on-regional-convenings.md"),
    ("decisions/0012_regional.md", "decisions/0012_regional.md:1: the file name "
     "'0012_regional.md' must look like 0012-regional-convenings.md: the 4-digit id, then "
     "lowercase words joined by '-'; rename it to "
     "decisions/0012-add-an-objective-on-regional-convenings.md"),
])
def test_file_name_pattern(path: str, expected: str) -> None:
    """File names are NNNN-lowercase-slug.md, and the message suggests the right name."""
    assert messages(make(path=path)) == [expected]


def test_check_records_sorts_and_limits_per_file_rules_to_changed() -> None:
    """Per-file rules only judge the changed paths; findings come sorted by path and line."""
    bad = make(path="decisions/0013-other.md", id="13", status="acepted")
    good = make()
    assert check_records([bad, good], changed={PATH}, today=TODAY) == []
    found = check_records([good, bad], today=TODAY)
    assert [f.path for f in found] == ["decisions/0013-other.md"]


def test_check_tree_reports_files_config_and_records() -> None:
    """check_tree combines unreadable-file findings, governance.yml and record findings."""
    from govbot.model.findings import Finding

    unreadable = Finding("decisions/0014-x.md", 1, "the file is binary", "file")
    tree = Tree("committee: []\n", (make(status="acepted"),), (unreadable,))
    found = [str(f) for f in check_tree(tree, None, today=TODAY)]
    assert found[0] == "decisions/0012-regional-convenings.md:5: status: 'acepted' is not one "\
        "of draft, proposed, accepted, rejected, withdrawn, superseded, retired or expired (did "\
        "you mean 'accepted'?)"
    assert "decisions/0014-x.md:1: the file is binary" in found
    assert "governance.yml:1: committee: missing or empty; list the committee members" in found


def test_check_tree_without_config() -> None:
    """A tree without governance.yml gets one finding saying so."""
    found = check_tree(Tree(None, (make(),), ()), None, today=TODAY)
    assert [str(f) for f in found] == ["governance.yml: missing; every governance repository "
                                       "needs a governance.yml with the committee and its rules"]


def test_check_tree_judges_config_only_when_changed() -> None:
    """An unchanged, broken governance.yml is not blamed on a pull request."""
    tree = Tree("nonsense: 1\n", (make(),), ())
    assert check_tree(tree, tree, changed={PATH}, today=TODAY) == []


def test_example_repository_is_clean(repo_root: object) -> None:
    """This repository's own governance data passes every rule."""
    from pathlib import Path

    from govbot.git.repo import read_worktree

    assert isinstance(repo_root, Path)
    assert [str(f) for f in check_tree(read_worktree(repo_root), None)] == []


def test_accepted_helper_record_is_valid() -> None:
    """The decided-record builder used across tests produces a clean record."""
    record = accepted(3, "three")
    assert messages(record) == []
    assert parse_record(record.path, record.text).votes[0].commit == SHA
    assert BODY in record.text


IMPORTED = "{from: madr, source: docs/decisions/0003-x.md}"


@pytest.mark.parametrize(("changes", "expected"), [
    ({"status": "accepted", "decided": "2026-11-22", "imported": IMPORTED}, []),
    ({"status": "superseded", "decided": "2026-11-22", "superseded_by": "13",
      "imported": IMPORTED}, []),
    ({"status": "accepted", "imported": IMPORTED}, [
        f"{P}:1: decided: missing; an accepted record carries the date it was decided (govbot "
        "writes it at merge)"]),
    ({"status": "accepted", "decided": "2026-11-22"}, [
        f"{P}:1: pr: missing; an accepted record carries the number of the pull request that "
        "decided it (govbot writes it at merge)",
        f"{P}:1: votes: missing; an accepted record carries the votes that decided it (govbot "
        "writes it at merge)"]),
    ({"status": "draft", "imported": IMPORTED}, []),
    ({"status": "draft", "imported": "madr"}, [
        f"{P}:8: imported: must be a mapping with from and source, as govbot import writes it, "
        "e.g. {from: madr, source: docs/decisions/0003-x.md}"]),
    ({"status": "draft", "imported": "{from: jira, source: x.md, by: me}"}, [
        f"{P}:8: imported.by: unknown key; imported has from and source",
        f"{P}:8: imported.from: from: 'jira' is not one of adr-tools, madr or log4brains"]),
    ({"status": "draft", "imported": "{from: madr}"}, [
        f"{P}:8: imported: source: give the path of the original record in the old log, on "
        "one line"]),
])
def test_imported_records(changes: dict[str, str | None], expected: list[str]) -> None:
    """A record `govbot import` brought in (`imported: {from, source}`) may be accepted or
    superseded without `pr` and `votes` (it was decided before govbot), still needs its
    decided date, and a malformed `imported` is reported; without `imported` an accepted
    record still needs both."""
    assert messages(make_from(changes)) == expected


def test_stray_findings_name_every_path_under_decisions_that_is_not_a_record() -> None:
    """Paths under decisions/ other than decisions/*.md are findings, once each, in order;
    records and paths elsewhere are not."""
    found = stray_findings(["decisions/x.txt", PATH, "docs/a.txt", "decisions/a/b.md",
                            "decisions/x.txt", "decisions.json"])
    assert [(f.path, f.rule) for f in found] == [("decisions/a/b.md", "file"),
                                                 ("decisions/x.txt", "file")]


TWO_BODIES = """bodies:
  steering:
    committee: [{login: bob, id: 2, from: 2021-01-01}]
  council:
    committee: [{login: carol, id: 3, from: 2021-01-01}]
default_body: steering
rules: {plan: {}, policy: {}, governance: {}, review: {}}
"""


def test_body_must_name_a_body_of_governance_yml() -> None:
    """With governance.yml, `body:` must name one of its bodies (with a suggestion)."""
    from govbot.model.config import load_config

    config = load_config("governance.yml", TWO_BODIES)
    assert [str(f) for f in check_records([make_from({"body": "councl"})], config=config,
                                          today=TODAY)] == [
        f"{P}:8: body: 'councl' is not a body in governance.yml; use one of steering or council "
        "(did you mean 'council'?) (or leave body out: the default body decides)"]
    assert check_records([make_from({"body": "council"})], config=config, today=TODAY) == []


def test_votes_of_a_record_are_checked_against_every_body() -> None:
    """A decided record's votes come from its own body's roster or another body's (a PR can
    need several bodies): a council record with a council or steering member's vote is
    fine, one with a vote by someone on neither roster is a roster finding."""
    from govbot.model.config import load_config

    config = load_config("governance.yml", TWO_BODIES)
    vote = "\n  - {member: %s, id: %d, vote: approve, at: '2021-01-05T10:14:00Z', commit: %s}"
    decided = {"status": "accepted", "decided": "2021-01-19", "pr": "3", "body": "council",
               "created": "2021-01-04"}
    good = make_from({**decided, "votes": vote % ("carol", 3, SHA)})
    other = make_from({**decided, "votes": vote % ("bob", 2, SHA)})
    assert check_records([other], config=config, today=TODAY) == []
    bad = make_from({**decided, "votes": vote % ("mallory", 9, SHA)})
    assert check_records([good], config=config, today=TODAY) == []
    assert [f.rule for f in check_records([bad], config=config, today=TODAY)] == ["roster"]


CLOSED = {"decided": "2026-11-22", "pr": "7", "votes": f"\n  - {{{VOTE}}}"}


@pytest.mark.parametrize("status", ["rejected", "expired", "withdrawn"])
def test_a_closed_motion_carries_what_govbot_wrote(status: str) -> None:
    """A motion recorded when its PR closed unmerged has decided, pr and votes, checked like
    a decided record's; it has no superseded_by or override."""
    assert messages(make_from({"status": status, **CLOSED})) == []
    bad = make_from({"status": status, **CLOSED, "pr": "x", "superseded_by": "3"})
    assert messages(bad) == [f"{P}:12: superseded_by: the record is {status}, so it has no "
                             "superseded_by; remove it",
                             f"{P}:9: pr: 'x' is not a pull request number"]


def test_a_withdrawn_record_with_only_some_bot_fields_is_refused() -> None:
    """A withdrawn record with some of decided, pr and votes is not one govbot closed."""
    assert messages(make_from({"status": "withdrawn", "pr": "7"})) == [
        f"{P}:8: pr: only govbot writes this field, when the decision is merged; remove it"]
