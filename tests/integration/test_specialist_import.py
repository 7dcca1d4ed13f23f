"""Importing specialists from CSV through the API: every row's problems before anything is
stored, all or nothing."""
from sqlalchemy import func, select

from broker.extensions import db
from broker.people.models import User

HEADER = "email,name,timezone,skills,hours,capacity,partner\n"
GOOD = ("ana@studio.example,Ana Reyes,Asia/Manila,premiere_pro:4;after_effects:3,"
        "mon-fri 09:00-13:00 14:00-18:00; sat 10:00-14:00,4,Luzon Creative\n"
        "ben@studio.example,Ben Okafor,Africa/Lagos,figma:3,mon-fri 08:00-16:00,,\n")


def specialists(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User).where(User.role == "specialist"))


def test_a_good_file_creates_everyone_with_verified_skills_and_a_token(app, client, make):
    admin = make.user("admin")
    preview = client.post("/api/v1/specialists/import/preview", headers=admin.headers,
                          json={"csv": HEADER + GOOD})
    assert preview.status_code == 200 and preview.json["valid"] is True
    assert [r["line"] for r in preview.json["rows"]] == [2, 3] and specialists(app) == 0
    r = client.post("/api/v1/specialists/import", headers=admin.headers, json={"csv": HEADER + GOOD})
    assert r.status_code == 201, r.json
    ana, ben = r.json["created"]
    assert ana["working_hours"] == {d: [["09:00", "13:00"], ["14:00", "18:00"]]
                                    for d in ("mon", "tue", "wed", "thu", "fri")} | {
        "sat": [["10:00", "14:00"]]}
    assert (ana["capacity"], ana["partner"], ben["capacity"], ben["partner"]) == (4, "Luzon Creative", 3, None)
    assert ana["skills"][1] == {"skill": "premiere_pro", "level": 4, "verified": True, "verified_level": 4}
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {ben['api_token']}"})
    assert me.json["email"] == "ben@studio.example"


def test_every_bad_row_is_named_and_nothing_is_stored(app, client, make):
    admin = make.user("admin")
    taken = make.specialist()
    bad = HEADER + GOOD + (
        "not-an-email,Cara,Asia/Manila,figma:3,mon-fri 09:00-17:00,,\n"       # line 4
        "dan@studio.example,Dan,Mars/Olympus,figma:3,mon-fri 09:00-17:00,,\n"  # line 5
        "eve@studio.example,Eve,Asia/Manila,figma:7,mon-fri 09:00-17:00,,\n"   # line 6
        "ANA@studio.example,Ana again,Asia/Manila,,mon-fri 09:00-17:00,,\n"    # line 7
        f"{taken.email},Taken,Asia/Manila,,mon-fri 09:00-17:00,,\n"            # line 8
        "fay@studio.example,Fay,Asia/Manila,,someday,99,\n")                   # line 9
    preview = client.post("/api/v1/specialists/import/preview", headers=admin.headers, json={"csv": bad})
    assert preview.status_code == 200 and preview.json["valid"] is False
    errors = {r["line"]: r["errors"] for r in preview.json["rows"] if r["errors"]}
    assert set(errors) == {4, 5, 6, 7, 8, 9}
    assert "not an email" in errors[4]["email"]
    assert "Unknown timezone" in errors[5]["timezone"]
    assert "1 to 5" in errors[6]["skills"]
    assert "Also on line 2" in errors[7]["email"]
    assert "already exists" in errors[8]["email"]
    assert set(errors[9]) == {"hours", "capacity"}
    r = client.post("/api/v1/specialists/import", headers=admin.headers, json={"csv": bad})
    assert r.status_code == 422 and "Nothing was imported" in r.json["message"]
    assert set(r.json["errors"]["json"]) == {"4", "5", "6", "7", "8", "9"}
    assert r.json["errors"]["json"]["6"] == {"skills": [errors[6]["skills"]]}
    assert specialists(app) == 1  # only the one made before


def test_the_file_itself_must_name_its_columns(client, make):
    admin = make.user("admin")
    r = client.post("/api/v1/specialists/import", headers=admin.headers,
                    json={"csv": "mail,name\nx@example.com,X\n"})
    assert r.status_code == 422 and "file" in r.json["errors"]["json"]
    assert "Unknown columns: mail" in r.json["errors"]["json"]["file"][0]
    empty = client.post("/api/v1/specialists/import/preview", headers=admin.headers, json={"csv": HEADER})
    assert empty.json["problems"] == ["The file has a header but no rows."]


def test_only_admins_import(client, make):
    manager = make.user("manager")
    for path in ("/api/v1/specialists/import", "/api/v1/specialists/import/preview"):
        assert client.post(path, headers=manager.headers, json={"csv": HEADER + GOOD}).status_code == 403
