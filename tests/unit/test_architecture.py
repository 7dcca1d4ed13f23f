"""The floors of DESIGN.md, checked over the source with `ast`: no module of a lower floor imports
one of a higher floor, `tasks` never reads `sla` or `notifications`, the packages import each
other without circles, and a module that says it is pure imports neither Flask nor the database.
`python -m tests.unit.test_architecture` prints the package import graph."""
import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("broker", "tasks", "sla", "notifications")
# broker's parts on the top floor (the shell and engine); the rest of broker is the base.
TOP = ("broker.app", "broker.api", "broker.web", "broker.cli", "broker.routing", "broker.scheduler",
       "broker.slack_app", "broker.planning", "broker.costs")
FLOORS = {"base": 0, "domain": 1, "top": 2}


def modules() -> dict[str, Path]:
    """Every product module by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_of(path: Path, lazy: bool = True) -> set[str]:
    """The product modules a file imports, with the lazy ones inside functions unless `lazy` is off."""
    tree = ast.parse(path.read_text(), str(path))
    names = set()
    for node in ast.walk(tree) if lazy else tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n.split(".")[0] in PACKAGES}


def resolve(name: str, known: dict) -> str:
    """The module a dotted import name lands in (`from tasks import lifecycle` is tasks.lifecycle)."""
    while name not in known and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def unit(module: str) -> str:
    """The package-level unit a module belongs to, for the graph: broker's parts are told apart."""
    if module == "broker":
        return "broker.base"
    if module.startswith("broker."):
        second = module.split(".")[1]
        part = f"broker.{second}"
        return part if part.startswith(TOP) or second in ("people", "worktime") else "broker.base"
    return module.split(".")[0]


def floor(module: str) -> int:
    """0 for the base (broker's extensions, settings, people, worktime...), 1 domain, 2 top."""
    if module.split(".")[0] in ("tasks", "sla", "notifications"):
        return FLOORS["domain"]
    if module == "broker" or not module.startswith(TOP):
        return FLOORS["base"]
    return FLOORS["top"]


def module_edges(lazy: bool = True) -> set[tuple[str, str]]:
    """(importer, imported) for every import between product modules."""
    known = modules()
    return {(m, resolve(name, known)) for m, path in known.items()
            for name in imports_of(path, lazy) if resolve(name, known) != m}


def unit_graph() -> dict[str, set[str]]:
    """Which package-level unit imports which (the graph the issue asks to compare)."""
    graph = defaultdict(set)
    for source, target in module_edges():
        if unit(source) != unit(target):
            graph[unit(source)].add(unit(target))
    return graph


def test_no_lower_floor_imports_a_higher_one():
    upward = sorted(f"{s} -> {t}" for s, t in module_edges() if floor(s) < floor(t))
    assert upward == []


def test_tasks_reads_neither_sla_nor_notifications():
    assert sorted(f"{s} -> {t}" for s, t in module_edges()
                  if s.startswith("tasks") and t.split(".")[0] in ("sla", "notifications")) == []


def test_domain_packages_import_each_other_without_circles():
    graph = unit_graph()
    domain = ("tasks", "sla", "notifications")
    circles = sorted(f"{a} <-> {b}" for a in domain for b in domain
                     if a < b and b in graph.get(a, ()) and a in graph.get(b, ()))
    assert circles == []


def test_modules_import_each_other_without_circles_at_load_time():
    """Lazy imports inside functions are how a deliberate back-reference is written; the imports
    that run at load time form no circle."""
    graph = defaultdict(set)
    for source, target in module_edges(lazy=False):
        graph[source].add(target)
    assert [cycle for start in sorted(graph) if (cycle := _cycle_from(start, graph))] == []


def _cycle_from(start: str, graph: dict) -> list[str]:
    """A path of imports that leads from `start` back to it, or []."""
    stack, seen = [(start, [start])], set()
    while stack:
        module, path = stack.pop()
        for target in graph.get(module, ()):
            if target == start:
                return path + [start]
            if target not in seen:
                seen.add(target)
                stack.append((target, path + [target]))
    return []


def test_modules_that_say_they_are_pure_import_neither_flask_nor_the_database():
    """DESIGN.md keeps pure logic free of Flask and the database; the docstring is the claim."""
    impure = re.compile(r"(flask|flask_\w+|sqlalchemy)(\..*)?|broker\.extensions|.*\.(models|services|queries)")
    found = {}
    for module, path in modules().items():
        tree = ast.parse(path.read_text(), str(path))
        if re.search(r"\bpure\b", ast.get_docstring(tree) or "", re.IGNORECASE):
            names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
            names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            found[module] = sorted(n for n in names if impure.fullmatch(n))
    assert len(found) >= 15 and {m: bad for m, bad in found.items() if bad} == {}


if __name__ == "__main__":
    for source, targets in sorted(unit_graph().items()):
        print(f"{source:24} -> {', '.join(sorted(targets))}")
