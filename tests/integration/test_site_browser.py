"""The site in a real headless Chromium, served over HTTP from 127.0.0.1 under a sub-path
(as GitHub Pages serves a project site): pages load, scripts run without console errors,
every internal link resolves, and a screenshot is kept as an artifact."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from govbot.git.repo import read_worktree
from govbot.model.config import config_or_none
from govbot.render.site import build_site
from sitekit import broken_links, parse

pytestmark = pytest.mark.browser

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser")
                 if Path(p).exists()), None)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0")
CONSOLE = re.compile(r":CONSOLE[^\]]*\] \"(?P<message>.*)\", source: (?P<source>\S+)")
SUB_PATH = "governance"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, bytes]]]:
    """The example site, written under /governance/ and served on 127.0.0.1."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    root = Path(__file__).resolve().parents[2]
    tree = read_worktree(root)
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


def console_errors(stderr: str) -> list[str]:
    """Console messages and uncaught exceptions Chromium logged while loading a page."""
    found = [m.group(0) for m in CONSOLE.finditer(stderr)]
    found += [line for line in stderr.splitlines()
              if "Uncaught" in line and not CONSOLE.search(line)]
    return found


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def _artifacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("GOVBOT_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("page", [
    "index.html",
    "decisions/0004-extend-infrastructure-as-code-deadline.html",
    "changelog.html",
])
def test_page_loads_without_console_errors(served: tuple[str, dict[str, bytes]],
                                           tmp_path: Path, page: str) -> None:
    """Chromium loads the page from the sub-path, logs no console message, and the DOM it
    built has the page's heading and every link of the page resolving to a served file."""
    base, files = served
    result = _chromium(tmp_path, "--dump-dom", base + page)
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_errors(result.stderr) == []
    dom = result.stdout.encode()
    assert parse(dom).links, "the DOM has links"
    assert broken_links({**files, page: dom}) == []


@pytest.mark.parametrize(("script", "expected"), [
    ("undefinedFunction();", "Uncaught ReferenceError: undefinedFunction is not defined"),
    ("console.error('broken on purpose');", "broken on purpose"),
])
def test_console_error_detection_catches_a_broken_page(served: tuple[str, dict[str, bytes]],
                                                       tmp_path: Path, script: str,
                                                       expected: str) -> None:
    """The detector used above is proven: a page with a deliberate script error or a
    console.error is reported (so an empty list really means a clean page)."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html lang=en><title>t</title><body><p>x</p>"
                    f"<script>{script}</script></body></html>", encoding="utf-8")
    result = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    errors = console_errors(result.stderr)
    assert len(errors) == 1, result.stderr[-2000:]
    assert expected in errors[0]


def test_filter_script_runs(served: tuple[str, dict[str, bytes]], tmp_path: Path) -> None:
    """The inline filter script shows its form and counts the decisions."""
    base, files = served
    result = _chromium(tmp_path, "--dump-dom", base + "index.html")
    total = files["index.html"].count(b"<tr data-kind=")
    assert f"{total} of {total} decisions shown" in result.stdout
    assert '<form class="filters" id="filters" aria-label="Filter decisions">' in result.stdout


@pytest.mark.parametrize(("page", "name"), [
    ("index.html", "site-index.png"),
    ("decisions/0004-extend-infrastructure-as-code-deadline.html", "site-decision.png"),
])
def test_screenshot_is_kept(served: tuple[str, dict[str, bytes]], tmp_path: Path, page: str,
                            name: str) -> None:
    """A screenshot of the index and of a decision page is saved to $GOVBOT_ARTIFACTS (or
    the test's tmp dir)."""
    base, _ = served
    shot = _artifacts(tmp_path) / name
    shot.unlink(missing_ok=True)
    result = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1600",
                       base + page)
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if shutil.which("file"):
        assert "PNG image" in subprocess.run(["file", str(shot)], capture_output=True,
                                             text=True, check=False).stdout
