"""Plausible prose for synthetic decision records: titles, goals, objectives and bodies.

Every function draws from the given `random.Random`, so the same seed gives the same text.
No generated string contains `: `, ` #` or a leading YAML indicator, so it is safe as a plain
YAML scalar.
"""

from __future__ import annotations

import random
import textwrap

TOPICS = (
    "package mirrors", "the build farm", "the CI fleet", "artefact signing",
    "software bills of materials", "reproducible builds", "mentorship grants",
    "travel grants", "the contributor summit", "security audits", "incident response",
    "release tooling", "documentation translation", "accessibility reviews",
    "trademark licensing", "the code of conduct", "fiscal sponsorship", "the operating reserve",
    "community health metrics", "maintainer succession", "conformance suites",
    "interoperability testing", "dependency updates", "vulnerability disclosure",
    "the newcomer programme", "regional convenings", "donor reporting", "cloud credits",
    "the public roadmap", "project onboarding", "project archival", "the mailing lists",
)
TEAMS = ("the infrastructure team", "the secretariat", "the security working group",
         "the community team", "the release managers", "the finance committee",
         "the documentation team", "the events team", "the board liaison")
GROUPS = ("hosted projects", "first-time contributors", "downstream distributions",
          "corporate members", "individual sponsors", "regional user groups",
          "volunteer maintainers", "mirror operators")
VERBS = ("Publish", "Run", "Fund", "Document", "Measure", "Automate", "Review", "Report on",
         "Support", "Expand", "Audit", "Simplify")
PERIODS = ("every month", "every quarter", "twice a year", "every year",
           "before each release", "by the end of the plan period")
GOAL_TITLES = ("Run reliable, secure shared infrastructure on {topic}",
               "Grow a healthy community around {topic}",
               "Make {topic} sustainable for {group}",
               "Strengthen {topic} across {group}",
               "Keep {topic} open and accountable",
               "Make {topic} easier for {group}")
SENTENCES = (
    "Over the last {n} months {team} has spent more time on {topic} than the plan assumed.",
    "Several {group} told us that {topic} is now the main reason they stay with us.",
    "The current arrangement for {topic} dates from {year} and no longer matches how we work.",
    "Without a written rule, decisions about {topic} are made case by case and nobody can "
    "predict them.",
    "{team_cap} estimates that the work on {topic} will need about {n} volunteer hours a month.",
    "In {year} we tried a lighter approach to {topic}, and it did not survive the first "
    "busy release cycle.",
    "Two of the {group} we spoke to asked for the same change to {topic} independently.",
    "The cost of {topic} is small for us and large for each of the {group} on their own.",
    "We will review {topic} {period} and report what we learned to the committee.",
    "{team_cap} owns the change and reports progress to the committee {period}.",
    "This keeps the decision reversible, because the next annual review can revisit it.",
    "Members with a conflict of interest in {topic} will abstain, as the policy requires.",
    "The budget impact is below {n} thousand euros a year and fits in the existing envelope.",
    "{group_cap} that already handle {topic} on their own are not required to change anything.",
    "We expect the first results by {month} {year}, and we will say so plainly if we miss that.",
    "The objection raised in review is recorded here, and the text was changed in response.",
    "Other foundations handle {topic} in a similar way, which makes collaboration easier.",
    "If this does not work, the fallback is to hand {topic} back to {team} as before.",
)
MONTHS = ("January", "March", "May", "June", "September", "November")


def _fill(rng: random.Random, template: str) -> str:
    team, group = rng.choice(TEAMS), rng.choice(GROUPS)
    return template.format(
        topic=rng.choice(TOPICS), team=team, team_cap=team[0].upper() + team[1:],
        group=group, group_cap=group[0].upper() + group[1:], n=rng.randint(2, 40),
        year=rng.randint(2019, 2025), month=rng.choice(MONTHS), period=rng.choice(PERIODS))


def wrap(text: str, width: int = 90) -> list[str]:
    """Lines of at most `width` characters (the example records wrap near 90)."""
    return textwrap.wrap(text, width) or [""]


def _paragraph(rng: random.Random, sentences: int) -> str:
    text = " ".join(_fill(rng, rng.choice(SENTENCES)) for _ in range(sentences))
    return "\n".join(wrap(text))


def paragraphs(rng: random.Random) -> str:
    """A record body of about 1–3 KB with the three required sections (MADR style)."""
    out = []
    for section, low, high in (("Context", 1, 3), ("Decision", 1, 2), ("Consequences", 1, 2)):
        out.append(f"## {section}\n")
        for _ in range(rng.randint(low, high)):
            out.append(_paragraph(rng, rng.randint(2, 4)) + "\n")
        if section == "Decision" and rng.random() < 0.4:
            out.append("\n".join(f"- {_fill(rng, rng.choice(SENTENCES))}"
                                 for _ in range(rng.randint(2, 4))) + "\n")
    if rng.random() < 0.2:
        out.append("## Alternatives considered\n")
        out.append(_paragraph(rng, 2) + "\n")
    return "\n".join(out)


def goal_title(rng: random.Random) -> str:
    return _fill(rng, rng.choice(GOAL_TITLES))


def goal_rationale(rng: random.Random) -> str:
    return " ".join(_fill(rng, rng.choice(SENTENCES)) for _ in range(rng.randint(2, 3)))


def objective_text(rng: random.Random) -> str:
    return (f"{rng.choice(VERBS)} {rng.choice(TOPICS)} for {rng.choice(GROUPS)} "
            f"{rng.choice(PERIODS)}, and publish the results.")


def record_title(rng: random.Random, kind: str, index: int) -> str:
    """A title in the style of the example records (the id keeps titles distinct)."""
    topic = rng.choice(TOPICS)
    if kind == "plan":
        choices = (f"Add an objective on {topic}", f"Refocus the plan on {topic}",
                   f"Extend the deadline for {topic}", f"Retire the work on {topic}")
    elif kind == "policy":
        choices = (f"Adopt a policy on {topic}", f"Revise the policy on {topic}")
    elif kind == "governance":
        choices = (f"Change how the committee decides on {topic}",
                   f"Delegate {topic} to {rng.choice(TEAMS)}")
    else:
        choices = (f"Annual review of the strategic plan ({topic})",
                   f"Progress review of {topic}")
    return f"{rng.choice(choices)} (no. {index})"
