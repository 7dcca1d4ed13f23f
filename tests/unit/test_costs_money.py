"""Money to the cent and durations as people type them (pure)."""
from decimal import Decimal

import pytest

from broker import settings
from broker.costs.figures import Line, build_report
from broker.costs.money import cost_of, hours_text, parse_minutes


@pytest.mark.parametrize("typed, minutes", [
    ("1h30", 90), ("1h 30m", 90), ("90m", 90), ("90 min", 90), ("1.5h", 90), ("1,5h", 90),
    ("1:30", 90), ("90", 90), ("2h", 120), ("2 hours", 120), (" 45m ", 45), ("0.25h", 15),
])
def test_quick_entries(typed, minutes):
    assert parse_minutes(typed) == minutes


@pytest.mark.parametrize("typed", ["", "lots", "1h30x", "-5", "h", "1:75"])
def test_unreadable_entries_say_how_to_write_them(typed):
    with pytest.raises(ValueError, match="1h30"):
        parse_minutes(typed)


def test_cost_is_exact_to_the_cent():
    assert cost_of(7, Decimal("33.33")) == Decimal("3.89")  # 3.8885 rounds half up
    assert cost_of(90, Decimal("30")) == Decimal("45.00")
    assert cost_of(90, None) == Decimal("0.00")
    assert hours_text(90) == "1 h 30 min" and hours_text(45) == "45 min" and hours_text(120) == "2 h"


def test_totals_are_the_sums_of_the_rows():
    lines = [Line(str(i % 3), str(i % 3), i, i, minutes=7 * i + 1, cost=cost_of(7 * i + 1, Decimal("33.33")))
             for i in range(1, 40)]
    report = build_report(lines, always=("x",))
    assert sum(r["cost"] for r in report["rows"]) == report["total"]["cost"]
    assert {r["group"] for r in report["rows"]} == {"0", "1", "2", "x"}


def test_the_currency_is_three_letters(monkeypatch):
    monkeypatch.setenv("BROKER_ENV", "development")
    monkeypatch.setenv("BROKER_CURRENCY", "php")
    assert settings.from_environment()["BROKER_CURRENCY"] == "PHP"
    monkeypatch.setenv("BROKER_CURRENCY", "pesos")
    with pytest.raises(RuntimeError, match="BROKER_CURRENCY"):
        settings.from_environment()
