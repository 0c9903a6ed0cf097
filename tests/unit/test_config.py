"""governance.yml: loading, every validation message, and the roster helpers."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from govbot.model.config import load_config, parse_period, read_config
from govbot.model.errors import ConfigError

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
    "tie_breaker, protected_paths, review_cycle, bot, labels, repository, site_url or "
    "organisation",
    f"{G}:8: committee[0].emial: unknown key; allowed keys are login, id, name, role, from or "
    "until",
    f"{G}:5: committee[0].role: 'chiar' is not one of chair or member (did you mean 'chair'?)",
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
    "are quorum, threshold, min_approvals, review_period or veto",
    f"{G}:17: rules: no rule for 'review'; every kind needs one",
    f"{G}:27: bot: 'my bot' is not a GitHub login (e.g. github-actions[bot])",
    f"{G}:28: labels: 'yes please' must be true or false",
    f"{G}:22: author: 'approve' is not one of approves or excluded (did you mean 'approves'?)",
    f"{G}:23: stale_approvals: 'pushed' is not one of content, push or never (did you mean "
    "'push'?)",
    f"{G}:24: tie_breaker: 'coin' is not one of chair or none",
    f"{G}:25: protected_paths.goverance: 'goverance' is not a kind; use one of plan, policy, "
    "governance or review (did you mean 'governance'?)",
    f"{G}:25: protected_paths.plan: must be a list of path patterns",
    f"{G}:26: review_cycle: 'often' is not a review cycle; write e.g. 12 months",
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
    ("committee:\n  - {login: a, from: 2021-01-01}\n",
     [f"{G}:1: rules: missing; give a rule for each kind: plan, policy, governance or review"]),
    ("committee:\n  - {login: a, id: 1, from: 2021-01-01}\n  - {login: A, id: 1, from: "
     "2021-01-01}\n" + RULES,
     [f"{G}:3: committee[1].login: 'A' is listed twice (also committee[0]); keep one entry per "
      "person",
      f"{G}:3: committee[1].id: 1 is listed twice (also committee[0]); each id belongs to one "
      "person"]),
    ("committee: &a [*a]\n", [f"{G}:1: YAML aliases (*a) are not allowed; write the value out"]),
    ("committee:\n  - {login: a, from: 2021-01-01}\nreview_cycle: 2 years\n" + RULES, []),
])
def test_config_rule(text: str, expected: list[str]) -> None:
    """Each governance.yml rule has its exact message."""
    assert [str(f) for f in read_config(G, text)[1]] == expected


MINIMAL = "committee:\n  - {login: a, from: 2021-01-01}\n" + RULES


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
                        "protected_paths, review_cycle, bot, labels, repository, site_url or "
                        "organisation"]),
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
