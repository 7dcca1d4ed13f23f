"""Cost report arithmetic over plain lines (pure): hours, money to the cent, and the outcomes beside
them. A total is the sum of its rows, so a report adds up exactly."""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from broker.costs.money import cents

GROUPS = ("brief", "objective", "work_type", "specialist", "partner")


@dataclass(frozen=True)
class Line:
    """Time logged on one task (by one person, when grouped by people), and whether this line
    carries the task's own figures (its estimate, approval, SLA, revisions and rating)."""

    group: str
    label: str
    task_id: int
    brief_id: int
    minutes: int = 0
    cost: Decimal = Decimal("0.00")
    counts_task: bool = True
    estimate_hours: float = 0.0
    approved: bool = False
    turnaround: str | None = None  # "met", "breached", None while undecided
    revision: int = 0
    rating: int | None = None


def _mean(values: list) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def summarise(group: str, label: str, lines: list[Line]) -> dict:
    """One row: what the lines logged and cost, and how well their tasks were served."""
    own = [line for line in lines if line.counts_task]
    decided = [line.turnaround for line in own if line.turnaround]
    approved = sum(1 for line in own if line.approved)
    minutes = sum(line.minutes for line in lines)
    cost = sum((line.cost for line in lines), Decimal("0.00"))
    estimate = round(sum(line.estimate_hours for line in own), 2)
    return {
        "group": group, "label": label,
        "briefs": len({line.brief_id for line in own}), "tasks": len(own),
        "tasks_approved": approved, "estimate_hours": estimate,
        "logged_minutes": minutes, "logged_hours": round(minutes / 60, 2),
        "logged_vs_estimate_pct": round(100 * minutes / 60 / estimate, 1) if estimate else None,
        "cost": cents(cost),
        "cost_per_approved_task": cents(cost / approved) if approved else None,
        "attainment_pct": round(100 * decided.count("met") / len(decided), 1) if decided else None,
        "revisions": sum(line.revision for line in own),
        "average_rating": _mean([line.rating for line in own if line.rating is not None]),
    }


def build_report(lines: list[Line], always: tuple = ()) -> dict:
    """Rows per group, costliest first (groups in `always` shown even when empty), and the
    total: the sum of the rows for hours and money, the whole for shares and averages."""
    groups: dict[str, list] = {key: [] for key in always}
    labels = {key: key for key in always}
    for line in lines:
        groups.setdefault(line.group, []).append(line)
        labels[line.group] = line.label
    rows = [summarise(key, labels[key], found) for key, found in groups.items()]
    rows.sort(key=lambda row: (-row["cost"], -row["logged_minutes"], row["label"]))
    total = summarise("total", "Total", lines)
    total["cost"] = sum((row["cost"] for row in rows), Decimal("0.00"))
    total["logged_minutes"] = sum(row["logged_minutes"] for row in rows)
    return {"rows": rows, "total": total}


def per_hour(cost: Decimal, minutes: int) -> Decimal | None:
    """Average cost of an hour logged."""
    if not minutes:
        return None
    return (Decimal(cost) * 60 / minutes).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
