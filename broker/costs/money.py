"""Money and durations as people type them (pure): Decimal to the cent, never float."""
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_MINUTES = 1440  # one entry covers at most a day
_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d+(?:[.,]\d+)?)\s*h(?:ours?|rs?)?\s*(?:(?P<hm>\d+)\s*(?:m(?:in(?:utes?|s)?)?)?)?"
    r"|(?P<m>\d+)\s*m(?:in(?:utes?|s)?)?"
    r"|(?P<ch>\d+):(?P<cm>[0-5]\d)"
    r"|(?P<bare>\d+))\s*$", re.IGNORECASE)


def cents(amount) -> Decimal:
    """An amount rounded half up to the cent."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def cost_of(minutes: int, hourly_cost: Decimal | None) -> Decimal:
    """What `minutes` cost at `hourly_cost` (nothing when no rate is set), to the cent."""
    if hourly_cost is None:
        return Decimal("0.00")
    return cents(Decimal(minutes) * Decimal(hourly_cost) / 60)


def parse_minutes(text: str) -> int:
    """Minutes from '1h30', '1h 30m', '90m', '1.5h', '1:30' or '90' (bare numbers are minutes);
    ValueError with a sentence when it reads as none of them."""
    found = _DURATION.match(text or "")
    if not found:
        raise ValueError("Write the time like 1h30, 90m, 1.5h or 1:30.")
    g = found.groupdict()
    if g["h"] is not None:
        minutes = Decimal(g["h"].replace(",", ".")) * 60 + int(g["hm"] or 0)
    elif g["m"] is not None:
        minutes = Decimal(g["m"])
    elif g["ch"] is not None:
        minutes = Decimal(int(g["ch"]) * 60 + int(g["cm"]))
    else:
        minutes = Decimal(g["bare"])
    return int(minutes.to_integral_value(rounding=ROUND_HALF_UP))


def hours_text(minutes: int) -> str:
    """'1 h 30 min', '45 min', '2 h'."""
    hours, rest = divmod(int(minutes), 60)
    parts = ([f"{hours} h"] if hours else []) + ([f"{rest} min"] if rest or not hours else [])
    return " ".join(parts)


def money(amount: Decimal | None, currency: str) -> str:
    """'USD 1,234.50' (— for none)."""
    if amount is None:
        return "—"
    return f"{currency} {cents(amount):,.2f}"


def share_pct(part: Decimal, whole: Decimal | None) -> float | None:
    """part / whole in percent, one decimal; None without a whole."""
    if not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def parse_amount(text: str) -> Decimal:
    """A typed amount ('1200', '1,200.50'); ValueError when it is not one."""
    try:
        value = Decimal((text or "").replace(",", "").strip())
    except InvalidOperation:
        raise ValueError("Write an amount like 1200 or 1200.50.") from None
    if not value.is_finite():
        raise ValueError("Write an amount like 1200 or 1200.50.")
    return value
