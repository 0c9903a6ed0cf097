"""A headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`):
the Python standard library only, no WebDriver. For the browser tests (not a test module).

Chromium reads commands on its file descriptor 3 and writes answers and events on 4, as
JSON messages each ended by a NUL byte."""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

CHROMIUM = next((found for name in ("chromium", "chromium-browser", "google-chrome")
                 if (found := shutil.which(name))), None)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio")
TIMEOUT = 60.0
# Where axe-core (npm) may be: $GOVBOT_AXE_CORE, scripts/node_modules (`npm ci --prefix
# scripts`, as .ci/run does through scripts/lint-workflows.sh), or a global npm install.
_ROOT = Path(__file__).resolve().parents[1]
AXE_PLACES = (Path(os.environ.get("GOVBOT_AXE_CORE") or "/nonexistent/axe.min.js"),
              _ROOT / "scripts/node_modules/axe-core/axe.min.js",
              Path("/usr/local/lib/node_modules/axe-core/axe.min.js"),
              Path("/usr/lib/node_modules/axe-core/axe.min.js"))


def axe_source() -> str | None:
    """axe-core's browser build, or None when it is not installed anywhere we look."""
    found = next((p for p in AXE_PLACES if p.is_file()), None)
    return found.read_text(encoding="utf-8") if found else None


class BrowserError(RuntimeError):
    """Chromium answered a command with an error, or did not answer in time."""


class Browser:
    """One Chromium process and one page (tab) in it."""

    def __init__(self, profile: Path):
        assert CHROMIUM is not None
        to_chrome, self._write = os.pipe()
        self._read, from_chrome = os.pipe()
        devnull = os.open(os.devnull, os.O_RDWR)
        actions = [(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, devnull, 1),
                   (os.POSIX_SPAWN_DUP2, devnull, 2), (os.POSIX_SPAWN_DUP2, to_chrome, 3),
                   (os.POSIX_SPAWN_DUP2, from_chrome, 4)]
        argv = [CHROMIUM, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}",
                "about:blank"]
        self.pid = os.posix_spawn(CHROMIUM, argv, dict(os.environ), file_actions=actions)
        for fd in (to_chrome, from_chrome, devnull):
            os.close(fd)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._read], [], [], max(left, 0))
            if not ready:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(self, method: str, params: dict[str, Any] | None = None, *,
             session: bool = False, timeout: float = TIMEOUT) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._message(deadline)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            self.events.append(answer)

    def wait_for(self, event: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The first event of that name not yet seen (waiting for it if need be)."""
        deadline = time.monotonic() + timeout
        while True:
            for index, seen in enumerate(self.events):
                if seen.get("method") == event:
                    return self.events.pop(index)
            self.events.append(self._message(deadline))

    def viewport(self, width: int, height: int = 1200) -> None:
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1,
                   "mobile": width < 600}, session=True)

    def open(self, url: str) -> None:
        """Load a page and wait for its load event."""
        self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        result = self.call("Page.navigate", {"url": url}, session=True)
        if result.get("errorText"):
            raise BrowserError(f"{url}: {result['errorText']}")
        self.wait_for("Page.loadEventFired")

    def run(self, expression: str) -> Any:
        """Evaluate JavaScript in the page (awaiting a promise) and return its JSON value."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        path.write_bytes(base64.b64decode(data))

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and browser-logged errors (a script the CSP
        blocked, a resource that failed) since the last call."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                found.append("exception: " + str(details.get("exception", {}).get(
                    "description") or details.get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in (
                    "error", "assert", "warning"):
                found.append("console: " + " ".join(str(a.get("value", a.get("description")))
                                                    for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append("log: " + str(params["entry"].get("text")))
        self.events = [e for e in self.events if e.get("method") not in (
            "Runtime.exceptionThrown", "Runtime.consoleAPICalled", "Log.entryAdded")]
        return found

    def close(self) -> None:
        with suppress(BrowserError):
            self.call("Browser.close", timeout=10)
        for fd in (self._read, self._write):
            os.close(fd)
        for _ in range(100):
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return
            time.sleep(0.1)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)


@contextmanager
def browser(profile: Path) -> Iterator[Browser]:
    """A Chromium for the duration of a `with` block."""
    chrome = Browser(profile)
    try:
        yield chrome
    finally:
        chrome.close()


OVERFLOW = """(() => {
  const width = document.documentElement.clientWidth;
  const clipped = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.clipPath !== "none" || /hidden|clip|auto|scroll/.test(style.overflowX)) {
        return true;
      }
    }
    return false;
  };
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && !clipped(el)) {
      wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                + (el.className && el.className.baseVal === undefined && el.className
                   ? "." + el.className.split(" ").join(".") : "")
                + " right=" + Math.round(box.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, clientWidth: width,
          wide: wide.slice(0, 8)};
})()"""

AXE_RUN = """axe.run(document, {resultTypes: ["violations"]}).then(result =>
  result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.impact + " " + v.id + ": " + v.help + " — "
              + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))"""
