"""The work loop's pure rules: mentions, dependency checks, review rounds and owner wait,
schedule slots across DST, working days."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tasks.dependencies import after_errors, find_cycle
from tasks.mentions import mentioned
from tasks.recurrence import add_working_days, due_slot, latest_slot, period_key, working_days_between
from tasks.rounds import review_rounds, waiting_on_owner_hours

UTC, NY, LONDON = ZoneInfo("UTC"), ZoneInfo("America/New_York"), ZoneInfo("Europe/London")
T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
PEOPLE = [(1, "Ana Reyes", "ana@x.test"), (2, "Ana", "ana2@x.test"), (3, "Bo Li", "bo@x.test")]


def test_mentions_by_name_or_email_longest_handle_first_word_boundaries():
    assert mentioned("@ana reyes, can you?", PEOPLE) == [1]
    assert mentioned("@Ana please; cc @bo@x.test.", PEOPLE) == [2, 3]
    assert mentioned("@Anastasia and ana@x.test without at", PEOPLE) == []
    assert mentioned("no mentions", PEOPLE) == []


def test_mentions_by_a_first_name_or_email_name_only_when_one_person_answers_to_it():
    people = PEOPLE + [(4, "Dana Cruz", "dcruz@x.test"), (5, "Dana Lim", "dana.lim@x.test")]
    assert mentioned("@bo can you check?", people) == [3]  # first name, one Bo
    assert mentioned("thanks @dcruz and @dana.lim", people) == [4, 5]  # emails before the @
    assert mentioned("@dana which of you?", people) == []  # two Danas: nobody is guessed
    assert mentioned("@ana", people) == [2]  # someone's full name beats another's first name
    assert mentioned("@ana2 and @Ana Reyes", people) == [1, 2]


def test_dependency_errors():
    assert after_errors([{"after": []}, {"after": [0]}]) == {}
    assert "circle" in after_errors([{"after": [2]}, {"after": [0]}, {"after": [1]}])[0]["after"][0]
    assert after_errors([{"after": [0]}]) == {0: {"after": ["A task cannot wait for itself."]}}
    assert "index 3" in after_errors([{"after": [3]}, {}])[0]["after"][0]
    assert find_cycle({0: [1], 1: [2], 2: [1]}) == [1, 2, 1]
    assert find_cycle({0: [1], 1: [], 2: [0, 1]}) is None


def events(*pairs):
    return [{"type": t, "at": T0 + timedelta(hours=h), "details": d} for t, h, d in pairs]


def test_rounds_and_waiting_on_owner():
    history = events(("submitted", 1, {"deliverables": [{"url": "u1", "label": "Cut"}]}),
                     ("changes_requested", 5, {"note": "n", "items": ["a", "b"]}),
                     ("revision_started", 6, {}),
                     ("submitted", 8, {"deliverable_url": "u2"}),
                     ("approved", 9, {"rating": 4}))
    rounds = review_rounds(history)
    assert [(r.number, r.decision, r.items, r.rating) for r in rounds] == [
        (1, "changes_requested", ["a", "b"], None), (2, "approved", [], 4)]
    assert rounds[1].deliverables == [{"url": "u2", "label": None}]
    assert waiting_on_owner_hours(history, T0 + timedelta(days=9)) == 5.0
    assert waiting_on_owner_hours(history[:1], T0 + timedelta(hours=3)) == 2.0  # still waiting


def test_weekly_slots_keep_local_time_across_the_autumn_change():
    weekly = {"every": "week", "weekday": "mon", "at": "09:00"}
    before = latest_slot(weekly, "America/New_York", datetime(2026, 10, 27, tzinfo=UTC))
    after = latest_slot(weekly, "America/New_York", datetime(2026, 11, 3, tzinfo=UTC))
    assert before.astimezone(UTC).hour == 13 and after.astimezone(UTC).hour == 14
    assert (before.astimezone(NY).hour, after.astimezone(NY).hour) == (9, 9)
    assert period_key(after, weekly) == "2026-W45"
    assert due_slot(weekly, "America/New_York", datetime(2026, 11, 3, tzinfo=UTC),
                    since=datetime(2026, 11, 2, 15, tzinfo=UTC)) is None  # set after the slot


def test_monthly_slot_before_the_day_is_last_months():
    monthly = {"every": "month", "day": 28, "at": "08:00"}
    slot = latest_slot(monthly, "Europe/London", datetime(2026, 3, 10, tzinfo=UTC))
    assert slot.date().isoformat() == "2026-02-28" and period_key(slot, monthly) == "2026-02"


def test_working_days_skip_weekends():
    friday = datetime(2026, 11, 27, 15, 30, tzinfo=LONDON)
    assert add_working_days(friday, 1, "Europe/London").date().isoformat() == "2026-11-30"
    assert add_working_days(friday, 3, "Europe/London").isoformat() == "2026-12-02T15:30:00+00:00"
    assert working_days_between(friday, friday + timedelta(days=4), "Europe/London") == 2
