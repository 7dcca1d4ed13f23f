"""@mentions in a comment (pure): `@Full Name` or `@email` of the people who may see the task."""
import re

_WORD = re.compile(r"\w")


def mentioned(body: str, people: list[tuple[int, str, str]]) -> list[int]:
    """Ids of `people` (id, name, email) named after an `@` in `body`, once each, in the order
    given. A handle must end at a word boundary (`@Ana` does not mention Anastasia), and where
    two handles start at the same `@` the longer wins (`@Ana Reyes` is not also `@Ana`)."""
    text = body.casefold()
    best: dict[int, tuple[int, int]] = {}  # start of the `@` -> (length, user id)
    for user_id, name, email in people:
        for handle in (email, name):
            if not handle:
                continue
            for start in _starts(text, f"@{handle.casefold()}"):
                if len(handle) > best.get(start, (0, 0))[0]:
                    best[start] = (len(handle), user_id)
    chosen = {user_id for _, user_id in best.values()}
    return [user_id for user_id, _, _ in people if user_id in chosen]


def _starts(text: str, handle: str):
    start = text.find(handle)
    while start != -1:
        end = start + len(handle)
        if end == len(text) or not (_WORD.match(text[end]) or text[end] == "@"):
            yield start
        start = text.find(handle, start + 1)
