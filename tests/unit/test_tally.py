"""Tests for govbot.tally and govbot.ballots: the vote arithmetic, rule choice and commands."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govbot.model.config import Config, Threshold, load_config
from govbot.model.findings import Finding
from govbot.model.vocab import path_matches
from govbot.render.comment import render_comment
from govbot.vote.snapshot import Comment, FileChange, Review, load_snapshot
from govbot.vote.standing import Standing, Why
from govbot.vote.tally import tally, tally_to_dict
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
    ("every rule must pass", [approve("chair"), approve("m2"), approve("m3")],
     {"kinds": ("plan", "governance")}, "pending",
     ("governance rule: quorum: 3 of 4 votes",
      "governance rule: review period ends 2026-12-04 10:00 UTC")),
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
                  comment("m5", "/govbot object again", at(22), edited=True,
                          edited_by=("m5",))],
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
    ("m3", True, 1, [("m3", "object", True, "edited by another user (an account GitHub did "
                      "not name); govbot cannot tell what this member wrote, so it stands "
                      "as an objection until the member votes again"),
                     ("m3", "object", False, "ignored: the comment was edited after it was "
                      "cast; write a new command in a new comment")]),
    ("m3", False, 1, [("m3", "object", True, "reason: too costly")]),
    ("github-actions[bot]", False, 0, []),
], ids=["member's comment edited to carry the marker", "member's comment with the marker",
        "govbot's own comment"])
def test_only_govbots_own_comment_is_skipped(login: str, edited: bool, objections: int,
                                             rows: list[tuple[str, str, bool, str]]) -> None:
    """The status marker skips only the bot's comment: a member's objection that someone
    (GitHub does not say who) edited the marker into stands as an unconfirmed objection,
    its line shown as ignored (edited), never silently dropped."""
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
    "dismissed-objection": ("blocked", (
        "governance rule: quorum: 3 of 5 votes", "governance rule: 1 more approval",
        "governance rule: the objection by priya-raman retracted (this rule gives each "
        "member a veto)", "governance rule: review period ends 2026-12-04 10:00 UTC")),
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
         "'object'?); the commands are /govbot object, /govbot abstain, /govbot recuse, "
         "/govbot retract, /govbot record, /govbot support or /govbot concern")]
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


def _rules(**changes: dict[str, object]) -> Config:
    cfg = config()
    return dataclasses.replace(cfg, rules={k: dataclasses.replace(r, **changes.get(k, {}))
                                           for k, r in cfg.rules.items()})


def test_every_applicable_rule_must_pass_not_the_strictest() -> None:
    """Issue 11: a PR under two rules passes only when both do. The old 'strictest rule'
    ranked `majority` and `1/2` as equal and broke the tie by kind name, so a tie vote
    passed under the weaker `1/2` of `policy` although `plan` needs a majority."""
    same = {"quorum": Fraction(1, 2), "min_approvals": 1,
            "review_period": dt.timedelta(days=3), "veto": False}
    cfg = _rules(plan={**same, "threshold": Threshold("majority")},
                 policy={**same, "threshold": Threshold("1/2", Fraction(1, 2))})
    cfg = dataclasses.replace(cfg, tie_breaker="none")
    s = snap(approve("chair"), approve("m2"), obj("m3"), obj("m5"), kinds=("plan", "policy"))
    result = tally(s, cfg, NOW)
    assert [(r.kind, r.outcome) for r in result.rules] == [("plan", "pending"),
                                                          ("policy", "approved")]
    assert (result.outcome, result.rule) == ("pending", "plan, policy")
    assert result.needs == ("plan rule: 1 more approval",)
    doc = tally_to_dict(result)
    assert [(r["kind"], r["outcome"]) for r in doc["rules"]] == [("plan", "pending"),
                                                                ("policy", "approved")]


def test_the_worst_rule_decides_and_times_combine() -> None:
    """Blocked under one rule is blocked; approved under all carries at the latest end of
    their review periods."""
    s = snap(approve("chair"), approve("m2"), approve("m3"), approve("m5"),
             obj("m6", 23), kinds=("plan", "governance"))
    assert tally(s, config(), NOW).outcome == "blocked"
    s = snap(approve("chair"), approve("m2"), approve("m3"), approve("m5"),
             kinds=("plan", "policy"))
    result = tally(s, config(), NOW)
    assert (result.outcome, result.decides_at) == ("approved", READY + dt.timedelta(days=7))


def test_the_comment_shows_each_rule() -> None:
    """The status comment has a section per rule, with its outcome and conditions."""
    s = snap(approve("chair"), approve("m2"), approve("m3"), kinds=("plan", "governance"))
    text = render_comment(tally(s, config(), NOW), s)
    assert "### Rule: governance (pending)" in text
    assert "### Rule: plan (approved)" in text
    assert text.count("| condition | required | now | met |") == 2
    assert "Every rule that applies must pass" in text


@pytest.mark.parametrize(("items", "outcome", "needs"), [
    ([], "pending", ("review period ends 2026-11-27 10:00 UTC",)),
    ([approve("chair")], "approved", ()),
    ([obj("m3")], "blocked", ("the objection by m3 retracted (lazy consensus: any objection "
                              "stops it)",)),
], ids=["period running", "no objection", "an objection"])
def test_lazy_consensus(items: list[Review | Comment], outcome: str,
                        needs: tuple[str, ...]) -> None:
    """`min_approvals: 0` passes after the review period unless someone objects; quorum
    and threshold do not apply."""
    cfg = _rules(policy={"min_approvals": 0, "review_period": dt.timedelta(days=7)})
    now = NOW if items else at(25)
    result = tally(snap(*items, kinds=("policy",)), cfg, now)
    assert (result.outcome, result.needs) == (outcome, needs)
    assert [c.name for c in result.conditions] == ["lazy consensus", "review period"]


def test_an_empty_electorate_never_approves() -> None:
    """Everyone recused (or excluded): nobody can vote, so nothing passes, even under lazy
    consensus or a unanimous rule with no objection."""
    recusals = [comment(m, "/govbot recuse conflict", at(22))
                for m in ("chair", "m2", "m3", "m5", "m6")]
    for cfg, kind in [(_rules(policy={"min_approvals": 0}), "policy"),
                      (_rules(review={"min_approvals": 0, "quorum": Fraction(0)}), "review"),
                      (config(), "plan")]:
        result = tally(snap(*recusals, kinds=(kind,)), cfg, NOW)
        assert (result.outcome, result.electorate) == ("failing", ())
        assert result.needs[0].startswith("a member able to vote")
        assert result.conditions[0].name == "electorate"


def test_a_protected_path_without_a_rule_fails_closed() -> None:
    """A protected path whose kind has no rule is a finding, never an unjudged change."""
    cfg = dataclasses.replace(config(), protected_paths={"budget": ("budget.yml",)})
    result = tally(snap(approve("chair"), kinds=(), files=("budget.yml",)), cfg, NOW)
    assert result.outcome == "invalid"
    assert [f.path for f in result.findings] == ["budget.yml"]
