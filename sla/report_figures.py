"""SLA report arithmetic over plain records: attainment, cycle-time percentiles, breaches, hours lost
(pure)."""
from dataclasses import dataclass
from datetime import datetime

GROUPS = ("work_type", "specialist", "objective", "week")


@dataclass(frozen=True)
class TaskRecord:
    group: str
    turnaround: str | None  # "met", "breached", or None while undecided
    cycle_hours: float | None  # posted to approved, wall hours; None until approved
    breaches: int  # breached targets of any kind (ack, turnaround, revisions)
    hours_lost: float  # working hours past due, summed over its breached targets
    waiting_on_owner_hours: float = 0.0  # submitted work waiting for the owner's decision


def percentile(values: list, q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def overdue(due_at: datetime, ended: datetime | None, as_of: datetime) -> tuple[bool, datetime]:
    """Whether a target breached by `as_of`, and until when it ran (its end, or as_of)."""
    end = ended if ended is not None and ended <= as_of else as_of
    return due_at < end, end


def summarise(group: str, records: list[TaskRecord]) -> dict:
    decided = [r.turnaround for r in records if r.turnaround]
    cycles = [r.cycle_hours for r in records if r.cycle_hours is not None]
    met = decided.count("met")

    def rounded(value):
        return None if value is None else round(value, 2)

    return {
        "group": group, "tasks": len(records), "decided": len(decided),
        "attainment_pct": round(100 * met / len(decided), 1) if decided else None,
        "median_cycle_hours": rounded(percentile(cycles, 50)),
        "p90_cycle_hours": rounded(percentile(cycles, 90)),
        "breaches": sum(r.breaches for r in records),
        "hours_lost": round(sum(r.hours_lost for r in records), 2),
        "waiting_on_owner_hours": round(sum(r.waiting_on_owner_hours for r in records), 2),
    }


def build_report(records: list[TaskRecord]) -> dict:
    """Rows per group (sorted by name) and the total over all records."""
    groups: dict[str, list] = {}
    for record in records:
        groups.setdefault(record.group, []).append(record)
    return {"rows": [summarise(name, groups[name]) for name in sorted(groups)],
            "total": summarise("total", records)}
