"""The rules of skills routing can trust (broker.people.skills), on plain data."""
from broker.people import skills as rules


def test_a_specialists_raise_waits_and_the_old_level_counts():
    stored = rules.as_verifier({"premiere_pro": 3})
    proposed = rules.as_proposer(stored, {"premiere_pro": 5, "figma": 4})
    assert proposed == {"premiere_pro": (5, 3), "figma": (4, None)}
    assert rules.routing_skills(proposed) == {"premiere_pro": 3}  # figma does not count at all
    assert [p.skill for p in rules.proposals(proposed)] == ["figma", "premiere_pro"]


def test_unchanged_levels_keep_their_verification_and_a_lower_level_counts_at_once():
    stored = rules.as_verifier({"premiere_pro": 4, "figma": 2})
    again = rules.as_proposer(stored, {"premiere_pro": 2, "figma": 2})
    assert again == {"premiere_pro": (2, 4), "figma": (2, 2)}
    assert rules.routing_skills(again) == {"premiere_pro": 2, "figma": 2}
    assert rules.as_proposer(stored, {}) == {}  # removing a skill is never a risk


def test_verify_and_reject():
    stored = {"premiere_pro": (5, 3), "figma": (4, None), "hootsuite": (2, 2)}
    verified, unknown = rules.verify(stored, {"premiere_pro": 5})
    assert unknown == [] and verified["premiere_pro"] == (5, 5) and verified["figma"] == (4, None)
    assert rules.verify(stored, {"google_ads": 3}) == (stored, ["google_ads"])
    assert rules.reject(stored, ["premiere_pro", "figma", "hootsuite"]) == {
        "premiere_pro": (3, 3), "hootsuite": (2, 2)}


def test_the_admin_pages_rows_leave_pending_proposals_standing():
    stored = {"premiere_pro": (5, 3), "figma": (4, None), "hootsuite": (2, 2)}
    kept = rules.keeping_proposals(stored, {"premiere_pro": 3, "hootsuite": 3})
    assert kept == {"premiere_pro": (5, 3), "figma": (4, None), "hootsuite": (3, 3)}
    decided = rules.keeping_proposals(stored, {"premiere_pro": 4, "figma": 1})
    assert decided == {"premiere_pro": (4, 4), "figma": (1, 1)}  # hootsuite removed


def test_csv_rows_that_cannot_be_read_are_named_not_raised():
    from broker.people.csv_rows import read_rows
    rows, problems = read_rows("email,name,timezone,hours\nx@example.com,X\0,UTC,mon 09:00-17:00\n")
    assert rows == [] and problems[0].startswith("The file holds NUL bytes")
    rows, problems = read_rows("email,name,timezone,hours\n" + "x" * 200_000 + ",X,UTC,mon 9:00-17:00\n")
    assert rows == [] and problems[0].startswith("Cannot read the file as CSV")
    rows, problems = read_rows("email,name,timezone,hours,skills,capacity\n"
                               "x@example.com,X,UTC,mon-sun 22:00-06:00 ; fri-mon 1:00-2:00,a:²,²\n")
    assert problems == [] and set(rows[0].errors) == {"hours", "skills", "capacity"}
