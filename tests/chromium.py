"""Open a page in headless Chromium and look at it, through the DevTools protocol on a pipe.

No driver, no websocket library: Chromium started with ``--remote-debugging-pipe`` reads JSON
commands (each ended by a NUL byte) on file descriptor 3 and writes answers and events on 4.
:func:`open_page` loads a file, waits for its load event, collects console messages, uncaught
exceptions and log entries of level error (failed requests, blocked by the page's CSP…), answers
the JavaScript expressions asked for, and takes a full-page screenshot.

Chromium runs as on this project's machines (README): headless, no sandbox (root in a
container), no GPU, no background networking, a fresh profile folder.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", "--remote-debugging-pipe"]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageReport:
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    screenshot: bytes = b""


class Pipe:
    def __init__(self, binary: str, profile: str) -> None:
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def in_child() -> None:
            # the browser reads fd 3 and writes fd 4: move both out of the way first, then into place
            high_r, high_w = os.dup2(to_browser_r, 100), os.dup2(from_browser_w, 101)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(3, 4), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, preexec_fn=in_child)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 30.0) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = self.read(deadline - time.monotonic())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise TimeoutError(method)

    def read(self, timeout: float) -> dict[str, Any]:
        import select

        while b"\0" not in self.buffer:
            ready, _w, _x = select.select([self.from_browser], [], [], max(timeout, 0.01))
            if not ready:
                raise TimeoutError("no message from Chromium")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(message)

    def wait_for(self, method: str, session: str, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event.get("method") == method and event.get("sessionId") == session:
                    return event
            if time.monotonic() > deadline:
                raise TimeoutError(method)
            self.events.append(self.read(deadline - time.monotonic()))

    def close(self) -> None:
        try:
            os.write(self.to_browser, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait(timeout=10)
        finally:
            os.close(self.to_browser)
            os.close(self.from_browser)


def open_page(path: Path, expressions: dict[str, str], width: int = 1200) -> PageReport:
    """Load ``path`` (a local file), evaluate ``expressions`` (name -> JavaScript returning a
    JSON value) and take a full-page PNG screenshot."""
    binary = find_chromium()
    if binary is None:
        raise FileNotFoundError("chromium")
    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    pipe = Pipe(binary, profile)
    report = PageReport()
    try:
        target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            pipe.send(f"{domain}.enable", session=session)
        pipe.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
        pipe.send("Page.navigate", {"url": path.resolve().as_uri()}, session=session)
        pipe.wait_for("Page.loadEventFired", session)
        for name, expression in expressions.items():
            result = pipe.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                               session=session)
            report.values[name] = result.get("result", {}).get("value")
        height = pipe.send("Runtime.evaluate", {"expression": "document.documentElement.scrollHeight",
                                                "returnByValue": True}, session=session)["result"]["value"]
        pipe.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": int(height), "deviceScaleFactor": 1, "mobile": False}, session=session)
        shot = pipe.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)
        report.screenshot = base64.b64decode(shot["data"])
        for event in pipe.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                report.console.append(f"{params.get('type')}: {text}")
                if params.get("type") in ("error", "assert"):
                    report.errors.append(text)
            elif method == "Runtime.exceptionThrown":
                report.errors.append(json.dumps(params.get("exceptionDetails", {}))[:500])
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                report.errors.append(params["entry"].get("text", ""))
    finally:
        pipe.close()
        shutil.rmtree(profile, ignore_errors=True)
    return report
