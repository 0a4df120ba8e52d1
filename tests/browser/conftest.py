"""Fixtures of the browser tests: a real ``wpb serve`` and Debian's chromium driven by Playwright.

The server is the real entry point (:func:`wpb.cli.service.serve`, uvicorn) in its
own process, on 127.0.0.1 with a free port and a fresh SQLite database in a temporary
directory, which ``serve`` fills with the bundled sample data. The browser is the system
chromium at ``/usr/bin/chromium`` (Debian package ``chromium``); Playwright's own browser
downloads are not used. Without chromium (or the ``playwright`` package) the tests are
skipped with the reason, unless ``CI`` is set: then they fail, because CI must run them.

One server and one browser serve the whole session (starting them is most of the time);
each test gets a fresh browser context (its own cookies) with Dutch locale and time zone.
Screenshots go to ``<pytest basetemp>/schermafdrukken`` (or ``$WPB_SCREENSHOT_DIR``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_TIMEOUT = 60.0  # seconds: migrations, sample data and uvicorn on a busy machine
ACTION_TIMEOUT_MS = 15_000


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> None:
    if _ci():
        pytest.fail(f"{reason}; in CI (CI is gezet) moeten de browsertests draaien")
    pytest.skip(f"{reason}; overgeslagen omdat CI niet is gezet")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        _unavailable(
            f"chromium ontbreekt op {CHROMIUM} (installeer het Debian-pakket: "
            "apt-get install chromium)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("het Python-pakket 'playwright' ontbreekt")
    return CHROMIUM


@pytest.fixture(scope="session")
def server(tmp_path_factory, chromium_path) -> str:
    """Base URL of a running ``wpb serve`` with the sample data."""
    home = tmp_path_factory.mktemp("wpb-server")
    port = _free_port()
    env = {
        **os.environ,
        "WPB_DATA_DIR": str(home / "data"),
        "WPB_SECRET_KEY": "browsertest-geheime-sleutel",
        "WPB_SAMPLE_DATA": "auto",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("WPB_DATABASE_URL", None)  # the default SQLite file in WPB_DATA_DIR
    log_path = home / "server.log"
    code = (
        "from wpb.cli.service import serve; "
        f"serve(host='127.0.0.1', port={port})"
    )
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=log, stderr=subprocess.STDOUT,
            cwd=home,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"wpb serve stopte met code {process.returncode}:\n"
                    + log_path.read_text(errors="replace")[-3000:]
                )
            try:
                if httpx.get(f"{base}/inloggen", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"wpb serve was na {SERVER_START_TIMEOUT:.0f} s niet bereikbaar:\n"
                    + log_path.read_text(errors="replace")[-3000:]
                )
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=LAUNCH_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(
        base_url=server,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    configured = os.environ.get("WPB_SCREENSHOT_DIR")
    if configured:
        path = Path(configured)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("schermafdrukken", numbered=False)


@pytest.fixture
def shot(screenshot_dir):
    def take(page, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
