"""Importing specialists from a CSV file, all or nothing: a preview names every row's problems
(its own fields, an email twice in the file or already taken) before anything is stored, and the
import stores every row in one transaction or none."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from broker.errors import InvalidInput
from broker.extensions import db
from broker.people import permissions
from broker.people.csv_rows import CsvRow, read_rows
from broker.people.models import User
from broker.people.services import add_specialist_to_session
from broker.people.tokens import issue_token
from broker.unit_of_work import commit, transaction


@dataclass
class Preview:
    rows: list[CsvRow]
    problems: list[str]  # of the file as a whole

    @property
    def valid(self) -> bool:
        return not self.problems and not any(r.errors for r in self.rows)

    def errors(self) -> dict:
        """Problems field by field, as an InvalidInput carries them: by line, then column."""
        found: dict = {str(r.line): {k: [v] for k, v in r.errors.items()} for r in self.rows if r.errors}
        return ({"file": self.problems} if self.problems else {}) | found


def preview(actor: User, text: str) -> Preview:
    """Every row of the file checked, against each other and the directory; nothing stored."""
    permissions.require(actor, permissions.MANAGE_PEOPLE, "Only admins import specialists.")
    rows, problems = read_rows(text)
    _mark_duplicates(rows)
    return Preview(rows, problems)


def _mark_duplicates(rows: list[CsvRow]):
    first: dict = {}
    for row in rows:
        email = row.data.get("email")
        if email is None or "email" in row.errors:
            continue
        if email in first:
            row.errors["email"] = f"Also on line {first[email]}; each email once."
        else:
            first[email] = row.line
    if not first:
        return
    taken = set(db.session.scalars(select(func.lower(User.email))
                                   .where(func.lower(User.email).in_(list(first)))))
    for row in rows:
        if row.data.get("email") in taken and "email" not in row.errors:
            row.errors["email"] = "A user with this email already exists."


@transaction
def import_specialists(actor: User, text: str, now: datetime) -> list[tuple[User, str]]:
    """Create every specialist of the file with an API token each, or none (InvalidInput with
    the preview's problems)."""
    checked = preview(actor, text)
    if not checked.valid:
        raise InvalidInput("Nothing was imported: fix the rows named and import the whole file "
                           "again.", checked.errors())
    made = []
    for row in checked.rows:
        user = add_specialist_to_session(row.data, now)
        _, token = issue_token(user, now=now)
        made.append((user, token))
    commit(expire=False)
    return made
