"""Dependencies between the tasks of one brief, as posted (pure): `after` lists the indexes of
sibling tasks that must be approved first; refuse unknown indexes, self-references and cycles."""


def after_errors(specs: list[dict]) -> dict:
    """{index: {"after": [message]}} for every task whose `after` cannot hold; {} when all can."""
    errors: dict = {}
    count = len(specs)
    for index, spec in enumerate(specs):
        after = spec.get("after") or []
        unknown = sorted({i for i in after if not 0 <= i < count})
        if unknown:
            errors[index] = {"after": [f"No task at index {', '.join(map(str, unknown))}; "
                                       f"indexes run from 0 to {count - 1}."]}
        elif index in after:
            errors[index] = {"after": ["A task cannot wait for itself."]}
    if errors:
        return errors
    cycle = find_cycle({i: list(s.get("after") or []) for i, s in enumerate(specs)})
    if cycle:
        path = " → ".join(str(i) for i in cycle)
        for index in set(cycle):
            errors[index] = {"after": [f"These tasks wait for each other in a circle ({path}); "
                                       "none could ever start."]}
    return errors


def find_cycle(graph: dict[int, list[int]]) -> list[int] | None:
    """One cycle of `graph` (node -> the nodes it waits for) as a path back to its start, or None."""
    state: dict[int, int] = {}  # 1 while on the current path, 2 when done

    def visit(node: int, path: list[int]) -> list[int] | None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                current = path + [node]
                return current[current.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, path + [node])
                if found:
                    return found
        state[node] = 2
        return None

    for start in graph:
        if start not in state:
            found = visit(start, [])
            if found:
                return found
    return None
