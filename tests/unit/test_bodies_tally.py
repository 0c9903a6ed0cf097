"""The tally with several bodies (DESIGN §4, §5): one rule per (body, kind), each body's vote
counted among its own members, approved only when every rule passes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import tallykit
from govbot.model.config import Config, load_config
from govbot.render.comment import render_comment, status_descriptions
from govbot.vote.snapshot import Comment, FileChange, PullSnapshot, Review
from govbot.vote.standing import Standing
from govbot.vote.tally import tally, tally_to_dict
from tallykit import NOW, approve, obj

TWO = """\
bodies:
  steering:
    name: Steering Committee
    committee:
      - {login: chair, id: 1, name: The Chair, role: chair, from: 2020-01-01}
      - {login: m2, id: 2, from: 2020-01-01}
      - {login: m3, id: 3, from: 2020-01-01}
      - {login: sec, id: 8, name: The Secretary, role: secretary, from: 2020-01-01}
  council:
    name: Community Council
    committee:
      - {login: c1, id: 11, role: chair, from: 2020-01-01}
      - {login: c2, id: 12, from: 2020-01-01}
      - {login: m3, id: 3, from: 2020-01-01}
    rules:
      plan: {quorum: 0.5, threshold: majority, min_approvals: 2, review_period: 0d}
default_body: steering
rules:
  plan:       {quorum: 0.5,  threshold: majority, min_approvals: 2, review_period: 7d}
  policy:     {quorum: 0.5,  threshold: majority, min_approvals: 1, review_period: 3d}
  governance: {quorum: 0.75, threshold: 2/3,      min_approvals: 3, review_period: 14d, veto: true}
  review:     {quorum: 0.5,  threshold: majority, min_approvals: 1, review_period: 0d}
protected_paths:
  council.plan: [charter.md]
"""
IDS = {"chair": 1, "m2": 2, "m3": 3, "sec": 8, "c1": 11, "c2": 12}


@pytest.fixture
def config() -> Config:
    return load_config("governance.yml", TWO)


def _review(login: str, state: str, day: int = 21) -> Review:
    return Review(hash((login, state, day)) % 10**6, login, IDS.get(login, 999), "User", state,
                  "no" if state == "CHANGES_REQUESTED" else "", tallykit.HEAD,
                  tallykit.at(day))


def _snap(*items: Review | Comment, body: str | None = None, kind: str = "policy",
          files: tuple[str, ...] = ()) -> PullSnapshot:
    path, text = tallykit.record(kind)
    if body is not None:
        text = text.replace("status: proposed\n", f"status: proposed\nbody: {body}\n")
    base = tallykit.snap(*items)
    return dataclasses.replace(base, records={path: text}, files=tuple(
        FileChange(f, "modified") for f in (path, *files)))


def test_a_record_is_decided_by_its_own_body(config: Config) -> None:
    """A `body: council` record is decided by the council alone, among its members."""
    result = tally(_snap(_review("c1", "APPROVED"), _review("c2", "APPROVED"), body="council",
                         kind="plan"), config, NOW)
    assert result.outcome == "approved"
    assert [(r.body, r.kind, r.label) for r in result.rules] == [("council", "plan",
                                                                   "council.plan")]
    assert result.rule == "plan"  # `tally --format json`'s rule: the kinds, as ever
    assert result.electorate == ("c1", "c2", "m3")


def test_a_second_bodys_member_cannot_vote_in_the_first(config: Config) -> None:
    """Hostile: council members' approvals of a steering decision are shown as non-binding
    and count for nothing; the steering rule still needs its own members."""
    result = tally(_snap(_review("c1", "APPROVED"), _review("c2", "APPROVED")), config, NOW)
    assert result.outcome == "pending"
    assert (result.approvals, result.electorate) == (0, ("chair", "m2", "m3"))
    assert {(r.member, r.counted, r.standing) for r in result.non_binding} == {
        ("c1", False, Standing.NON_BINDING), ("c2", False, Standing.NON_BINDING)}
    assert "a member of the Community Council, which does not decide" in \
        result.non_binding[0].note


def test_a_member_of_both_bodies_votes_in_each(config: Config) -> None:
    """m3 sits on both bodies: their one approval counts in each body's vote."""
    snapshot = _snap(_review("m3", "APPROVED"), _review("chair", "APPROVED"),
                     _review("c1", "APPROVED"), kind="plan", files=("charter.md",))
    result = tally(snapshot, config, dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert [(r.label, r.outcome) for r in result.rules] == [
        ("plan", "approved"), ("council.plan", "approved")]
    assert result.outcome == "approved"
    assert [(b.id, b.count.a) for b in result.bodies] == [("steering", 2), ("council", 2)]
    assert result.non_binding == ()  # c1 is shown in the council's own vote


@pytest.mark.parametrize(("votes", "outcome", "outcomes"), [
    ((approve("chair"), approve("m2"), _review("c1", "APPROVED"), _review("c2", "APPROVED")),
     "approved", ["approved", "approved"]),
    ((approve("chair"), approve("m2")), "pending", ["approved", "pending"]),
    ((approve("chair"), approve("m2"), _review("c1", "CHANGES_REQUESTED"),
      _review("c2", "CHANGES_REQUESTED"), _review("m3", "CHANGES_REQUESTED")),
     "failing", ["approved", "failing"]),
])
def test_every_bodys_rule_must_pass(config: Config, votes: tuple[Review, ...], outcome: str,
                                    outcomes: list[str]) -> None:
    """A steering plan record that touches the council's protected file needs both the
    steering committee's and the council's plan rules; the worst decides."""
    snapshot = _snap(*votes, kind="plan", files=("charter.md",))
    result = tally(snapshot, config, dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert [r.outcome for r in result.rules] == outcomes
    assert result.outcome == outcome
    assert [b["body"] for b in tally_to_dict(result)["rules"]] == ["steering", "council"]


def test_the_secretary_has_no_vote(config: Config) -> None:
    """The secretary's approval is shown, not counted, and they are never in the
    electorate (so they neither help nor hinder the quorum)."""
    result = tally(_snap(_review("sec", "APPROVED")), config, NOW)
    row = next(r for r in result.votes if r.member == "sec")
    assert (row.vote, row.counted, row.note) == (
        "approve", False, "not counted: the secretary holds a seat without a vote")
    assert "sec" not in result.electorate
    quiet = tally(_snap(), config, NOW)
    assert "sec" not in [r.member for r in quiet.votes]


def test_the_comment_has_a_section_per_body(config: Config) -> None:
    """Each deciding body gets its own heading, count, rules and vote table; nobody's
    vote is shown under a body they do not sit on."""
    snapshot = _snap(approve("chair"), _review("c1", "APPROVED"), kind="plan",
                     files=("charter.md",))
    result = tally(snapshot, config, dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    text = render_comment(result, snapshot)
    steering, council = text.split("### Steering Committee\n", 1)[1].split(
        "### Community Council\n", 1)
    assert "#### Rule: plan (pending)" in steering
    assert "#### Rule: council.plan (pending)" in council
    assert "The Chair (chair), chair" in steering
    assert "c1" not in steering.split("### ")[0]
    assert "| c1, chair | 👍 approve | counted |" in council
    assert "1 approve, 0 object, 0 abstain of 3 eligible members" in council
    assert status_descriptions(result)["govbot/vote"][1].startswith(
        "Pending (steering: 1 approve, 0 object; council: 1 approve, 0 object)")


def test_one_body_governance_yml_keeps_the_old_comment() -> None:
    """A single-committee governance.yml gets no body sections and the plain rule name."""
    result = tally(tallykit.snap(approve("chair")), tallykit.config(), NOW)
    assert result.bodies == ()
    assert result.rule == "plan"
    text = render_comment(result, tallykit.snap(approve("chair")))
    assert "### Votes" in text
    assert "####" not in text


def test_a_record_naming_no_body_is_not_tallied_by_another(config: Config) -> None:
    """A record whose `body:` names no body decides nothing by itself (the checks make the
    pull request invalid), rather than falling back to the default body."""
    result = tally(_snap(approve("chair"), body="board"), config, NOW)
    assert result.rules == ()


def test_objecting_in_the_wrong_body_blocks_nothing(config: Config) -> None:
    """Hostile: a council member's objection under a vetoing steering rule is not a veto."""
    result = tally(_snap(obj("c1"), approve("chair"), approve("m2"), approve("m3"),
                         kind="governance"), config, dt.datetime(2026, 12, 10, tzinfo=dt.UTC))
    assert result.objections == 0
    assert result.outcome == "approved"


def test_the_audit_record_keeps_every_deciding_bodys_votes(config: Config) -> None:
    """What publish stamps: the counted votes of each deciding body, each member once."""
    from govbot.publish.reconcile import final_vote

    snapshot = _snap(approve("chair"), _review("m3", "APPROVED"), _review("c1", "APPROVED"),
                     kind="plan", files=("charter.md",))
    result = tally(snapshot, config, dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert sorted(v.member for v in final_vote(result).votes) == ["c1", "chair", "m3"]


def test_the_sweep_wakes_for_every_bodys_periods() -> None:
    """The next moment the judgement can change counts every body's rules and terms, so
    the sweep does not sleep through a council's review period."""
    from govbot.github.router import next_change

    text = TWO.replace("plan: {quorum: 0.5, threshold: majority, min_approvals: 2, "
                       "review_period: 0d}", "plan: {quorum: 0.5, threshold: majority, "
                       "min_approvals: 2, review_period: 1d}")
    config = load_config("governance.yml", text)
    snapshot = _snap(kind="plan")
    now = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
    assert next_change(config, snapshot, tally(snapshot, config, now), now) == \
        "2026-11-21T10:00:00Z"
