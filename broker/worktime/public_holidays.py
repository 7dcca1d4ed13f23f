"""Public holidays of a country (and subdivision) as local dates, from the `holidays` package.

Specialists and SLA calendars name where they are; that place's public holidays count as time
off. Lookups are cached per place for the whole process (a routing round of thousands of
specialists asks for a handful of countries), over a window of years around today.
"""
import warnings
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from broker.timeutil import utcnow

YEARS_BEFORE, YEARS_AFTER = 2, 3  # the window of years whose holidays are looked up


@lru_cache(maxsize=1)
def _supported() -> dict:
    return holidays.list_supported_countries()


def place_errors(country, subdivision) -> dict:
    """Field errors for an ISO 3166 alpha-2 country and an optional subdivision; empty if valid."""
    if country in (None, ""):
        return {"subdivision": ["Give a country with the subdivision."]} if subdivision else {}
    if not isinstance(country, str) or country not in _supported():
        return {"country": [f"Unknown country {country!r}; use an ISO 3166 alpha-2 code such as "
                            "PH, IN or US that the holidays package knows."]}
    known = _supported()[country]
    if subdivision not in (None, "") and subdivision not in known:
        hint = f" Known: {', '.join(known[:12])}{'…' if len(known) > 12 else ''}." if known else ""
        return {"subdivision": [f"{country} has no subdivision {subdivision!r}.{hint}"]}
    return {}


@lru_cache(maxsize=256)
def _calendar(country: str, subdivision: str | None, first: int, last: int) -> dict:
    with warnings.catch_warnings():  # "available only from 2001 to 2035" for some countries
        warnings.simplefilter("ignore")
        found = holidays.country_holidays(country, subdiv=subdivision or None,
                                          years=range(first, last + 1))
    return dict(found.items())


def holiday_names(country: str | None, subdivision: str | None = None,
                  around: date | None = None) -> dict[date, str]:
    """{local date: holiday name} for the place, over the years around `around` (today)."""
    if not country:
        return {}
    year = (around or utcnow().date()).year
    return _calendar(country, subdivision or None, year - YEARS_BEFORE, year + YEARS_AFTER)


@lru_cache(maxsize=256)
def _dates(country: str, subdivision: str | None, year: int) -> frozenset:
    return frozenset(holiday_names(country, subdivision, date(year, 1, 1)))


def holiday_dates(country: str | None, subdivision: str | None = None,
                  around: date | None = None) -> frozenset:
    """The place's public holidays as a frozenset of dates (one shared object per place)."""
    if not country:
        return frozenset()
    return _dates(country, subdivision or None, (around or utcnow().date()).year)


def holiday_on(country: str | None, subdivision: str | None, day: date) -> str | None:
    """The holiday's name when `day` is a public holiday of the place, else None."""
    return holiday_names(country, subdivision, day).get(day) if country else None


def describe(country: str | None, subdivision: str | None, name: str) -> str:
    """'on a public holiday in PH: Rizal Day' (the words routing explanations use)."""
    place = f"{country}-{subdivision}" if subdivision else country
    return f"on a public holiday in {place}: {name}"


def upcoming(country: str | None, subdivision: str | None, start: date, count: int = 5) -> list:
    """The next `count` holidays from `start` as (date, name), for showing on a profile."""
    names = holiday_names(country, subdivision, start)
    return [(d, names[d]) for d in sorted(d for d in names if d >= start)][:count]


class HolidaysOfRound:
    """Holiday lookups of one routing round at `now`, each place and zone asked once."""

    def __init__(self, now: datetime):
        self.now = now
        self._dates: dict = {}
        self._today: dict = {}
        self._zones: dict = {}

    def dates(self, country: str | None, subdivision: str | None) -> frozenset:
        key = (country, subdivision)
        if key not in self._dates:
            self._dates[key] = holiday_dates(country, subdivision, self.now.date())
        return self._dates[key]

    def today(self, country: str | None, subdivision: str | None, tz: str) -> str | None:
        """The words for a public holiday on the local date of `now` in zone `tz`, else None."""
        if not country:
            return None
        key = (country, subdivision, tz)
        if key not in self._today:
            zone = self._zones.setdefault(tz, ZoneInfo(tz))
            name = holiday_on(country, subdivision, self.now.astimezone(zone).date())
            self._today[key] = describe(country, subdivision, name) if name else None
        return self._today[key]
