"""The Content-Security-Policy in a real Chromium: it is enforced (an injected inline script does
not run), yet every page keeps its stylesheet and its SVG charts, with no violation reported."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

MANAGER_PAGES = ["/briefs", "/briefs/new", "/dashboard", "/notifications"]
SPECIALIST_PAGES = ["/queue", "/available", "/profile", "/dashboard", "/notifications"]


def assert_styled(page):
    """broker.css applied: the brand link is bold, which no browser default makes it."""
    weight = page.locator(".brand").evaluate("el => getComputedStyle(el).fontWeight")
    assert weight == "700", weight


def test_pages_keep_their_style_and_charts_under_the_policy(page, login, make):
    manager = make.user("manager")
    make.specialist()
    make.brief(manager, n_tasks=2)
    login(manager)
    for path in MANAGER_PAGES:
        answer = page.goto(path)
        assert "default-src 'none'" in answer.headers["content-security-policy"], path
        assert_styled(page)
    page.goto("/dashboard")
    assert page.locator("svg rect").count() > 3


def test_a_specialist_s_pages_too(page, login, make):
    specialist = make.specialist()
    login(specialist)
    for path in SPECIALIST_PAGES:
        page.goto(path)
        assert_styled(page)


def test_an_injected_inline_script_is_blocked(browser, live_server, make):
    """Were a template ever to echo markup, the policy still stops the script. (Its own browser
    context: the `page` fixture fails a test on any violation, and this one causes one.)"""
    context = browser.new_context(base_url=live_server)
    try:
        page = context.new_page()
        violations = []
        page.on("console", lambda msg: violations.append(msg.text))
        page.goto("/login")
        page.evaluate("""() => {
            const s = document.createElement('script');
            s.textContent = 'document.body.dataset.pwned = "yes"';
            document.body.appendChild(s);
        }""")
        expect(page.locator("body")).not_to_have_attribute("data-pwned", "yes")
        assert any("Content Security Policy" in text for text in violations), violations
    finally:
        context.close()
