"""Tests for govbot.tally and govbot.ballots: the vote arithmetic, rule choice and commands."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govbot.model.config import Rule, load_config
from govbot.model.findings import Finding
from govbot.model.vocab import path_matches
from govbot.vote.ballots import collect_ballots
from govbot.vote.snapshot import Comment, FileChange, Review, load_snapshot
from govbot.vote.standing import Standing, Why
from govbot.vote.tally import (
    DRAFT_NEED,
    Count,
    Decision,
    conditions,
    count_votes,
    needs,
    rule_outcome,
    tally,
    tally_to_dict,
)
from tallykit import (
    HEAD,
    MEMBERS,
    NOW,
    OLD,
    OUTSIDERS,
    READY,
    approve,
    at,
    comment,
    config,
    obj,
    record,
    review,
    snap,
    votes,
)

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"

# seated on NOW (2026-12-01): chair, m2, m3, m5, m6 (m4's term ended 2026-11-25)
ARITHMETIC = [
    ("nobody voted", [], {}, "pending", ("quorum: 0 of 3 votes", "2 more approvals")),
    ("clean majority", [approve("chair"), approve("m2"), obj("m3")], {}, "approved", ()),
    ("quorum miss", [approve("chair"), approve("m2")], {}, "pending",
     ("quorum: 2 of 3 votes",)),
    ("abstentions make quorum", [approve("chair"), approve("m2"),
                                 comment("m3", "/govbot abstain", at(22))], {}, "approved", ()),
    ("min approvals", [approve("chair"), comment("m2", "/govbot abstain", at(22)),
                       comment("m3", "/govbot abstain", at(22))], {}, "pending",
     ("1 more approval",)),
    ("majority lost", [approve("chair"), obj("m2"), obj("m3"), obj("m5")], {}, "failing",
     ("2 more approvals, but only 1 eligible member has not voted",)),
    ("tie broken by chair approving", [approve("chair"), approve("m2"), obj("m3"), obj("m5")],
     {}, "approved", ()),
    ("tie with chair objecting", [obj("chair"), approve("m2"), approve("m3"), obj("m5")], {},
     "pending", ("1 more approval",)),
    ("tie with tie_breaker none", [approve("chair"), approve("m2"), obj("m3"), obj("m5")],
     {"tie_breaker": "none"}, "pending", ("1 more approval",)),
    ("review period running", [approve("chair"), approve("m2"), approve("m3")],
     {"ready": dt.datetime(2026, 11, 28, 14, 0, tzinfo=dt.UTC)}, "pending",
     ("review period ends 2026-12-05 14:00 UTC",)),
    ("stale approval (content)", [approve("chair"), approve("m2", commit=OLD), approve("m3")],
     {"stale": (OLD,)}, "pending", ("quorum: 2 of 3 votes",)),
    ("old commit but content same", [approve("chair"), approve("m2", commit=OLD),
                                     approve("m3")], {}, "approved", ()),
    ("stale on push", [approve("chair"), approve("m2", commit=OLD), approve("m3")],
     {"stale_approvals": "push"}, "pending", ("quorum: 2 of 3 votes",)),
    ("never stale", [approve("chair"), approve("m2", commit=OLD), approve("m3")],
     {"stale": (OLD,), "stale_approvals": "never"}, "approved", ()),
    ("dismissed approval does not fall back", [
        approve("chair"), approve("m2"), approve("m3", 21),
        review("m3", "DISMISSED", at(22), ident=77)], {"seen": {77: "approve"}}, "pending",
     ("quorum: 2 of 3 votes",)),
    ("re-review after dismissal counts", [approve("chair"), approve("m2"),
                                         review("m3", "DISMISSED", at(22), ident=77),
                                         approve("m3", 23)],
     {"seen": {77: "approve"}}, "approved", ()),
    ("dismissed objection stands", [
        approve("chair"), approve("m2"), approve("m3"), approve("m5"),
        review("m6", "DISMISSED", at(23), body="no", ident=77)],
     {"kinds": ("governance",), "seen": {77: "object"}}, "blocked",
     ("the objection by m6 retracted (this rule gives each member a veto)",
      "review period ends 2026-12-04 10:00 UTC")),
    ("unrecorded dismissal stands as an objection", [
        approve("chair"), approve("m2"), approve("m3"), approve("m5"),
        review("m6", "DISMISSED", at(23), ident=77)], {"kinds": ("governance",)}, "blocked",
     ("the objection by m6 retracted (this rule gives each member a veto)",
      "review period ends 2026-12-04 10:00 UTC")),
    ("dismissed objection retracted by a new review", [
        approve("chair"), approve("m2"), review("m3", "DISMISSED", at(22), ident=77),
        approve("m3", 23)], {"seen": {77: "object"}}, "approved", ()),
    ("dismissed objection retracted by command", [
        approve("chair"), approve("m2"), approve("m5"),
        review("m3", "DISMISSED", at(22), ident=77),
        comment("m3", "/govbot retract", at(23))], {"seen": {77: "object"}}, "approved", ()),
    ("objection retracted", [approve("chair"), approve("m2"), obj("m3", 21),
                             comment("m3", "/govbot retract", at(22)), obj("m5")], {},
     "approved", ()),
    ("latest vote wins: object then approve", [approve("chair"), obj("m2", 21),
                                               approve("m2", 23), approve("m3")], {},
     "approved", ()),
    ("commented review is not a vote", [approve("chair"), approve("m2"),
                                        review("m3", "COMMENTED", at(22))], {}, "pending",
     ("quorum: 2 of 3 votes",)),
    ("edited comment ignored", [approve("chair"), approve("m2"),
                                comment("m3", "/govbot abstain", at(22), edited=True)], {},
     "pending", ("quorum: 2 of 3 votes",)),
    ("non-member votes ignored", [approve("chair"), approve("m2"), approve("outsider"),
                                  comment("ghostbot[bot]", "/govbot abstain", at(22))], {},
     "pending", ("quorum: 2 of 3 votes",)),
    ("recusal shrinks the electorate", [approve("chair"), approve("m2"),
                                        comment("m3", "/govbot recuse conflict", at(22)),
                                        comment("m5", "/govbot recuse conflict", at(22))], {},
     "approved", ()),
    ("term ended mid-vote", [approve("chair"), approve("m2"), approve("m4", 22)], {},
     "pending", ("quorum: 2 of 3 votes",)),
    ("vote cast before term began", [approve("chair"), approve("m2"), approve("m6", 21)], {},
     "pending", ("quorum: 2 of 3 votes",)),
    ("vote cast after term began", [approve("chair"), approve("m2"), approve("m6", 23)], {},
     "approved", ()),
    ("login match for member without id", [approve("chair"), approve("m2"), approve("m5")],
     {}, "approved", ()),
    ("author approves", [approve("chair"), approve("m2")], {"author": "m3"}, "approved", ()),
    ("author excluded", [approve("chair")], {"author": "m3", "author_mode": "excluded"},
     "pending", ("quorum: 1 of 2 votes", "1 more approval")),
    ("fraction threshold met", [approve("chair"), approve("m2"), approve("m3"), obj("m5")],
     {"kinds": ("policy",)}, "approved", ()),
    ("fraction threshold met exactly (A = t × (A + O))",
     [approve("chair"), approve("m2"), approve("m3"), obj("m5"), obj("m6", 23)],
     {"kinds": ("policy",)}, "approved", ()),
    ("fraction threshold missed", [approve("chair"), approve("m2"), obj("m3"), obj("m5")],
     {"kinds": ("policy",)}, "pending", ("1 more approval",)),
    ("unanimous with an objection", [approve("chair"), approve("m2"), approve("m3"),
                                     approve("m5"), obj("m6", 23)], {"kinds": ("review",)},
     "failing", ("every objection retracted (unanimous): 1 standing",)),
    ("veto blocks", [approve("chair"), approve("m2"), approve("m3"), approve("m5"),
                     obj("m6", 23)], {"kinds": ("governance",)}, "blocked",
     ("the objection by m6 retracted (this rule gives each member a veto)",
      "review period ends 2026-12-04 10:00 UTC")),
    ("strictest rule wins", [approve("chair"), approve("m2"), approve("m3")],
     {"kinds": ("plan", "governance")}, "pending",
     ("quorum: 3 of 4 votes", "review period ends 2026-12-04 10:00 UTC")),
    ("protected path needs governance", [approve("chair"), approve("m2"), approve("m3")],
     {"kinds": (), "files": (".github/workflows/govbot.yml",)}, "pending",
     ("quorum: 3 of 4 votes", "review period ends 2026-12-04 10:00 UTC")),
    ("more approvals than remain", [approve("chair")],
     {"kinds": ("governance",), "recuse": ("m2", "m3", "m5")}, "failing",
     ("quorum: 1 of 2 votes", "2 more approvals, but only 1 eligible member has not voted",
      "review period ends 2026-12-04 10:00 UTC")),
    ("nothing to decide", [approve("chair")], {"kinds": ()}, "no-decision", ()),
    ("drafts only", [approve("chair")], {"kinds": (), "draft": True}, "no-decision", ()),
]


def run(items: list[Review | Comment], opts: dict[str, object]):  # type: ignore[no-untyped-def]
    kinds = opts.get("kinds", ("plan",))
    items = list(items) + [comment(m, "/govbot recuse x", at(22))
                           for m in opts.get("recuse", ())]  # type: ignore[attr-defined]
    s = snap(*items, kinds=kinds, files=opts.get("files", ()),  # type: ignore[arg-type]
             author=str(opts.get("author", "staff")), stale=opts.get("stale", ()),  # type: ignore[arg-type]
             ready=opts.get("ready", READY),  # type: ignore[arg-type]
             reviews_seen=opts.get("seen"))  # type: ignore[arg-type]
    if opts.get("draft"):
        path, text = record("policy", "draft", 20)
        s = dataclasses.replace(s, records={path: text})
    cfg = config(tie_breaker=opts.get("tie_breaker", "chair"),
                 stale_approvals=opts.get("stale_approvals", "content"),
                 author=opts.get("author_mode", "approves"))
    return tally(s, cfg, NOW)


@pytest.mark.parametrize(("name", "items", "opts", "outcome", "needs"), ARITHMETIC,
                         ids=[row[0] for row in ARITHMETIC])
def test_arithmetic(name: str, items: list[Review | Comment], opts: dict[str, object],
                    outcome: str, needs: tuple[str, ...]) -> None:
    """Each row: the votes in, the outcome and every unmet condition out."""
    result = run(items, opts)
    assert (result.outcome, result.needs) == (outcome, needs)


def test_decides_at_when_only_the_period_is_missing() -> None:
    """With the votes already sufficient, the earliest decision is the end of the period."""
    result = run([approve("chair"), approve("m2"), approve("m3")],
                 {"ready": dt.datetime(2026, 11, 28, 14, 0, tzinfo=dt.UTC)})
    assert result.decides_at == dt.datetime(2026, 12, 5, 14, 0, tzinfo=dt.UTC)


def test_no_decides_at_while_votes_are_missing() -> None:
    """A vote short of quorum has no predictable decision time."""
    assert run([approve("chair")], {}).decides_at is None


def test_findings_make_it_invalid() -> None:
    """Any check finding fails closed, whatever the votes."""
    s = snap(approve("chair"), approve("m2"), approve("m3"))
    result = tally(s, config(), NOW, findings=[Finding("decisions/0012-x.md", 3, "bad", "x")])
    assert (result.outcome, result.needs) == ("invalid", ("fix 1 check finding listed below",))


def test_unreadable_record_is_a_finding() -> None:
    """A record in the snapshot that cannot be parsed becomes a finding (outcome invalid)."""
    s = dataclasses.replace(snap(), records={"decisions/0012-x.md": "no front matter"})
    result = tally(s, config(), NOW)
    assert result.outcome == "invalid"
    assert [str(f) for f in result.findings] == [
        "decisions/0012-x.md:1: the record must start with a '---' line, then the YAML front "
        "matter, then '---'"]


def test_vote_rows_explain_each_member() -> None:
    """Every seated member gets a row saying whether their vote counts and why."""
    result = run([approve("chair"), approve("m2", commit=OLD), obj("m3"), approve("m4", 22),
                  comment("m5", "/govbot object again", at(22), edited=True)],
                 {"stale": (OLD,)})
    rows = [(r.member, r.vote, r.counted, r.note) for r in (*result.votes, *result.ignored)]
    assert rows == [
        ("chair", "approve", True, ""),
        ("m2", "approve", False, "stale: the records changed after this approval (on "
         "bbbbbbb); approve the current version again"),
        ("m3", "object", True, "reason: no"),
        ("m4", "approve", False, "not counted: the term ended 2026-11-25, so this vote lapsed"),
        ("m5", "none", False, "has not voted"),
        ("m6", "none", False, "has not voted"),
        ("m5", "object", False, "ignored: the comment was edited after it was cast; write a "
         "new command in a new comment"),
    ]


def test_renamed_member_matched_by_id() -> None:
    """A member who renamed their account is still matched by numeric id."""
    renamed = Review(1, "new-name", 2, "User", "APPROVED", "", HEAD, at(21))
    result = tally(snap(approve("chair"), renamed, approve("m3")), config(), NOW)
    row = next(r for r in result.votes if r.member == "m2")
    assert (row.counted, row.note) == (True, "(matched by id: now signs in as new-name)")
    assert result.outcome == "approved"


def test_impostor_with_member_login_is_non_binding() -> None:
    """An account with a member's login but another id never votes for them."""
    impostor = Review(1, "M2", 12345, "User", "APPROVED", "", HEAD, at(21))
    result = tally(snap(approve("chair"), impostor), config(), NOW)
    assert [(r.member, r.note) for r in result.non_binding] == [
        ("M2", "not counted: this account uses a committee member's login but is not the "
         "account on the roster (its id differs)")]
    assert result.approvals == 1


MARKED = "/govbot object too costly\n<!-- govbot:status -->"


@pytest.mark.parametrize(("login", "edited", "objections", "rows"), [
    ("m3", True, 0, [("m3", "none", False, "has not voted"),
                     ("m3", "object", False, "ignored: the comment was edited after it was "
                      "cast; write a new command in a new comment")]),
    ("m3", False, 1, [("m3", "object", True, "reason: too costly")]),
    ("github-actions[bot]", False, 0, []),
], ids=["member's comment edited to carry the marker", "member's comment with the marker",
        "govbot's own comment"])
def test_only_govbots_own_comment_is_skipped(login: str, edited: bool, objections: int,
                                             rows: list[tuple[str, str, bool, str]]) -> None:
    """The status marker skips only the bot's comment: a member's objection that someone
    edited the marker into is shown as ignored (edited), never silently dropped."""
    result = run([comment(login, MARKED, at(22), edited=edited)], {})
    shown = [(r.member, r.vote, r.counted, r.note)
             for r in (*result.votes, *result.ignored, *result.non_binding)
             if r.member == login]
    assert (result.objections, shown) == (objections, rows)


def test_approve_command_is_shown_as_ignored() -> None:
    """`/govbot approve` is not a vote: approval is given by review only."""
    result = run([comment("m2", "/govbot approve", at(22))], {})
    assert [r.note for r in result.ignored] == [
        "ignored: approval is given by review only: use GitHub's Review changes → Approve"]


def test_json_has_the_contract_fields() -> None:
    """`tally_to_dict` carries every field DESIGN §5 promises."""
    doc = tally_to_dict(run([approve("chair"), approve("m2"), obj("m3")], {}))
    assert {"outcome", "rule", "electorate", "approvals", "objections", "abstentions",
            "recused", "votes", "needs", "decides_at"} <= set(doc)
    assert doc["votes"][0] == {"member": "chair", "vote": "approve", "counted": True,
                               "note": "", "at": "2026-11-21T12:00:00Z", "binding": True,
                               "source": "review", "url": "", "standing": "counted",
                               "reason": "voted"}
    assert doc["decides_at"] == "2026-11-27T10:00:00Z"
    json.dumps(doc)


@pytest.mark.parametrize(("path", "pattern", "hit"), [
    ("governance.yml", "governance.yml", True),
    ("sub/governance.yml", "governance.yml", False),
    (".github/workflows/x.yml", ".github/**", True),
    ("templates/a.j2", "templates/*", True),
    ("templates/x/a.j2", "templates/*", False),
    ("docs/a/b/c.md", "docs/**/c.md", True),
    ("docs/c.md", "docs/**/c.md", True),
    ("a.md", "?.md", True),
])
def test_path_matches(path: str, pattern: str, hit: bool) -> None:
    """Protected-path globs: `*` within a folder, `**` across folders."""
    assert path_matches(path, pattern) is hit


# --- properties -----------------------------------------------------------------------

RANK = {"invalid": 0, "blocked": 1, "failing": 1, "pending": 2, "no-decision": 3,
        "approved": 3}


kinds_st = st.sampled_from([("plan",), ("policy",), ("governance",), ("review",), ()])


@settings(max_examples=150, deadline=None)
@given(votes(MEMBERS + OUTSIDERS), kinds_st, st.randoms(use_true_random=False))
def test_order_does_not_matter(items: list[Review | Comment], kinds: tuple[str, ...],
                               rnd: object) -> None:
    """Shuffling the reviews and comments never changes the tally."""
    cfg = config()
    first = tally(snap(*items, kinds=kinds, stale=(OLD,)), cfg, NOW)
    shuffled = list(items)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    second = tally(snap(*shuffled, kinds=kinds, stale=(OLD,)), cfg, NOW)
    assert tally_to_dict(first) == tally_to_dict(second)


@settings(max_examples=150, deadline=None)
@given(votes(MEMBERS), kinds_st, st.sampled_from(["chair", "m2", "m3", "m5"]))
def test_a_counted_approval_never_hurts(items: list[Review | Comment],
                                        kinds: tuple[str, ...], member: str) -> None:
    """A seated member approving the head, after everything else, never worsens the outcome."""
    cfg = config()
    before = tally(snap(*items, kinds=kinds, stale=(OLD,)), cfg, NOW)
    late = review(member, "APPROVED", at(30, 23), HEAD, ident=10**7)
    after = tally(snap(*items, late, kinds=kinds, stale=(OLD,)), cfg, NOW)
    assert RANK[after.outcome] >= RANK[before.outcome]


@settings(max_examples=150, deadline=None)
@given(votes(MEMBERS), votes(OUTSIDERS), kinds_st)
def test_non_members_never_change_the_outcome(members: list[Review | Comment],
                                              outsiders: list[Review | Comment],
                                              kinds: tuple[str, ...]) -> None:
    """Votes from bots and non-members are shown but never change the outcome."""
    cfg = config()
    outsiders = [dataclasses.replace(v, id=v.id + 10**7) for v in outsiders]
    alone = tally(snap(*members, kinds=kinds), cfg, NOW)
    mixed = tally(snap(*members, *outsiders, kinds=kinds), cfg, NOW)
    assert (mixed.outcome, mixed.needs, mixed.votes) == (alone.outcome, alone.needs,
                                                        alone.votes)


# --- the example snapshots on the project's own roster --------------------------------

EXAMPLES = {
    "clean-majority": ("approved", ()),
    "quorum-miss": ("pending", ("quorum: 2 of 3 votes",)),
    "veto": ("blocked", ("the objection by dkowalczyk retracted (this rule gives each "
                         "member a veto)",)),
    "stale-approval": ("pending", ("quorum: 2 of 3 votes",)),
    "recusal": ("approved", ()),
    "tie-chair": ("approved", ()),
    "term-ended": ("pending", ("quorum: 2 of 3 votes",)),
    "renamed-member": ("approved", ()),
    "dismissed-review": ("pending", ("quorum: 2 of 3 votes",)),
    "dismissed-objection": ("blocked", ("quorum: 3 of 5 votes", "1 more approval",
                                        "the objection by priya-raman retracted (this rule "
                                        "gives each member a veto)",
                                        "review period ends 2026-12-04 10:00 UTC")),
    "edited-comment": ("approved", ()),
    "drafts-only": ("no-decision", ()),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_snapshots(name: str, repo_root: Path) -> None:
    """Each example snapshot tallies to its expected outcome on the real roster."""
    cfg = load_config("governance.yml", (repo_root / "governance.yml").read_text())
    data = json.loads((SNAPSHOTS / f"{name}.json").read_text(encoding="utf-8"))
    snapshot = load_snapshot(data, f"{name}.json")
    result = tally(snapshot, cfg, snapshot.taken_at)
    assert (result.outcome, result.needs) == EXAMPLES[name]


@pytest.mark.parametrize(("items", "needs"), [
    ([approve("chair"), approve("m2"), approve("m3")],
     ("the pull request is a draft; mark it ready for review",)),
    ([approve("chair")], ("the pull request is a draft; mark it ready for review",
                          "quorum: 1 of 3 votes", "1 more approval")),
])
def test_a_draft_pull_request_stays_pending(items: list[Review | Comment],
                                            needs: tuple[str, ...]) -> None:
    """A PR in draft never passes: no review period runs until it is marked ready."""
    s = dataclasses.replace(snap(*items), draft=True)
    result = tally(s, config(), NOW)
    assert (result.outcome, result.needs, result.decides_at) == ("pending", needs, None)
    assert "review period" not in [c.name for c in result.conditions]


def test_a_misspelt_command_is_shown_as_ignored_with_a_suggestion() -> None:
    """`/govbot objet` is not silently dropped: the member sees it ignored, with the command
    they probably meant, and it changes no count."""
    result = run([approve("chair"), comment("m3", "/govbot objet too costly", at(22))], {})
    assert [(r.member, r.vote, r.counted, r.note) for r in result.ignored] == [
        ("m3", "none", False, "ignored: '/govbot objet' is not a govbot command (did you mean "
         "'object'?); the commands are /govbot object, /govbot abstain, /govbot recuse or "
         "/govbot retract")]
    assert result.objections == 0


@pytest.mark.parametrize(("statuses", "outcome"), [
    (("withdrawn",), "no-decision"),
    (("draft", "withdrawn"), "no-decision"),
    (("withdrawn", "proposed"), "pending"),
], ids=["a withdrawal alone", "a draft and a withdrawal", "a withdrawal beside a proposal"])
def test_withdrawing_a_proposal_needs_no_vote(statuses: tuple[str, ...], outcome: str) -> None:
    """A pull request that only withdraws a proposal (or keeps drafts) decides nothing and may
    merge; beside a proposed record, the proposal is still put to the vote."""
    records = dict(record("policy", status, number=12 + i) for i, status in enumerate(statuses))
    pull = dataclasses.replace(
        snap(), records=records, files=tuple(FileChange(p, "modified") for p in records))
    assert tally(pull, config(), NOW).outcome == outcome


# --- the three steps of the tally: count → outcome → explanation ------------------------

def counts(a: int = 0, o: int = 0, b: int = 0, size: int = 5, chair: str | None = None,
           latest: dt.datetime | None = None) -> Count:
    """A Count of `size` members of whom a + o + b voted (the chair among those left
    unless `chair` says how the chair voted)."""
    electorate = tuple(f"p{i}" for i in range(size))
    return Count(electorate, (), (), a, o, b, size - a - o - b, chair, chair is None,
                 tuple(f"p{i}" for i in range(o)), latest)


def test_count_votes_reads_only_the_typed_standing() -> None:
    """The count: E = seated minus recused minus an excluded author; A/O/B from counted
    rows; who is left; the chair's counted vote; when the last counted vote was cast."""
    s = snap(approve("chair"), obj("m2"), comment("m3", "/govbot recuse x", at(22)),
             approve("m5", commit=OLD), approve("m6", 23), author="m6", stale=(OLD,))
    cfg = config(author="excluded")
    c = count_votes(collect_ballots(s, cfg, NOW), s, cfg, NOW.date())
    assert (c.electorate, c.recused, c.a, c.o, c.b) == (("chair", "m2", "m5"), ("m3",),
                                                       1, 1, 0)
    assert (c.remaining, c.chair_vote, c.chair_remaining, c.objectors, c.latest) == (
        1, "approve", False, ("m2",), at(21))


PLAN = config().rules["plan"]
VETO = config().rules["governance"]
LATE = at(29)


@pytest.mark.parametrize(("rule", "count", "now", "draft", "decision"), [
    (PLAN, counts(3, 1, latest=LATE), NOW, False, Decision("approved", LATE)),
    (PLAN, counts(3, 1, latest=at(21)), NOW, False,
     Decision("approved", READY + PLAN.review_period)),
    (PLAN, counts(3, 1), at(24), False, Decision("pending", READY + PLAN.review_period)),
    (PLAN, counts(3, 1), NOW, True, Decision("pending", None)),
    (PLAN, counts(1), NOW, False, Decision("pending", None)),
    (PLAN, counts(1, 3), NOW, False, Decision("failing", None)),
    (PLAN, counts(2, 2, chair="object"), NOW, False, Decision("pending", None)),
    (PLAN, counts(2, 2, chair="approve"), NOW, False, Decision("approved", READY
                                                                + PLAN.review_period)),
    (VETO, counts(4, 1), NOW, False, Decision("blocked", None)),
    (VETO, counts(4, 1), NOW, True, Decision("blocked", None)),
], ids=["approved after the last vote", "approved at the end of the period",
        "pending on the period", "a draft is pending", "pending on votes", "failing",
        "a tie the chair opposed", "a tie the chair approved", "vetoed", "vetoed draft"])
def test_rule_outcome(rule: Rule, count: Count, now: dt.datetime, draft: bool,
                      decision: Decision) -> None:
    """The outcome step: one rule's arithmetic on a count, and the earliest decision."""
    assert rule_outcome(rule, count, config(), READY, now, draft=draft) == decision


def test_conditions_explain_each_requirement() -> None:
    """The explanation step: each condition with what it requires and where it stands."""
    shown = conditions(VETO, counts(2, 1), config(), READY, NOW)
    assert [(c.name, c.required, c.actual, c.met) for c in shown] == [
        ("quorum", "4 of 5 eligible members vote (75%)", "3 votes", False),
        ("threshold", "at least 2/3 of approvals and objections are approvals",
         "2 approve, 1 object", True),
        ("approvals", "at least 3", "2", False),
        ("review period", "14d from 2026-11-20 10:00 UTC", "ends 2026-12-04 10:00 UTC",
         False),
        ("veto", "any standing objection blocks", "1 objection", False)]
    assert "review period" not in [c.name for c in conditions(VETO, counts(), config(),
                                                               READY, NOW, draft=True)]


@pytest.mark.parametrize(("rule", "count", "draft", "expected"), [
    (PLAN, counts(3, 1), False, ()),
    (PLAN, counts(), False, ("quorum: 0 of 3 votes", "2 more approvals")),
    (PLAN, counts(), True, (DRAFT_NEED, "quorum: 0 of 3 votes", "2 more approvals")),
    (VETO, counts(2, 1), False, (
        "quorum: 3 of 4 votes", "1 more approval",
        "the objection by p0 retracted (this rule gives each member a veto)",
        "review period ends 2026-12-04 10:00 UTC")),
    (config().rules["review"], counts(2, 1), False,
     ("quorum: 3 of 5 votes", "every objection retracted (unanimous): 1 standing")),
    (PLAN, counts(1, 3, size=5), False,
     ("2 more approvals, but only 1 eligible member has not voted",)),
])
def test_needs_word_every_unmet_condition(rule: Rule, count: Count, draft: bool,
                                          expected: tuple[str, ...]) -> None:
    """The explanation step: what is still needed, in the committee's words."""
    assert needs(rule, count, config(), READY, NOW, draft=draft) == expected


@pytest.mark.parametrize("body", [
    "/GOVBOT OBJECT", "/Govbot object", "/govbot object: too costly",
    "/govbot object, too costly", "/govbot\u00a0object", "a `<!--` b\n/govbot object"])
def test_a_natural_objection_vetoes(body: str) -> None:
    """Issue 11: an objection typed in any of the natural ways is counted, so on a veto
    rule the PR is blocked, not approved."""
    items = [approve(m) for m in ("chair", "m2", "m3", "m5")]
    result = run([*items, comment("m6", body, at(23))], {"kinds": ("governance",)})
    assert (result.outcome, result.objections) == ("blocked", 1)


def test_a_hidden_objection_does_not_count() -> None:
    """A command GitHub does not show (inside an HTML comment) is no vote."""
    result = run([comment("m3", "<!--\n/govbot object\n-->", at(22))], {})
    assert (result.objections, result.ignored) == (0, ())


def test_a_command_continuing_a_quote_is_shown_as_ignored() -> None:
    """A command GitHub renders inside the quote above it is shown as ignored, with how
    to fix it, and counts for nothing."""
    result = run([comment("m3", "> you wrote\n/govbot object", at(22))], {})
    assert [(r.member, r.standing, r.why) for r in result.ignored] == [
        ("m3", Standing.IGNORED, Why.IN_QUOTE)]
    assert result.objections == 0
