"""governance.yml: loading, every validation message, and the roster helpers."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govbot.model.config import RULE_KEYS, load_config, parse_period, read_config
from govbot.model.errors import ConfigError
from govbot.model.findings import shown

RULES = """rules:
  plan:       {quorum: 0.5,  threshold: majority, min_approvals: 2, review_period: 7d,  veto: false}
  policy:     {quorum: 50%,  threshold: 0.6,      min_approvals: 2, review_period: 72h, veto: false}
  governance: {quorum: 0.75, threshold: 2/3,      min_approvals: 3, review_period: 2w,  veto: true}
  review:     {quorum: 0.5,  threshold: unanimous, min_approvals: 1, review_period: 0d, veto: false}
"""
GOOD = """committee:
  - {login: alice, id: 1, name: Alice, role: chair, from: 2021-01-01}
  - {login: bob, id: 2, name: Bob, role: member, from: 2021-01-01, until: 2024-06-30}
  - {login: carol, name: Carol, from: 2024-07-01}
""" + RULES

BAD = """committee:
  - login: alice
    id: 1
    name: Alice
    role: chiar
    from: 2021-01-01
    until: 2020-01-01
    emial: a@x
  - login: Alice
    id: 1
    from: '2021-13-01'
  - login: 'bob smith'
    from: 2021-01-01
  - 5
  - login: carol
    id: -3
rules:
  plan: {quorum: 1.5, threshold: 3/2, min_approvals: -1, review_period: 7 days later, veto: maybe}
  policy: []
  governance: {quorum: 0.5, treshold: majority}
  reveiw: {}
author: approve
stale_approvals: pushed
tie_breaker: coin
protected_paths: {governance: [governance.yml], goverance: [x], plan: x}
review_cycle: often
bot: 'my bot'
labels: yes please
extra: 1
"""
G = "governance.yml"
BAD_MESSAGES = [
    f"{G}:29: extra: unknown key; allowed keys are committee, rules, author, stale_approvals, "
    "tie_breaker, protected_paths, review_cycle, bot, labels, repository, site_url, "
    "organisation, bodies or default_body",
    f"{G}:8: committee[0].emial: unknown key; allowed keys are login, id, name, role, from, "
    "until or leave",
    f"{G}:5: committee[0].role: 'chiar' is not one of chair, member or secretary (did you mean "
    "'chair'?)",
    f"{G}:7: committee[0].until: the term ends (2020-01-01) before it begins (2021-01-01)",
    f"{G}:11: committee[1].from: '2021-13-01' is not a date; write it as YYYY-MM-DD",
    f"{G}:12: committee[2].login: 'bob smith' is not a GitHub login",
    f"{G}:14: committee[3]: each committee entry must be a mapping with login, name, role and "
    "from",
    f"{G}:16: committee[4].id: -3 is not a GitHub numeric user id",
    f"{G}:15: committee[4].from: missing; add the date the member's term began (YYYY-MM-DD)",
    f"{G}:21: rules.reveiw: unknown key (did you mean 'review'?); allowed keys are plan, policy, "
    "governance or review",
    f"{G}:18: rules.plan.quorum: 1.5 must be a number from 0 to 1 (the share of seated members "
    "who must vote), e.g. 0.5",
    f"{G}:18: rules.plan.threshold: '3/2' must be majority, unanimous, or a fraction above 0 and "
    "at most 1 such as 2/3 or 0.6",
    f"{G}:18: rules.plan.min_approvals: -1 must be a whole number, 0 or more",
    f"{G}:18: rules.plan.review_period: '7 days later' is not a period; write e.g. 7d, 48h or 2w",
    f"{G}:18: rules.plan.veto: 'maybe' must be true or false",
    f"{G}:19: rules.policy: must be a mapping with quorum, threshold, min_approvals, "
    "review_period and veto",
    f"{G}:20: rules.governance.treshold: unknown key (did you mean 'threshold'?); allowed keys "
    "are quorum, threshold, min_approvals, review_period, veto, deadline, remind or "
    "recorded_votes",
    f"{G}:17: rules: no rule for 'review'; every kind needs one",
    f"{G}:27: bot: 'my bot' is not a GitHub login (e.g. github-actions[bot])",
    f"{G}:28: labels: 'yes please' must be true or false",
    f"{G}:22: author: 'approve' is not one of approves or excluded (did you mean 'approves'?)",
    f"{G}:23: stale_approvals: 'pushed' is not one of content, push or never (did you mean "
    "'push'?)",
    f"{G}:24: tie_breaker: 'coin' is not one of chair or none",
    f"{G}:25: protected_paths.goverance: 'goverance' is not a kind; use one of plan, policy, "
    "governance or review (did you mean 'governance'?)",
    f"{G}:25: protected_paths.plan: must be a list of path patterns, e.g. [policies/**]",
    f"{G}:26: review_cycle: 'often' is not a review cycle; write e.g. 12 months (at most 10 "
    "years)",
]


def test_good_config_loads() -> None:
    """A valid governance.yml loads with every rule, fraction and period understood."""
    config = load_config(G, GOOD)
    assert [m.login for m in config.committee] == ["alice", "bob", "carol"]
    assert config.rules["policy"].quorum == Fraction(1, 2)
    assert config.rules["policy"].threshold.strictness() == Fraction(3, 5)
    assert config.rules["governance"].review_period == dt.timedelta(weeks=2)
    assert config.rules["review"].threshold.strictness() == 1
    assert config.rules["plan"].threshold.strictness() == Fraction(1, 2)
    assert config.protected_paths["governance"] == ("governance.yml", ".github/**", "templates/**")
    assert config.review_cycle_months == 12
    strictest = max(config.rules.values(), key=lambda r: r.strictness())
    assert strictest.kind == "governance"


def test_every_problem_is_reported_with_its_key_path() -> None:
    """All problems of a bad governance.yml are collected, each naming its key path and line."""
    config, findings = read_config(G, BAD)
    assert config is None
    assert [str(f) for f in findings] == BAD_MESSAGES


@pytest.mark.parametrize(("text", "expected"), [
    ("- 1\n", [f"{G}:1: governance.yml must be a mapping with committee and rules"]),
    (RULES, [f"{G}:1: committee: missing or empty; list the committee members"]),
    ("committee:\n  - {login: a, role: chair, from: 2021-01-01}\n",
     [f"{G}:1: rules: missing; give a rule for each kind: plan, policy, governance or review"]),
    ("committee:\n  - {login: a, id: 1, role: chair, from: 2021-01-01}\n  - {login: A, id: 1, "
     "from: 2021-01-01}\n" + RULES,
     [f"{G}:3: committee[1].login: 'A' is listed twice (also committee[0]); keep one entry per "
      "person",
      f"{G}:3: committee[1].id: 1 is listed twice (also committee[0]); each id belongs to one "
      "person"]),
    ("committee: &a [*a]\n", [f"{G}:1: YAML aliases (*a) are not allowed; write the value out"]),
    ("committee:\n  - {login: a, role: chair, from: 2021-01-01}\nreview_cycle: 2 years\n"
     + RULES, []),
])
def test_config_rule(text: str, expected: list[str]) -> None:
    """Each governance.yml rule has its exact message."""
    assert [str(f) for f in read_config(G, text)[1]] == expected


MINIMAL = "committee:\n  - {login: a, role: chair, from: 2021-01-01}\n" + RULES


@pytest.mark.parametrize(("line", "expected"), [
    ("repository: my-org/governance", []),
    ("repository: my-org", [f"{G}:8: repository: 'my-org' is not a GitHub repository; write it "
                            "as owner/name, e.g. my-org/governance"]),
    ("repository: [a, b]", [f"{G}:8: repository: ['a', 'b'] is not a GitHub repository; write "
                            "it as owner/name, e.g. my-org/governance"]),
    ("site_url: https://my-org.github.io/governance", []),
    ("site_url: my-org.github.io", [f"{G}:8: site_url: 'my-org.github.io' is not a web address; "
                                    "write the published site's URL, e.g. "
                                    "https://my-org.github.io/governance/"]),
    ("repositry: a/b", [f"{G}:8: repositry: unknown key (did you mean 'repository'?); allowed "
                        "keys are committee, rules, author, stale_approvals, tie_breaker, "
                        "protected_paths, review_cycle, bot, labels, repository, site_url, "
                        "organisation, bodies or default_body"]),
    ("organisation: Example Foundation", []),
    ("organisation: ''", [f"{G}:8: organisation: '' is not a name; write the organisation's "
                          "name, e.g. organisation: Example Foundation"]),
    ("organisation: [a]", [f"{G}:8: organisation: ['a'] is not a name; write the organisation's "
                           "name, e.g. organisation: Example Foundation"]),
    ("organisation: \"a\\nb\"", [f"{G}:8: organisation: must be a single line"]),
    ("organisation: " + "x" * 121, [f"{G}:8: organisation: is 121 characters long; keep it to "
                                    "120 or fewer"]),
])
def test_links_settings(line: str, expected: list[str]) -> None:
    """`repository` is owner/name and `site_url` a web address, each with its exact message."""
    assert [str(f) for f in read_config(G, MINIMAL + line + "\n")[1]] == expected


@pytest.mark.parametrize(("text", "repository", "site_url"), [
    ("", None, None),
    ("repository: my-org/governance\nsite_url: https://my-org.github.io/governance\n",
     "my-org/governance", "https://my-org.github.io/governance/"),
    ("site_url: https://example.org/\n", None, "https://example.org/"),
])
def test_links_settings_values(text: str, repository: str | None, site_url: str | None) -> None:
    """Both settings default to none; a site URL always ends with a slash."""
    config = load_config(G, MINIMAL + text)
    assert (config.repository, config.site_url) == (repository, site_url)


def test_organisation_is_read() -> None:
    """`organisation` names whose plan it is (DESIGN §4); none by default."""
    assert load_config(G, MINIMAL).organisation is None
    assert load_config(G, MINIMAL + "organisation: '  Example   Foundation '\n"
                       ).organisation == "Example Foundation"


def test_load_config_raises_with_every_problem() -> None:
    """load_config raises ConfigError (exit 2) listing each problem."""
    with pytest.raises(ConfigError) as caught:
        load_config(G, "- 1\n")
    assert caught.value.exit_code == 2
    assert caught.value.diagnostics() == (
        "governance.yml has 1 problem(s); fix them and run again:\n"
        "governance.yml:1: governance.yml must be a mapping with committee and rules")


def test_roster_helpers() -> None:
    """Seats are inclusive; members match by id first, by login only without an id."""
    config = load_config(G, GOOD)
    bob = config.committee[1]
    assert bob.seated(dt.date(2024, 6, 30))
    assert not bob.seated(dt.date(2024, 7, 1))
    assert [m.login for m in config.seated(dt.date(2024, 7, 1))] == ["alice", "carol"]
    assert config.find_member("renamed", 2) is bob
    assert config.find_member("BOB", None) is None  # bob has an id: logins can be renamed
    assert config.find_member("Carol", None) is config.committee[2]
    assert config.chair(dt.date(2022, 1, 1)) is config.committee[0]
    assert config.chair(dt.date(2020, 1, 1)) is None


@pytest.mark.parametrize(("value", "expected"), [
    ("7d", dt.timedelta(days=7)), ("48h", dt.timedelta(hours=48)), ("2 weeks", dt.timedelta(14)),
    (0, dt.timedelta(0)), ("soon", None), (3, None), (None, None)])
def test_parse_period(value: object, expected: dt.timedelta | None) -> None:
    """Review periods are written as days, hours or weeks."""
    assert parse_period(value) == expected


def test_example_governance_yml_loads(repo_root: object) -> None:
    """This repository's governance.yml is valid: 7 seats, one chair, one ended term."""
    from pathlib import Path

    assert isinstance(repo_root, Path)
    config = load_config(G, (repo_root / G).read_text("utf-8"))
    assert len(config.committee) == 7
    assert [m.login for m in config.committee if m.is_chair] == ["amara-osei"]
    assert any(m.until is not None and m.until < dt.date(2026, 1, 1) for m in config.committee)


def _rules(**plan: str) -> str:
    """RULES with the plan rule's keys replaced by YAML text."""
    fields = {"quorum": "0.5", "threshold": "majority", "min_approvals": "2",
              "review_period": "7d", "veto": "false", **plan}
    inner = ", ".join(f"{key}: {value}" for key, value in fields.items())
    return RULES.replace(RULES.splitlines()[1], f"  plan: {{{inner}}}")


CHAIR = "committee:\n  - {login: a, role: chair, from: 2021-01-01}\n"
Q = "must be a number from 0 to 1 (the share of seated members who must vote), e.g. 0.5"
T = "must be majority, unanimous, or a fraction above 0 and at most 1 such as 2/3 or 0.6"


@pytest.mark.parametrize(("plan", "expected"), [
    ({"quorum": ".nan"}, [f"rules.plan.quorum: nan {Q}"]),
    ({"quorum": ".inf"}, [f"rules.plan.quorum: inf {Q}"]),
    ({"quorum": "-.inf"}, [f"rules.plan.quorum: -inf {Q}"]),
    ({"quorum": "1e999"}, [f"rules.plan.quorum: inf {Q}"]),
    ({"quorum": "'1e999999'"}, [f"rules.plan.quorum: '1e999999' {Q}"]),
    ({"quorum": "true"}, [f"rules.plan.quorum: True {Q}"]),
    ({"quorum": "-0.1"}, [f"rules.plan.quorum: -0.1 {Q}"]),
    ({"quorum": "1.01"}, [f"rules.plan.quorum: 1.01 {Q}"]),
    ({"quorum": "0"}, []), ({"quorum": "1"}, []), ({"quorum": "100%"}, []),
    ({"quorum": "'2/3'"}, []),
    ({"threshold": ".nan"}, [f"rules.plan.threshold: nan {T}"]),
    ({"threshold": ".inf"}, [f"rules.plan.threshold: inf {T}"]),
    ({"threshold": "1/0"}, [f"rules.plan.threshold: '1/0' {T}"]),
    ({"threshold": f"'{'9' * 5000}/1'"}, [f"rules.plan.threshold: {shown('9' * 5000)} {T}"]),
    ({"min_approvals": ".inf"}, ["rules.plan.min_approvals: inf must be a whole number, 0 or "
                                 "more"]),
    ({"min_approvals": "2.0"}, ["rules.plan.min_approvals: 2.0 must be a whole number, 0 or "
                                "more"]),
    ({"review_period": "99999999999d"}, ["rules.plan.review_period: '99999999999d' is not a "
                                         "period; write e.g. 7d, 48h or 2w"]),
    ({"review_period": "999999999w"}, ["rules.plan.review_period: '999999999w' is not a "
                                       "period; write e.g. 7d, 48h or 2w"]),
    ({"review_period": ".inf"}, ["rules.plan.review_period: inf is not a period; write e.g. "
                                 "7d, 48h or 2w"]),
    ({"veto": "yes"}, ["rules.plan.veto: 'yes' must be true or false"]),
    ({"min_approvals": "0", "review_period": "0d"}, [
        "rules.plan.min_approvals: 0 is lazy consensus (the rule passes when nobody objects), "
        "which needs a review period of at least a day for members to object; set "
        "review_period: 1d or more, or min_approvals: 1 or more"]),
    ({"min_approvals": "0", "review_period": "23h"}, [
        "rules.plan.min_approvals: 0 is lazy consensus (the rule passes when nobody objects), "
        "which needs a review period of at least a day for members to object; set "
        "review_period: 1d or more, or min_approvals: 1 or more"]),
    ({"min_approvals": "0", "review_period": "24h"}, []),
    ({"min_approvals": "0", "review_period": "1d"}, []),
])
def test_rule_values_are_findings_never_crashes(plan: dict[str, str],
                                                expected: list[str]) -> None:
    """Non-numbers, .nan, .inf, out-of-range and absurd values in a rule are findings naming
    the key path (they crashed with exit 3); lazy consensus needs a review period of a day."""
    findings = read_config(G, CHAIR + _rules(**plan))[1]
    assert [f.message for f in findings] == expected
    assert all(f.line == 4 for f in findings)  # the plan rule's line


@pytest.mark.parametrize(("value", "expected"), [
    ("999999 years", "review_cycle: '999999 years' is not a review cycle; write e.g. 12 months "
     "(at most 10 years)"),
    ("9" * 5000 + " months", f"review_cycle: {shown('9' * 5000)} is not a review cycle; write "
     "e.g. 12 months (at most 10 years)"),
])
def test_absurd_review_cycles_are_findings(value: str, expected: str) -> None:
    """A review cycle is at most ten years; a huge one is a finding, not a crash."""
    assert [f.message for f in read_config(G, CHAIR + RULES + f"review_cycle: {value}\n")[1]] \
        == [expected]


@pytest.mark.parametrize(("committee", "extra", "expected"), [
    ("  - {login: a, role: chair, from: 2021-01-01}\n"
     "  - {login: b, role: chair, from: 2023-01-01}\n", "",
     ["governance.yml:3: committee[1].role: b and a are both chair at the same time (their "
      "terms overlap); a committee has one chair: make one of them member, or end one term "
      "before the other begins"]),
    ("  - {login: a, role: chair, from: 2021-01-01, until: 2022-12-31}\n"
     "  - {login: b, role: chair, from: 2023-01-01}\n", "", []),
    ("  - {login: a, from: 2021-01-01}\n", "tie_breaker: chair\n",
     ["governance.yml:8: tie_breaker: chair needs a committee member with role: chair, and "
      "there is none; give one member role: chair, or set tie_breaker: none"]),
    ("  - {login: a, from: 2021-01-01}\n", "", []),  # unwritten: valid as before
    ("  - {login: a, from: 2021-01-01}\n", "tie_breaker: none\n", []),
    ("  - {login: a, role: chair, from: 2021-01-01}\n  - {login: 'dependabot[bot]', "
     "from: 2021-01-01}\n", "",
     ["governance.yml:3: committee[1].login: 'dependabot[bot]' is a GitHub App (a bot), which "
      "can never vote but would count towards the quorum; remove it from the committee (name "
      "govbot's own account under bot:)"]),
])
def test_chairs_and_seats(committee: str, extra: str, expected: list[str]) -> None:
    """One chair at a time; a written tie_breaker: chair needs one (a governance.yml that
    does not say keeps working as before); a bot holds no seat."""
    text = f"committee:\n{committee}" + RULES + extra
    assert [str(f) for f in read_config(G, text)[1]] == expected


@pytest.mark.parametrize(("protected", "expected"), [
    ("", {"governance": ("governance.yml", ".github/**", "templates/**")}),
    ("protected_paths: {governance: [governance.yml]}\n",
     {"governance": ("governance.yml", ".github/**", "templates/**")}),
    ("protected_paths: {governance: [CODEOWNERS]}\n",
     {"governance": ("governance.yml", ".github/**", "templates/**", "CODEOWNERS")}),
    ("protected_paths: {policy: [policies/**]}\n",
     {"governance": ("governance.yml", ".github/**", "templates/**"),
      "policy": ("policies/**",)}),
    ("protected_paths: {governance: []}\n",
     {"governance": ("governance.yml", ".github/**", "templates/**")}),
])
def test_protected_paths_add_to_the_built_in_protection(
        protected: str, expected: dict[str, tuple[str, ...]]) -> None:
    """Entries in protected_paths are added to governance.yml, .github/** and templates/**
    (the governance rule), which configuration cannot remove."""
    assert dict(load_config(G, CHAIR + RULES + protected).protected_paths) == expected


@pytest.mark.parametrize(("extra", "expected"), [
    ("protected_paths: [governance.yml]\n", "protected_paths: must map a kind to a list of path "
     "patterns, e.g. policy: [policies/**]"),
])
def test_protected_paths_must_be_a_mapping(extra: str, expected: str) -> None:
    """protected_paths maps kinds to patterns."""
    assert [f.message for f in read_config(G, CHAIR + RULES + extra)[1]] == [expected]


@pytest.mark.parametrize(("member", "expected"), [
    ("{login: b, name: 42, from: 2021-01-01}", "committee[1].name: 42 is not text; write the "
     "member's full name"),
    ("{login: b, name: \"B\\nC\", from: 2021-01-01}", "committee[1].name: must be a single "
     "line"),
])
def test_member_names(member: str, expected: str) -> None:
    """A member's name is one line of text."""
    assert [f.message for f in read_config(G, CHAIR + f"  - {member}\n" + RULES)[1]] == \
        [expected]


def test_an_empty_protected_pattern_is_a_finding() -> None:
    """An empty pattern says what to write."""
    assert [f.message for f in read_config(G, CHAIR + RULES + "protected_paths: {policy: "
                                                                 "['']}\n")[1]] == [
        "protected_paths.policy: must be a list of path patterns, e.g. [policies/**]"]


YAML_SCALARS = st.one_of(
    st.sampled_from([".nan", ".inf", "-.inf", "1e999", "1e-999", "0x10", "0o7", "true", "~",
                     "'1/0'", "'1e99999'", "'50%'", "'0.5%'", "[1]", "{a: 1}", "''",
                     "99999999999999", "'9999999999/1'"]),
    st.floats().map(repr), st.integers(-10**16, 10**16).map(str),
    st.text(alphabet="0123456789./%e-dhw ", max_size=12).map(lambda t: f"'{t}'"))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(RULE_KEYS), YAML_SCALARS)
def test_any_rule_value_is_read_or_a_finding(key: str, value: str) -> None:
    """Whatever a rule's value is, read_config returns (a config or findings), never raises."""
    read_config(G, CHAIR + _rules(**{key: value}))


TWO_BODIES = """bodies:
  steering:
    name: Steering Committee
    committee:
      - {login: alice, id: 1, name: Alice, role: chair, from: 2021-01-01}
      - {login: bob, id: 2, name: Bob, from: 2021-01-01}
      - {login: sam, id: 9, name: Sam, role: secretary, from: 2021-01-01}
  council:
    name: Community Council
    committee:
      - {login: carol, id: 3, name: Carol, role: chair, from: 2021-01-01}
      - {login: bob, id: 2, name: Bob, from: 2022-01-01,
         leave: [{from: 2026-01-10, until: 2026-03-31}]}
    rules:
      plan: {quorum: 1, threshold: unanimous, min_approvals: 2, review_period: 3d,
             deadline: 30d, remind: 2d, recorded_votes: true}
default_body: steering
protected_paths:
  council.plan: [PLAN.md]
  steering.governance: [governance.yml]
  policy: [policies/**]
""" + RULES


def test_bodies_load_with_their_rosters_and_rules() -> None:
    """Each body has its roster and its rules (the top-level rules fill the kinds it does
    not give); `committee`, `rules`, `seated` and `find_member` are the default body's."""
    config = load_config(G, TWO_BODIES)
    assert list(config.bodies) == ["steering", "council"]
    assert config.default_body == "steering"
    assert config.several_bodies
    steering, council = config.body(), config.body("council")
    assert (steering.name, council.name) == ("Steering Committee", "Community Council")
    assert config.committee == steering.committee
    assert config.rules == steering.rules
    assert [m.login for m in config.seated(dt.date(2026, 1, 1))] == ["alice", "bob"]
    assert config.find_member("carol", 3) is None
    assert council.find_member("carol", 3) is council.committee[0]
    assert config.find_anyone("carol", 3) is council.committee[0]
    plan = council.rules["plan"]
    assert (plan.deadline, plan.remind, plan.recorded_votes) == (
        dt.timedelta(days=30), dt.timedelta(days=2), True)
    assert council.rules["policy"] is steering.rules["policy"]  # from the top-level rules
    assert steering.rules["plan"].deadline is None
    assert not steering.rules["plan"].recorded_votes
    assert config.protected_rules() == [  # added to the built-in protection
        ("council", "plan", ("PLAN.md",)),
        ("steering", "governance", ("governance.yml", ".github/**", "templates/**")),
        ("steering", "policy", ("policies/**",))]
    assert sorted(config.protected_patterns()) == [".github/**", "PLAN.md", "governance.yml",
                                                   "policies/**", "templates/**"]


def test_secretary_and_leave() -> None:
    """A secretary holds a seat without a vote; a leave covers its dates inclusive."""
    config = load_config(G, TWO_BODIES)
    sam = config.committee[2]
    assert sam.is_secretary
    assert not sam.votes
    assert sam.seated(dt.date(2026, 1, 1))
    assert [m.login for m in config.body().officers(dt.date(2026, 1, 1))] == ["alice", "sam"]
    bob = config.body("council").committee[1]
    assert [bob.on_leave(dt.date(2026, m, d)) for m, d in ((1, 9), (1, 10), (3, 31), (4, 1))] \
        == [False, True, True, False]
    assert not config.committee[1].on_leave(dt.date(2026, 2, 1))  # on steering: no leave


def test_single_committee_is_one_default_body() -> None:
    """Today's single-committee file is exactly one body, `committee`, with the top-level
    roster and rules; `protected_paths` keys stay plain kinds."""
    config = load_config(G, GOOD)
    assert list(config.bodies) == ["committee"]
    assert not config.several_bodies
    assert config.body().committee == config.committee
    assert config.body().rules == config.rules
    assert config.protected_rules() == [
        ("committee", "governance", ("governance.yml", ".github/**", "templates/**"))]


def test_a_config_built_in_code_has_one_body() -> None:
    """`Config(committee=…, rules=…)`, as callers build one, is a one-body configuration."""
    from govbot.model.config import Config

    config = Config(committee=(), rules={})
    assert config.body().id == "committee"
    assert config.body().committee == ()


def test_top_level_committee_is_the_default_body_roster() -> None:
    """With `bodies:`, a top-level `committee` is the default body's roster when that body
    gives none of its own (adding a council to an existing file needs no move)."""
    text = GOOD + ("bodies:\n  steering: {name: Steering}\n  council:\n    committee:\n"
                   "      - {login: dan, from: 2021-01-01}\ndefault_body: steering\n")
    config = load_config(G, text)
    assert [m.login for m in config.committee] == ["alice", "bob", "carol"]
    assert config.body("council").name == "council"


ONE_BODY = "bodies:\n  steering:\n    committee:\n      - {login: a, from: 2021-01-01}\n"


@pytest.mark.parametrize(("text", "expected"), [
    (ONE_BODY + RULES, []),
    (ONE_BODY, [f"{G}:2: bodies.steering.rules: no rule for 'plan'; every kind needs one: give "
                "it here or in the top-level rules",
                f"{G}:2: bodies.steering.rules: no rule for 'policy'; every kind needs one: give "
                "it here or in the top-level rules",
                f"{G}:2: bodies.steering.rules: no rule for 'governance'; every kind needs one: "
                "give it here or in the top-level rules",
                f"{G}:2: bodies.steering.rules: no rule for 'review'; every kind needs one: give "
                "it here or in the top-level rules"]),
    ("bodies: []\n" + RULES, [f"{G}:1: bodies: must map each body's id to its name, committee "
                              "and rules, e.g. council: {name: Community Council, committee: "
                              "[...]}"]),
    (ONE_BODY + "  council:\n    committee: [{login: b, from: 2021-01-01}]\n" + RULES,
     [f"{G}:1: default_body: missing; name the body that decides a record without `body:`, "
      "one of steering or council"]),
    (ONE_BODY + "default_body: steerin\n" + RULES,
     [f"{G}:5: default_body: 'steerin' is not one of the bodies: steering (did you mean "
      "'steering'?)"]),
    ("default_body: x\n" + MINIMAL,
     [f"{G}:1: default_body: names one of `bodies:`, and this file has none; remove it, or "
      "add bodies"]),
    ("bodies:\n  Steering Committee: {committee: [{login: a, from: 2021-01-01}]}\n" + RULES,
     [f"{G}:2: bodies.Steering Committee: 'Steering Committee' is not a body id; use lowercase "
      "letters, digits, '-' and '_', starting with a letter (e.g. council)"]),
    ("bodies:\n  council: {name: C, members: []}\n" + RULES,
     [f"{G}:2: bodies.council.members: unknown key; allowed keys are name, committee or rules",
      f"{G}:2: bodies.council.committee: missing or empty; list the C members"]),
    ("bodies:\n  council: 5\n" + RULES,
     [f"{G}:2: bodies.council: must be a mapping with name, committee and rules"]),
    (ONE_BODY + "    name: [x]\n" + RULES,
     [f"{G}:5: bodies.steering.name: ['x'] is not a name; write the body's name on one line, "
      "e.g. Community Council"]),
    (ONE_BODY + "    rules: {plan: {quorum: 2}, pln: {}}\n" + RULES,
     [f"{G}:5: bodies.steering.rules.pln: unknown key (did you mean 'plan'?); allowed keys are "
      "plan, policy, governance or review",
      f"{G}:5: bodies.steering.rules.plan.quorum: 2 must be a number from 0 to 1 (the share of "
      "seated members who must vote), e.g. 0.5"]),
    (ONE_BODY + "    committee: [{login: b, from: 2021-01-01}]\n" + RULES,
     [f"{G}:5: the key 'bodies.steering.committee' appears twice; keep one"]),
    (MINIMAL + "bodies:\n  steering: {committee: [{login: b, from: 2021-01-01}]}\n",
     [f"{G}:1: committee: the default body (steering) has its own committee under bodies; "
      "move these members there and remove this list"]),
    (ONE_BODY + "  council: {committee: [{login: b, from: 2021-01-01}]}\n"
     "default_body: council\ncommittee: [{login: c, from: 2021-01-01}]\n" + RULES,
     [f"{G}:7: committee: the default body (council) has its own committee under bodies; move "
      "these members there and remove this list"]),
    ("bodies:\n  steering:\n    committee:\n      - {login: a, from: 2021-01-01}\n"
     "      - {login: A, from: 2021-01-01}\n" + RULES,
     [f"{G}:5: bodies.steering.committee[1].login: 'A' is listed twice (also committee[0]); "
      "keep one entry per person"]),
])
def test_bodies_rule(text: str, expected: list[str]) -> None:
    """Each `bodies:` rule has its exact message, at the key path of the problem."""
    assert [str(f) for f in read_config(G, text)[1]] == expected


@pytest.mark.parametrize(("member", "expected"), [
    ("leave: [{from: 2026-01-10, until: 2026-03-31}]", []),
    ("leave: {from: 2026-01-10}", [f"{G}:3: committee[0].leave: must be a list of leaves, e.g. "
                                   "[{from: 2026-01-10, until: 2026-03-31}]"]),
    ("leave: [2026-01-10]", [f"{G}:3: committee[0].leave[0]: each leave must be a mapping with "
                             "from and until, e.g. {from: 2026-01-10, until: 2026-03-31}"]),
    ("leave: [{from: 2026-01-10}]", [f"{G}:3: committee[0].leave[0].until: missing; add the last "
                                     "day of the leave (YYYY-MM-DD)"]),
    ("leave: [{from: 2026-04-10, until: 2026-03-31, why: x}]",
     [f"{G}:3: committee[0].leave[0].why: unknown key; allowed keys are from or until",
      f"{G}:3: committee[0].leave[0].until: the leave ends (2026-03-31) before it begins "
      "(2026-04-10)"]),
    ("leave: [{from: soon, until: 2026-03-31}]",
     [f"{G}:3: committee[0].leave[0].from: 'soon' is not a date; write it as YYYY-MM-DD"]),
    ("role: secretary", []),
])
def test_member_leave_and_role(member: str, expected: list[str]) -> None:
    """`leave` is a list of {from, until}; `role` may be secretary; each with its message."""
    text = f"committee:\n  - login: a\n    {member}\n    from: 2021-01-01\n" + RULES
    assert [str(f) for f in read_config(G, text)[1]] == expected


@pytest.mark.parametrize(("rule", "expected"), [
    ("deadline: 30d, remind: 2d, recorded_votes: true", []),
    ("deadline: soon", [f"{G}:2: rules.plan.deadline: 'soon' is not a period; write e.g. 30d, "
                        "48h or 2w (leave the key out for none)"]),
    ("remind: 0d", [f"{G}:2: rules.plan.remind: '0d' is not a period; write e.g. 30d, 48h or 2w "
                    "(leave the key out for none)"]),
    ("review_period: 7d, deadline: 3d",
     [f"{G}:2: rules.plan.deadline: '3d' ends voting before the review period ('7d') does; make "
      "the deadline at least as long as the review period"]),
    ("recorded_votes: 1", [f"{G}:2: rules.plan.recorded_votes: 1 must be true or false"]),
])
def test_rule_deadline_remind_recorded(rule: str, expected: list[str]) -> None:
    """`deadline`, `remind` and `recorded_votes` are optional, each with its message."""
    text = (f"rules:\n  plan: {{{rule}}}\n  policy: {{}}\n  governance: {{}}\n  review: {{}}\n"
            "committee: [{login: a, from: 2021-01-01}]\n")
    assert [str(f) for f in read_config(G, text)[1]] == expected


@pytest.mark.parametrize(("paths", "expected"), [
    ("{council.plan: [PLAN.md]}", []),
    ("{counsil.plan: [PLAN.md]}", [f"{G}:13: protected_paths.counsil.plan: 'counsil' is not a "
                                   "body; write KIND or BODY.KIND with a body of council or "
                                   "steering (did you mean 'council'?)"]),
    ("{council.pln: [PLAN.md]}", [f"{G}:13: protected_paths.council.pln: 'pln' is not a kind; "
                                  "use one of plan, policy, governance or review (did you mean "
                                  "'plan'?)"]),
])
def test_protected_paths_name_a_body(paths: str, expected: list[str]) -> None:
    """A `protected_paths` key is KIND or BODY.KIND, the body one of `bodies`."""
    text = (ONE_BODY + "  council:\n    committee: [{login: b, from: 2021-01-01}]\n"
            "default_body: steering\n" + RULES + f"protected_paths: {paths}\n")
    assert [str(f) for f in read_config(G, text)[1]] == expected


def test_a_copy_with_another_committee_changes_the_default_body() -> None:
    """`dataclasses.replace(config, committee=…)` (as tests and callers do) changes the
    default body's roster too; the other bodies stay."""
    import dataclasses

    config = load_config(G, TWO_BODIES)
    copy = dataclasses.replace(config, committee=config.committee[:1])
    assert [m.login for m in copy.body().committee] == ["alice"]
    assert copy.body().name == "Steering Committee"
    assert copy.body("council") is config.body("council")
