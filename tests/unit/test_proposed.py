"""The configuration a pull request proposes is checked as proposed (rules/proposed.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govbot.model.findings import Finding
from govbot.rules.proposed import DELETED, UNREAD, proposed_findings

ROOT = Path(__file__).resolve().parents[2]
GOOD = (ROOT / "governance.yml").read_text(encoding="utf-8")


def test_the_projects_own_governance_yml_passes() -> None:
    """A valid proposed governance.yml has no finding."""
    assert proposed_findings({"governance.yml": GOOD}, [("governance.yml", "modified")]) == []


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD.replace("stale_approvals:", "stale_aprovals:", 1), "governance.yml:{line}: "
     "stale_aprovals: unknown key (did you mean 'stale_approvals'?)"),
    ("committee: [\n", "governance.yml:2: "),
    (GOOD.replace("\n", "\n\x00", 1), "governance.yml: the file is binary"),
    ("committee: []\nrules: {}\n\udcff\n", "governance.yml:3: the file is not valid UTF-8"),
], ids=["unknown key", "YAML syntax", "binary", "not UTF-8"])
def test_an_invalid_governance_yml_is_a_finding_with_its_place(text: str,
                                                               expected: str) -> None:
    """What would stop every later run is a finding on the PR, with path:line."""
    found = proposed_findings({"governance.yml": text}, [("governance.yml", "modified")])
    line = next((n for n, row in enumerate(text.splitlines(), 1)
                 if row.startswith("stale_aprovals")), 0)
    assert found, text
    assert str(found[0]).startswith(expected.format(line=line)), found


@pytest.mark.parametrize(("touched", "texts", "expected"), [
    ([("governance.yml", "removed")], {}, [Finding("governance.yml", None, DELETED, "config")]),
    ([("governance.yml", "removed"), ("gov.yml", "renamed")], {}, [
        Finding("governance.yml", None, DELETED, "config")]),
    ([("templates/comment.md.j2", "removed")], {}, []),
    ([("governance.yml", "modified")], {}, [Finding("governance.yml", None, UNREAD, "file")]),
    ([("README.md", "modified")], {}, []),
], ids=["deleted", "renamed away", "template deleted", "not a regular file", "not loaded"])
def test_deleting_or_replacing_governance_yml(touched: list[tuple[str, str]],
                                              texts: dict[str, str],
                                              expected: list[Finding]) -> None:
    """Deleting (or renaming away) governance.yml is a finding; a deleted template falls
    back to the packaged default; a file whose text could not be read is a finding."""
    assert proposed_findings(texts, touched) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("{% if x %}\nopen\n", "templates/comment.md.j2:2: the template does not parse: "),
    ("{{ x | md }}\n", None),
    ("caf\udce9 {{ x }}\n", "templates/comment.md.j2: the template is not valid UTF-8"),
], ids=["unclosed block", "valid", "not UTF-8"])
def test_a_proposed_template_must_parse(text: str, expected: str | None) -> None:
    """A template the PR changes must parse (it is never compiled or run here)."""
    found = proposed_findings({"templates/comment.md.j2": text},
                              [("templates/comment.md.j2", "modified")])
    if expected is None:
        assert found == []
    else:
        assert str(found[0]).startswith(expected), found


def test_templates_that_are_not_jinja_and_old_snapshots_are_left_alone() -> None:
    """Only `.j2` files are parsed; a snapshot without `config_files` checks nothing."""
    assert proposed_findings({"templates/site/style.css": "{% nope"},
                             [("templates/site/style.css", "added")]) == []
    assert proposed_findings(None, [("governance.yml", "removed")]) == []
