"""GitHub's GraphQL API, the pure half: the queries govbot sends and the conversion of their
answers into the REST shapes govbot's data keeps (DESIGN §5: a snapshot nests GitHub's REST
field names). No I/O here; `client` sends the queries through PyGithub's requester.

Why GraphQL (DESIGN §10): one query reads a pull request with its reviews, comments, the
`ready_for_review` timeline, the statuses on its head, who edited each comment (GitHub's
edit history: REST has no such field), the text of its changed records at the
head and, for each approving review, the governed files at the reviewed commit — what REST
spreads over six or more requests. The file listing stays REST (`GET /pulls/N/files`):
GraphQL's changed files carry no `previous_filename`, and a rename must be seen. One paged
query lists every open pull request for the sweep with just what tells whether it changed.

Every query is validated against GitHub's published schema in the tests
(`tests/github/test_graphql_schema.py`). Lists are read whole or not at all: a connection
with more pages than a query fetched is either read again through REST (paged, with the
same limits) or the run fails closed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from govbot.github.botstate import bot_comments
from govbot.model.vocab import git_blob_sha

# git modes of a regular file (plain and executable): anything else at a record's path (a
# symbolic link, a submodule) is not read as a record (DESIGN §9)
REGULAR_FILES = (0o100644, 0o100755)
PAGE = 100  # the most GitHub returns in one connection page

_ACTOR = "login __typename ... on User { databaseId } ... on Bot { databaseId }"
_PULL_FIELDS = f"""
      number title state isDraft merged mergedAt closedAt createdAt updatedAt url
      headRefOid headRefName baseRefName baseRefOid changedFiles
      author {{ {_ACTOR} }}
      labels(first: {PAGE}) {{ totalCount nodes {{ name }} }}"""
_STATUSES = "status { contexts { context state description } }"
# who edited a comment, and who deleted a revision from its history (GitHub's own record,
# which no writer can forge); more edits than this: unknown
EDITS = 50
_EDITS = (f"userContentEdits(first: {EDITS}) {{ totalCount nodes {{ editor {{ {_ACTOR} }} "
          f"deletedBy {{ {_ACTOR} }} }} }}")


@dataclass(frozen=True, slots=True)
class PullQuery:
    """The one query for a pull request: its text, its variables, and which alias reads
    which path (`texts`: the files whose text is read at the head; `governed`: the files
    compared at each reviewed commit)."""

    text: str
    variables: dict[str, Any]
    texts: tuple[str, ...]
    governed: tuple[str, ...]
    head_files: str  # the selection of the head commit's files (see head_query)
    declared: tuple[str, ...]  # the path variables' declarations


def pull_query(owner: str, name: str, number: int, texts: Sequence[str],
               governed: Sequence[str]) -> PullQuery:
    """The query for pull request `number`: the pull request, its reviews and comments (the
    first page of each), its latest `ready_for_review`, its head commit's statuses, the text
    of `texts` at the head, and the entry of each of `governed` at the head and at each
    review's commit. Paths travel as variables (`$t0`, `$g0`…), never inside the text."""
    texts, governed = tuple(dict.fromkeys(texts)), tuple(dict.fromkeys(governed))
    variables: dict[str, Any] = {"owner": owner, "name": name, "number": number}
    declared = ["$owner: String!", "$name: String!", "$number: Int!"]
    head_files, review_files = [], []
    for index, path in enumerate(texts):
        variables[f"t{index}"] = path
        declared.append(f"$t{index}: String!")
        head_files.append(f"t{index}: file(path: $t{index}) {{ mode oid object {{ "
                          "... on Blob { text isBinary isTruncated } } }")
    for index, path in enumerate(governed):
        variables[f"g{index}"] = path
        declared.append(f"$g{index}: String!")
        entry = f"g{index}: file(path: $g{index}) {{ mode oid }}"
        head_files.append(entry)
        review_files.append(entry)
    text = f"""query GovbotPull({", ".join(declared)}) {{
  repository(owner: $owner, name: $name) {{
    pullRequest(number: $number) {{{_PULL_FIELDS}
      reviews(first: {PAGE}) {{
        totalCount pageInfo {{ hasNextPage }}
        nodes {{ fullDatabaseId state body submittedAt url author {{ {_ACTOR} }}
                commit {{ oid {" ".join(review_files)} }} }}
      }}
      comments(first: {PAGE}) {{
        totalCount pageInfo {{ hasNextPage }}
        nodes {{ databaseId body createdAt updatedAt url author {{ {_ACTOR} }} {_EDITS} }}
      }}
      timelineItems(itemTypes: [READY_FOR_REVIEW_EVENT], last: 1) {{
        nodes {{ ... on ReadyForReviewEvent {{ createdAt }} }}
      }}
      files(first: {PAGE}) {{ totalCount pageInfo {{ hasNextPage }} nodes {{ path }} }}
      commits(last: 1) {{ nodes {{ commit {{ oid {_STATUSES} {" ".join(head_files)} }} }} }}
    }}
  }}
}}"""
    return PullQuery(text, variables, texts, governed, " ".join(head_files),
                     tuple(declared[3:]))


def head_query(owner: str, name: str, oid: str, query: PullQuery) -> tuple[str, dict[str, Any]]:
    """The head commit's part of `query` for a commit named by `oid`: used when the pull
    request's last listed commit is not its head (GitHub lists at most 250 commits)."""
    declared = ["$owner: String!", "$name: String!", "$oid: GitObjectID!", *query.declared]
    variables = {"owner": owner, "name": name, "oid": oid,
                 **{k: v for k, v in query.variables.items() if k[0] in "tg"}}
    text = f"""query GovbotHead({", ".join(declared)}) {{
  repository(owner: $owner, name: $name) {{
    object(oid: $oid) {{ ... on Commit {{ oid {_STATUSES} {query.head_files} }} }}
  }}
}}"""
    return text, variables


SWEEP = f"""query GovbotSweep($owner: String!, $name: String!, $after: String) {{
  repository(owner: $owner, name: $name) {{
    pullRequests(states: OPEN, first: 50, after: $after, orderBy: {{field: CREATED_AT,
                 direction: ASC}}) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{{_PULL_FIELDS}
        comments(first: {PAGE}) {{
          totalCount nodes {{ id databaseId createdAt updatedAt author {{ {_ACTOR} }} }}
        }}
        commits(last: 1) {{ nodes {{ commit {{ oid {_STATUSES} }} }} }}
        files(first: {PAGE}) {{ totalCount nodes {{ path changeType }} }}
      }}
    }}
  }}
}}"""

BODIES = f"""query GovbotComments($ids: [ID!]!) {{
  nodes(ids: $ids) {{ ... on IssueComment {{ id databaseId body createdAt updatedAt url
                                            {_EDITS} }} }}
}}"""


@dataclass(frozen=True, slots=True)
class OpenPull:
    """An open PR as the sweep sees it: the PR (REST shape), govbot's comment (REST
    shape, None when not found among its first comments), the statuses on its head
    ({context: (state, description)}), and (path, change type) of each file it changes
    (None: more than one page)."""

    number: int
    pull: dict[str, Any]
    comment: dict[str, Any] | None
    statuses: dict[str, tuple[str, str]]
    files: tuple[tuple[str, str], ...] | None


def bot_comment_ids(node: Mapping[str, Any], bot: str) -> list[str]:
    """The node ids of the comments of a sweep node written by govbot's account."""
    return [str(c["id"]) for c in (node.get("comments") or {}).get("nodes") or []
            if c and ((user(c.get("author")) or {}).get("login") or "").lower() == bot.lower()]


def open_pull(node: Mapping[str, Any], bodies: Mapping[str, Mapping[str, Any]],
              bot: str, marker: str) -> OpenPull:
    """One sweep node, with the bodies of govbot's comments read by id (`bodies`)."""
    comments = [{**rest_comment(bodies[i]), "user": user(c.get("author"))}
                for c in (node.get("comments") or {}).get("nodes") or []
                if c and (i := str(c["id"])) in bodies]
    mine = bot_comments(comments, marker, bot)
    files = node.get("files") or {}
    listed = tuple((str(f["path"]), str(f["changeType"])) for f in files.get("nodes") or [] if f)
    commit = ((node.get("commits") or {}).get("nodes") or [{}])[-1].get("commit") or {}
    pull = rest_pull(node)
    statuses = head_statuses(commit) if commit.get("oid") == pull["head"]["sha"] else {}
    return OpenPull(int(node["number"]), pull, mine[0] if mine else None, statuses,
                    listed if files.get("totalCount") == len(listed) else None)


# --- answers → REST shapes -----------------------------------------------------------------

def user(actor: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A REST user from a GraphQL actor (None: a deleted account). GraphQL names an app's
    bot by its slug (`github-actions`); REST, and governance.yml's `bot:`, add `[bot]`."""
    if actor is None:
        return None
    login = str(actor.get("login") or "ghost")
    kind = "Bot" if actor.get("__typename") == "Bot" else "User"
    if kind == "Bot" and not login.endswith("[bot]"):
        login += "[bot]"
    return {"login": login, "id": actor.get("databaseId"), "type": kind}


def rest_pull(node: Mapping[str, Any]) -> dict[str, Any]:
    """The REST shape of a pull request (the fields govbot reads)."""
    return {
        "number": node["number"], "title": node.get("title") or "",
        "state": "open" if node.get("state") == "OPEN" else "closed",
        "draft": bool(node.get("isDraft")), "merged": bool(node.get("merged")),
        "merged_at": node.get("mergedAt"), "closed_at": node.get("closedAt"),
        "created_at": node["createdAt"],
        "updated_at": node.get("updatedAt"), "html_url": node.get("url") or "",
        "user": user(node.get("author")),
        "head": {"sha": node["headRefOid"], "ref": node.get("headRefName")},
        "base": {"ref": node["baseRefName"], "sha": node.get("baseRefOid")},
        "labels": [{"name": label["name"]} for label in
                   (node.get("labels") or {}).get("nodes") or []],
        "changed_files": node.get("changedFiles"),
    }


def rest_review(node: Mapping[str, Any]) -> dict[str, Any]:
    """The REST shape of a review (`commit_id` null when GitHub no longer has the commit;
    the id is `fullDatabaseId`, a BigInt GitHub sends as a string)."""
    commit = node.get("commit") or {}
    return {"id": int(node["fullDatabaseId"]), "user": user(node.get("author")),
            "body": node.get("body") or "", "state": node["state"],
            "commit_id": commit.get("oid"), "submitted_at": node.get("submittedAt"),
            "html_url": node.get("url") or ""}


def rest_comment(node: Mapping[str, Any]) -> dict[str, Any]:
    """The REST shape of an issue comment, with `edited_by` (which REST lacks)."""
    return {"id": node["databaseId"], "user": user(node.get("author")),
            "body": node.get("body") or "", "created_at": node["createdAt"],
            "updated_at": node.get("updatedAt") or node["createdAt"],
            "html_url": node.get("url") or "",
            "edited_by": editors(node.get("userContentEdits"))}


def editors(edits: Mapping[str, Any] | None) -> list[str] | None:
    """The logins GitHub's edit history of a comment names, as editor or as the deleter of
    a revision (a deleted account is `ghost`), in order, once each; None when the history
    was not read whole."""
    if edits is None or not whole(edits):
        return None
    found: dict[str, None] = {}
    for node in edits.get("nodes") or []:
        for key in ("editor", "deletedBy"):
            if key == "editor" or node.get(key) is not None:
                found[(user(node.get(key)) or {}).get("login", "ghost")] = None
    return list(found)


def whole(connection: Mapping[str, Any] | None) -> bool:
    """Whether a connection's first page holds all of it: GitHub's count of it equals the
    nodes given and, where the page info was asked for, no page follows. A null in any of
    these (a flaky answer) cannot show that: not whole (fail closed)."""
    if connection is None or not isinstance(connection.get("nodes"), list):
        return False
    if "pageInfo" in connection and \
            (connection.get("pageInfo") or {}).get("hasNextPage") is not False:
        return False
    total = connection.get("totalCount")
    return isinstance(total, int) and total == len(connection["nodes"])


def same_files(listed: Sequence[Mapping[str, Any]], node: Mapping[str, Any]) -> bool | None:
    """Whether the REST file listing names exactly the paths GitHub's GraphQL answer gives
    for the head it returned (True/False), or None when that answer is not whole (more than
    a page of files, or a flaky null): then the caller must check another way."""
    files = node.get("files")
    if not whole(files):
        return None
    assert files is not None
    return sorted(str(n.get("path")) for n in files["nodes"] if n) == \
        sorted(str(e["filename"]) for e in listed)


def entry(node: Mapping[str, Any] | None) -> tuple[int, str] | None:
    """(mode, oid) of a tree entry (None: no such path)."""
    if not node:
        return None
    return int(node["mode"]), str(node["oid"])


def text_of(node: Mapping[str, Any] | None) -> str | bool | None:
    """The exact text of a regular file's entry; None when there is no file (or it is a
    symbolic link or submodule: not read as a record); False when GraphQL cannot give the
    exact bytes (binary, truncated, or not the blob's bytes once encoded: read it through
    REST instead)."""
    if not node or int(node["mode"]) not in REGULAR_FILES:
        return None
    blob = node.get("object") or {}
    text = blob.get("text")
    if text is None or blob.get("isBinary") or blob.get("isTruncated"):
        return False
    if git_blob_sha(text.encode("utf-8")) != node["oid"]:
        return False
    return str(text)


def stale_commits(reviews: Sequence[Mapping[str, Any]], head: str,
                  at_head: Mapping[str, tuple[int, str] | None], governed: Sequence[str]
                  ) -> list[str]:
    """The commits of approving reviews (other than the head) whose governed files differ
    from the head's: the entry (mode and blob id) of every governed path compared. A
    review whose commit GitHub no longer has carries a null commit_id: stale in the tally."""
    out: set[str] = set()
    for node in reviews:
        commit = node.get("commit")
        if node.get("state") != "APPROVED" or not commit or commit.get("oid") == head:
            continue
        if any(entry(commit.get(f"g{i}")) != at_head.get(path)
               for i, path in enumerate(governed)):
            out.add(str(commit["oid"]))
    return sorted(out)


def head_statuses(commit: Mapping[str, Any] | None) -> dict[str, tuple[str, str]]:
    """{context: (state, description)} of the statuses on a commit, REST's lower case."""
    contexts = ((commit or {}).get("status") or {}).get("contexts") or []
    return {c["context"]: (str(c["state"]).lower(), c.get("description") or "")
            for c in contexts}
