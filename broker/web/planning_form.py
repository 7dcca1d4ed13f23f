"""Read the /planning form into a run's kind, scenario and parameters, or field errors."""
from dataclasses import dataclass, field

from broker.errors import InvalidInput
from broker.planning.changes import parse_change
from broker.planning.demo import demo_scenario
from broker.planning.live import live_scenario
from broker.planning.runner import ALL, with_run_options
from broker.planning.scenario_schema import scenario_from_text
from broker.web.form_fields import error_text

SOURCES = {"demo": "The demo organisation", "live": "The live team and the last four weeks' load",
           "file": "A scenario file (YAML or JSON)"}
STRATEGY_NAMES = {"broker": "Broker routing", "round_robin": "Round-robin",
                  "least_loaded": "Least-loaded", "self_claim": "Self-claim only"}
MAX_WEEKS = 12
MAX_SCENARIO_BYTES = 256 * 1024
MAX_TASKS = 20_000        # expected arrivals of one page run (the benchmark's month is 5,000)
MAX_SPECIALISTS = 500


@dataclass
class PlanningRequest:
    kind: str = "simulate"
    scenario: object = None
    params: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)


def read(form, files, now) -> PlanningRequest:
    """Every field checked, so one round trip reports every problem."""
    out = PlanningRequest(kind="plan" if form.get("action") == "plan" else "simulate")
    weeks = _integer(form.get("weeks"), 1, MAX_WEEKS, "weeks", out.errors, default=4)
    seed = _integer(form.get("seed"), 0, 2**32 - 1, "seed", out.errors)
    strategies = [s for s in ALL if s in form.getlist("strategies")] or list(ALL)
    changes = _changes(form.get("changes", ""), out.errors)
    params = {"source": form.get("source", "demo"), "weeks": weeks, "seed": seed,
              "strategies": strategies, "changes": changes}
    if out.kind == "plan":
        params["target"] = _number(form.get("target"), 1, 100, "target", out.errors)
        params["max_added"] = _integer(form.get("max_added"), 1, 20, "max_added", out.errors, default=8)
    scenario = _scenario(params["source"], form, files, now, out.errors)
    if scenario is not None and not out.errors:
        out.scenario = with_run_options(scenario, weeks, seed)
        params["seed"] = out.scenario.seed
        _within_bounds(out.scenario, out.errors)
    out.params = params
    return out


def _scenario(source: str, form, files, now, errors: dict):
    try:
        if source == "demo":
            return demo_scenario()
        if source == "live":
            return live_scenario(now)
        if source == "file":
            return scenario_from_text(_scenario_text(form, files))
        errors["source"] = "Choose the demo, the live team or a scenario file."
    except InvalidInput as exc:
        where = "source" if source == "live" else "scenario_text"
        errors[where] = f"{exc.message} {error_text(exc.errors)}".strip()
    return None


def _within_bounds(scenario, errors: dict):
    """A page run shares a web worker: keep it to a few times the benchmark's month."""
    expected = scenario.workload.tasks_per_week * scenario.weeks
    if expected > MAX_TASKS:
        errors["weeks"] = (f"About {expected:,.0f} tasks would arrive; the page runs at most "
                           f"{MAX_TASKS:,} (use fewer weeks, or broker simulate).")
    if len(scenario.specialists) > MAX_SPECIALISTS:
        errors["scenario_text"] = f"At most {MAX_SPECIALISTS} specialists on the page (use broker simulate)."


def _scenario_text(form, files) -> str:
    upload = files.get("scenario_file")
    if upload is not None and upload.filename:
        data = upload.read(MAX_SCENARIO_BYTES + 1)
        if len(data) > MAX_SCENARIO_BYTES:
            raise InvalidInput("The scenario file is too large.", {"file": ["At most 256 KB."]})
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("The scenario file is not UTF-8 text.",
                               {"file": ["Upload YAML or JSON."]}) from None
    text = form.get("scenario_text", "")
    if not text.strip():
        raise InvalidInput("Paste a scenario or upload its file.", {})
    return text


def _changes(text: str, errors: dict) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    problems, changes = [], []
    for line in lines[:20]:
        try:
            changes.append(parse_change(line).text)
        except InvalidInput as exc:
            problems.append(exc.message)
    if len(lines) > 20:
        problems.append("At most 20 changes.")
    if problems:
        errors["changes"] = " ".join(problems)
    return changes


def _integer(raw, low, high, name, errors, default=None):
    if raw is None or not str(raw).strip():
        return default
    text = str(raw).strip()
    if not text.isdigit() or not low <= int(text) <= high:
        errors[name] = f"Give a whole number from {low} to {high}."
        return default
    return int(text)


def _number(raw, low, high, name, errors):
    try:
        value = float(str(raw).strip())
    except (TypeError, ValueError):
        errors[name] = f"Give a number from {low} to {high}."
        return None
    if not low <= value <= high:
        errors[name] = f"Give a number from {low} to {high}."
        return None
    return value
