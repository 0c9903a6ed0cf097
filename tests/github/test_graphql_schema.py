"""Every GraphQL query govbot sends is valid against GitHub's published schema.

The schema is npm's `@octokit/graphql-schema` (GitHub's own, as published), installed by
.ci/run into `.cache/npm` (or found at $GOVBOT_GRAPHQL_SCHEMA). graphql-core validates each
query and its variables against it, with deprecated fields refused too (GitHub removes
them). Without the package these tests skip and say how to install it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLSchema, build_schema, parse, specified_rules, validate
from graphql.execution.values import get_variable_values
from graphql.language import OperationDefinitionNode
from graphql.validation import NoDeprecatedCustomRule

from govbot.github import queries

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path("node_modules/@octokit/graphql-schema/schema.graphql")


def _schema_file() -> Path | None:
    given = os.environ.get("GOVBOT_GRAPHQL_SCHEMA")
    for path in ([Path(given)] if given else []) + [ROOT / ".cache/npm" / PACKAGE]:
        if path.is_file():
            return path
    return None


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    """GitHub's schema, built once (about three seconds)."""
    path = _schema_file()
    if path is None:
        pytest.skip("GitHub's GraphQL schema is not installed: run `npm install --prefix "
                    ".cache/npm @octokit/graphql-schema@15` (as .ci/run does), or set "
                    "GOVBOT_GRAPHQL_SCHEMA to its schema.graphql")
    built = build_schema(path.read_text(encoding="utf-8"), assume_valid_sdl=True)
    # GitHub's SDL breaks a rule of the spec's schema validation (deprecated fields that
    # implement interfaces); the queries, not the schema, are under test here
    built._validation_errors = []
    return built


PULL = queries.pull_query("org", "governance", 7,
                          ["decisions/0012-x.md", "governance.yml"],
                          ["decisions/0012-x.md", ".github/workflows/govbot.yml"])
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "pull": (PULL.text, PULL.variables),
    "pull without files": (lambda q: (q.text, q.variables))(
        queries.pull_query("org", "governance", 7, [], [])),
    "head": queries.head_query("org", "governance", "a" * 40, PULL),
    "sweep": (queries.SWEEP, {"owner": "org", "name": "governance", "after": None}),
    "sweep, next page": (queries.SWEEP, {"owner": "org", "name": "governance",
                                         "after": "Y3Vyc29yOjUw"}),
    "comment bodies": (queries.BODIES, {"ids": ["IC_kwDOA", "IC_kwDOB"]}),
}


@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_every_query_is_valid_against_githubs_schema(schema: GraphQLSchema, case: str) -> None:
    """The query validates (deprecated fields refused) and its variables fit their types."""
    text, variables = CASES[case]
    document = parse(text)
    errors = validate(schema, document, [*specified_rules, NoDeprecatedCustomRule])
    assert [e.message for e in errors] == []
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    coerced = get_variable_values(schema, operation.variable_definitions or [], variables)
    assert not isinstance(coerced, list), [e.message for e in coerced]


def test_a_path_is_a_variable_never_part_of_the_text() -> None:
    """Paths from the PR travel as variables, so no file name can change the query."""
    odd = 'decisions/0012-") { x } #.md'
    query = queries.pull_query("org", "governance", 7, [odd], [odd])
    assert odd not in query.text
    assert odd in query.variables.values()
