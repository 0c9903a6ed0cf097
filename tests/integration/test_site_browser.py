"""The site and the board pack in a real headless Chromium (DESIGN §12), driven over the
DevTools protocol: pages load from a GitHub-Pages-like sub-path with no console error, no
page scrolls sideways at 1280 or 390 px (screenshots kept as artifacts), axe-core finds no
serious or critical accessibility violation, the decision filter works and is restored from
the URL, and the board pack prints to a PDF whose text has the plan's goals.

Skipped only when Chromium is not installed (`apt-get install chromium`; .ci/run does it)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from browserkit import AXE_RUN, CHROMIUM, FLAGS, OVERFLOW, Browser, axe_source, browser
from govbot.git.repo import read_worktree
from govbot.model.config import config_or_none
from govbot.render.site import build_site
from sitekit import broken_links, parse

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed "
                                 "(apt-get install chromium); the browser tests need it")]

ROOT = Path(__file__).resolve().parents[2]
SUB_PATH = "governance"
PAGES = ["index.html", "decisions.html", "changelog.html", "plans.html",
         "decisions/0004-extend-infrastructure-as-code-deadline.html",
         "decisions/0006-2023-annual-review-of-the-strategic-plan.html"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, bytes]]]:
    """The example site, written under /governance/ and served on 127.0.0.1."""
    tree = read_worktree(ROOT)
    files = build_site(tree.records, config_or_none(tree.config_text))
    docroot = tmp_path_factory.mktemp("www")
    for path, data in files.items():
        target = docroot / SUB_PATH / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    handler = functools.partial(_Quiet, directory=str(docroot))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/", files
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def chrome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with browser(tmp_path_factory.mktemp("profile")) as opened:
        yield opened


def _artifacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("GOVBOT_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_without_console_errors(served: tuple[str, dict[str, bytes]],
                                           chrome: Browser, page: str) -> None:
    """Chromium loads the page from the sub-path and logs nothing wrong (a script the CSP
    refused would be logged), and every link of the DOM it built resolves."""
    base, files = served
    chrome.viewport(1280)
    chrome.problems()
    chrome.open(base + page)
    assert chrome.problems() == []
    dom = chrome.run("document.documentElement.outerHTML").encode()
    assert parse(dom).links, "the DOM has links"
    assert broken_links({**files, page: dom}) == []


@pytest.mark.parametrize(("script", "expected"), [
    ("undefinedFunction();", "undefinedFunction is not defined"),
    ("console.error('broken on purpose');", "broken on purpose"),
])
def test_console_error_detection_catches_a_broken_page(chrome: Browser, tmp_path: Path,
                                                       script: str, expected: str) -> None:
    """The detector used above is proven: a page with a script error or a console.error is
    reported (so an empty list really means a clean page)."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html lang=en><title>t</title><body><p>x</p>"
                    f"<script>{script}</script></body></html>", encoding="utf-8")
    chrome.problems()
    chrome.open(page.as_uri())
    problems = chrome.problems()
    assert len(problems) == 1, problems
    assert expected in problems[0]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page", PAGES)
def test_nothing_overflows_horizontally(served: tuple[str, dict[str, bytes]], chrome: Browser,
                                        tmp_path: Path, page: str, width: int) -> None:
    """At 1280 and at 390 px (a phone) the page is no wider than the window: nothing makes
    it scroll sideways. A screenshot of each is kept."""
    base, _ = served
    chrome.viewport(width, 1600)
    chrome.open(base + page)
    found = chrome.run(OVERFLOW)
    assert found["scrollWidth"] <= found["clientWidth"], found
    assert found["wide"] == [], found
    name = page.removesuffix(".html").replace("/", "-")
    shot = _artifacts(tmp_path) / f"site-{name}-{width}.png"
    chrome.screenshot(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_overflow_check_catches_a_wide_page(chrome: Browser, tmp_path: Path) -> None:
    """The overflow check is proven on a page with a table wider than a phone."""
    page = tmp_path / "wide.html"
    page.write_text('<!DOCTYPE html><html lang=en><meta name="viewport" content="width='
                    'device-width"><title>t</title><table><tr>' + "<td>wide-cell</td>" * 40
                    + "</tr></table></html>", encoding="utf-8")
    chrome.viewport(390)
    chrome.open(page.as_uri())
    found = chrome.run(OVERFLOW)
    assert found["scrollWidth"] > found["clientWidth"]
    assert any(item.startswith("table") for item in found["wide"])


def _axe(chrome: Browser) -> list[str]:
    source = axe_source()
    assert source is not None, (
        "axe-core is not installed: run `npm ci --prefix scripts` (scripts/package.json pins "
        "it; .ci/run installs it), or set GOVBOT_AXE_CORE to axe.min.js")
    chrome.run(source + ";true")
    violations: list[str] = chrome.run(AXE_RUN)
    return violations


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page", PAGES)
def test_no_serious_accessibility_violations(served: tuple[str, dict[str, bytes]],
                                             chrome: Browser, page: str, width: int) -> None:
    """axe-core, injected into the page, reports no serious or critical violation."""
    base, _ = served
    chrome.viewport(width)
    chrome.open(base + page)
    assert _axe(chrome) == []


def test_axe_catches_a_violation(chrome: Browser, tmp_path: Path) -> None:
    """The accessibility check is proven: an image without alt text and an unlabelled
    control are reported."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html lang=en><title>t</title><main><img src=x.png>"
                    "<select><option>a</option></select></main></html>", encoding="utf-8")
    chrome.viewport(1280)
    chrome.open(page.as_uri())
    found = _axe(chrome)
    assert any(" image-alt:" in v for v in found), found
    assert any(" select-name:" in v for v in found), found


FILTER_STATE = """(() => ({
  goal: document.getElementById("filter-goal").value,
  kind: document.getElementById("filter-kind").value,
  status: document.getElementById("filter-status").value,
  count: document.getElementById("filter-count").textContent,
  shown: Array.from(document.querySelectorAll("#decision-table tbody tr"))
    .filter(r => !r.hidden).map(r => r.querySelector("a").textContent.split(" ")[0]),
  search: location.search
}))()"""


def test_the_filter_works_and_is_kept_in_the_url(served: tuple[str, dict[str, bytes]],
                                                 chrome: Browser) -> None:
    """Opening decisions.html?goal=G4&kind=plan shows only plan decisions touching G4;
    changing a select filters at once and writes the state to the URL; opening that URL
    restores it; an unknown value in the URL is ignored."""
    base, _ = served
    chrome.viewport(1280)
    chrome.open(base + "decisions.html?goal=G4&kind=plan")
    state = chrome.run(FILTER_STATE)
    assert (state["goal"], state["kind"], state["status"]) == ("G4", "plan", "")
    assert state["shown"] == ["#7", "#1"]
    assert state["count"] == "2 of 11 decisions shown"
    chrome.run("""(() => { const s = document.getElementById("filter-kind");
                   s.value = ""; s.dispatchEvent(new Event("change")); })()""")
    assert chrome.run(FILTER_STATE)["search"] == "?goal=G4"
    chrome.run("""(() => { const s = document.getElementById("filter-status");
                   s.value = "accepted"; s.dispatchEvent(new Event("change")); })()""")
    chrome.run("""(() => { const s = document.getElementById("filter-kind");
                   s.value = "plan"; s.dispatchEvent(new Event("change")); })()""")
    state = chrome.run(FILTER_STATE)
    assert state["shown"] == ["#7", "#1"]
    assert state["search"] == "?goal=G4&status=accepted&kind=plan"
    chrome.open(base + "decisions.html" + state["search"])
    again = chrome.run(FILTER_STATE)
    assert (again["goal"], again["status"], again["kind"], again["shown"]) == (
        "G4", "accepted", "plan", ["#7", "#1"])
    chrome.run('document.getElementById("filter-reset").click()')
    chrome.run("new Promise(done => setTimeout(done, 50))")
    cleared = chrome.run(FILTER_STATE)
    assert (cleared["count"], cleared["search"]) == ("11 of 11 decisions shown", "")
    chrome.open(base + "decisions.html?goal=G99&status=nonsense")
    ignored = chrome.run(FILTER_STATE)
    assert (ignored["goal"], ignored["status"], ignored["count"]) == (
        "", "", "11 of 11 decisions shown")


@pytest.fixture(scope="module")
def board_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example repository's board pack for 2023, as `govbot report` writes it."""
    import datetime as dt

    from govbot.render.report import build_report

    tree = read_worktree(ROOT)
    path = tmp_path_factory.mktemp("pack") / "board-pack-2023.html"
    path.write_text(build_report(tree.records, config_or_none(tree.config_text),
                                 dt.date(2023, 1, 1), dt.date(2023, 12, 31)), encoding="utf-8")
    return path


def test_the_board_pack_prints_to_pdf_with_the_plan_s_goals(board_pack: Path,
                                                            tmp_path: Path) -> None:
    """`chromium --headless --print-to-pdf` turns the pack into a PDF whose text (as
    pdftotext extracts it) has the period, every goal of the plan as it stood at the end of
    2023, and the period's decisions."""
    assert CHROMIUM is not None
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "pdftotext is not installed (apt-get install poppler-utils)"
    pdf = _artifacts(tmp_path) / "board-pack-2023.pdf"
    pdf.unlink(missing_ok=True)
    result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                             "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                             board_pack.as_uri()],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = " ".join(subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True,
                                   timeout=60, check=True).stdout.split())
    assert "Board pack: 2023-01-01 – 2023-12-31" in text
    for goal in ("Run reliable, secure shared infrastructure",
                 "Grow a healthy, diverse contributor community",
                 "Secure the software supply chain", "Make interoperability testable",
                 "Put the foundation on a sustainable financial footing"):
        assert goal in text, goal
    assert "#7 Refocus goal G4 on testable interoperability" in text


@pytest.mark.parametrize("width", [1280, 390])
def test_the_board_pack_fits_and_is_accessible(board_pack: Path, chrome: Browser,
                                               width: int) -> None:
    """The pack reads on a phone too (nothing wider than the screen), loads without a
    console error, and axe-core finds no serious or critical violation."""
    chrome.viewport(width)
    chrome.problems()
    chrome.open(board_pack.as_uri())
    assert chrome.problems() == []
    found = chrome.run(OVERFLOW)
    assert found["scrollWidth"] <= found["clientWidth"], found
    assert _axe(chrome) == []
