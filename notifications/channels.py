"""What outbox delivery needs to know about one kind of row (a channel): its table, when a row is
due, how a claimed row reads and is sent, and what else its outcome writes. The claim, lease and
back-off machinery in notifications.delivery is the same for every channel."""
from dataclasses import dataclass, field
from datetime import datetime
from random import Random
from typing import Protocol

from notifications.sinks import Outcome


@dataclass(frozen=True)
class Claimed:
    """A claimed row as plain values, read once (commits expire ORM objects). `target` is where it
    goes (a user's Slack webhook, a webhook endpoint): a 429 there pauses its other rows."""

    id: int
    attempts: int
    target: tuple
    destination: str | None
    message: dict
    secret: str | None = field(default=None, repr=False)


class Channel(Protocol):
    model: type  # a table with the outbox's delivery columns (state, attempts, claims...)
    options: tuple  # loader options for reading claimed rows (their user, their endpoint)
    pause_target_on_failure: bool  # one failure holds the target's other rows until its retry

    def due_also(self, at: datetime):
        """Conditions a queued row must also meet to be due (None: none)."""

    def read(self, rows: list) -> list[Claimed]:
        """The claimed ORM rows as plain values, ready to send."""

    def send(self, row: Claimed) -> Outcome:
        """One attempt; never raises."""

    def retry_at(self, row: Claimed, outcome: Outcome, at: datetime, rng: Random) -> datetime | None:
        """When to try again after a failure, or None to give up."""

    def outcome_values(self, outcome: Outcome) -> dict:
        """Extra columns the outcome writes on the row."""

    def recorded_in(self, session, row: Claimed, outcome: Outcome, at: datetime,
                    retry_at: datetime | None) -> None:
        """Other writes of the outcome, in its transaction (e.g. an endpoint's failure streak)."""
