"""The pages' Content-Security-Policy allows no script and no inline style: the templates must
not need either (a violation would silently break a page rather than fail a request)."""
import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "broker" / "web" / "templates"
FORBIDDEN = {
    "a <script> element": re.compile(r"<script\b", re.I),
    "an inline event handler (on...=)": re.compile(r"\son[a-z]+\s*=", re.I),
    "an inline style attribute": re.compile(r"\sstyle\s*=", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
    "a resource from another site": re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//""", re.I),
}


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_template_needs_nothing_the_policy_forbids(template):
    text = template.read_text()
    found = [what for what, pattern in FORBIDDEN.items() if pattern.search(text)]
    assert not found, f"{template.relative_to(TEMPLATES)} has {', '.join(found)}"


def test_the_check_sees_the_templates():
    assert len(list(TEMPLATES.rglob("*.html"))) >= 10
