"""Browser tests: the session `app` served on a real port, driven by headless Chromium.

One Chromium per session, a fresh browser context (cookies, storage) per test. Without
/usr/bin/chromium the browser tests skip, unless BROKER_REQUIRE_BROWSER=1 (as in CI): then
they fail, so a broken image cannot pass for a green run.
"""
import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.factories import PASSWORD

CHROMIUM = os.environ.get("BROKER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 5_000  # auto-waiting budget per action and per expect(); pages answer in milliseconds


def _no_browser(reason: str):
    if os.environ.get("BROKER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (BROKER_REQUIRE_BROWSER=1 makes this an error)", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so `page` can save a screenshot of a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def live_server(app):
    """The test app on 127.0.0.1 at a free port, in a background thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _no_browser(f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _no_browser("the playwright package is not installed (pip install -e '.[test]')")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, live_server, request, tmp_path):
    """A page in a fresh context (no cookies), with relative URLs resolved against the server.

    Uncaught script errors and Content-Security-Policy violations fail the test; a failing test
    leaves a screenshot in its tmp_path.
    """
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900},
                                  locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    script_errors = []
    page.on("pageerror", lambda exc: script_errors.append(str(exc)))
    page.on("console", lambda msg: script_errors.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    try:
        yield page
        failed = getattr(request.node, "report_call", None)
        if failed is not None and failed.failed:
            shot = tmp_path / "failure.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failure: {shot} (at {page.url})")
        assert not script_errors, f"script errors or CSP violations in the page: {script_errors}"
    finally:
        context.close()


@pytest.fixture
def login(page):
    """Log in through the form and wait for the landing page: login(user) or login(email, pw)."""
    def _login(user, password=PASSWORD):
        email = user if isinstance(user, str) else user.email
        page.goto("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"^(?!.*/login).*$"))  # any page but the login form
        return page
    return _login
