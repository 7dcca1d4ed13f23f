"""Shape a planning run's stored result for the run page's charts and tables."""


def simulation_view(result: dict, names: dict) -> dict:
    """Rows per (variant, strategy), labelled, and utilization by timezone as chart items."""
    rows = []
    for variant, output in (("as is", result.get("baseline")), ("what-if", result.get("what_if"))):
        for row in (output or {}).get("results", []):
            label = names.get(row["strategy"], row["strategy"])
            rows.append({**row, "variant": variant,
                         "label": label if variant == "as is" else f"{label} · what-if"})
    zones = sorted({tz for row in rows for tz in row["utilization_by_timezone"]})
    utilization = [{"label": tz, **{f"u{i}": row["utilization_by_timezone"].get(tz)
                                    for i, row in enumerate(rows)}} for tz in zones]
    as_is = [i for i, row in enumerate(rows) if row["variant"] == "as is"]
    return {
        "about": result.get("baseline") or {}, "changes": (result.get("what_if") or {}).get("changes", []),
        "rows": rows, "utilization": utilization,
        "utilization_series": [(f"u{i}", rows[i]["label"], f"zone-{i % 8}") for i in as_is],
        "utilization_columns": [(f"u{i}", row["label"]) for i, row in enumerate(rows)],
        "utilization_max": max([v for item in utilization for k, v in item.items()
                                if k != "label" and v is not None] + [1.0]),
        "cycle_max": max([row["p90_cycle_hours"] or 0 for row in rows] + [1.0]),
    }


def plan_view(result: dict) -> dict:
    """Before and after as labelled rows, and the steps the search took."""
    plan = result["plan"]
    rows = [{**plan["before"], "label": "Before"}, {**plan["after"], "label": "After"}]
    return {"plan": plan, "rows": rows,
            "cycle_max": max([row["p90_cycle_hours"] or 0 for row in rows] + [1.0])}
