"""The configuration a pull request proposes, validated as proposed (DESIGN §5: `invalid`
includes a proposed governance.yml that does not load). Pure: texts in, findings out.

govbot judges every pull request under the default branch's governance.yml and renders with
its templates; a PR that breaks either would pass its own vote and then make every later
run fail, including the one that would fix it. So the governance.yml a PR proposes is read
and checked like `govbot check` reads it (path:line findings), and the templates it
proposes must parse. The proposed files are never used to judge the PR.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import jinja2

from govbot.model.config import CONFIG_FILE, MAX_CONFIG_BYTES, read_config
from govbot.model.errors import RecordError
from govbot.model.findings import Finding
from govbot.model.vocab import LOADED_FILES, path_matches
from govbot.model.yamlio import decode

DELETED = ("this pull request deletes governance.yml, which govbot needs to judge every "
           "pull request; keep the file (propose changes to it instead)")
UNREAD = ("this file is not a regular file at the head of the pull request (a symbolic link "
          "or a submodule), so govbot cannot check it; replace it with the file itself")


def is_loaded(path: str) -> bool:
    """Whether govbot loads this file from the default branch (governance.yml, templates)."""
    return any(path_matches(path, pattern) for pattern in LOADED_FILES)


def _template_findings(path: str, text: str) -> list[Finding]:
    if not path.endswith(".j2"):
        return []
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, kept as surrogate escapes
        return [Finding(path, None, "the template is not valid UTF-8; save it as UTF-8",
                        "file")]
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    try:
        env.parse(text)  # parsed only: nothing from the pull request is compiled or run
    except jinja2.TemplateSyntaxError as exc:
        why = (exc.message or "a syntax error").rstrip(".")
        return [Finding(path, exc.lineno, f"the template does not parse: {why}; fix the "
                        "Jinja2 syntax", "config")]
    return []


def proposed_findings(texts: Mapping[str, str] | None, touched: Iterable[tuple[str, str]]
                      ) -> list[Finding]:
    """Findings about the loaded files a pull request proposes. `texts`: {path: text at the
    head} as the snapshot carries them (None: an older snapshot without them: nothing to
    check); `touched`: (path, diff status) of each file the PR changes, the old name of a
    renamed file counted as removed."""
    if texts is None:
        return []
    findings = []
    for path, status in sorted(set(touched)):
        if not is_loaded(path):
            continue
        if status == "removed":
            if path == CONFIG_FILE:
                findings.append(Finding(path, None, DELETED, "config"))
            continue
        text = texts.get(path)
        if text is None:
            findings.append(Finding(path, None, UNREAD, "file"))
            continue
        if path == CONFIG_FILE:
            findings.extend(_config_findings(path, text))
        else:
            findings.extend(_template_findings(path, text))
    return findings


def _config_findings(path: str, text: str) -> list[Finding]:
    try:
        text = decode(path, text.encode("utf-8", "surrogateescape"),
                      max_bytes=MAX_CONFIG_BYTES, what="governance.yml")
    except RecordError as exc:
        return [Finding(path, exc.line, exc.message, "file")]
    return read_config(path, text)[1]
