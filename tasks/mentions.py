"""@mentions in a comment (pure): `@Full Name` or `@email` of the people who may see the task,
or, as in Slack, a first name or the part of an email before the `@` when it names one person only."""
import re
from collections import Counter

_WORD = re.compile(r"\w")


def mentioned(body: str, people: list[tuple[int, str, str]]) -> list[int]:
    """Ids of `people` (id, name, email) named after an `@` in `body`, once each, in the order
    given. A handle must end at a word boundary (`@Ana` does not mention Anastasia), and where
    two handles start at the same `@` the longer wins (`@Ana Reyes` is not also `@Ana`)."""
    text = body.casefold()
    best: dict[int, tuple[int, int]] = {}  # start of the `@` -> (length, user id)
    for user_id, handle in handles(people):
        for start in _starts(text, f"@{handle}"):
            if len(handle) > best.get(start, (0, 0))[0]:
                best[start] = (len(handle), user_id)
    chosen = {user_id for _, user_id in best.values()}
    return [user_id for user_id, _, _ in people if user_id in chosen]


def handles(people: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
    """(user id, handle) casefolded: each full name and email, plus the short handles (first
    name, email before the `@`) that no one else answers to."""
    full = [(user_id, h.casefold()) for user_id, name, email in people for h in (email, name) if h]
    short = {(user_id, h.casefold()) for user_id, name, email in people
             for h in ((name or "").split()[:1] + [(email or "").split("@")[0]]) if h}
    owners = Counter(h for _, h in short)
    taken = {h for _, h in full}
    return full + sorted((user_id, h) for user_id, h in short
                         if owners[h] == 1 and h not in taken)


def _starts(text: str, handle: str):
    start = text.find(handle)
    while start != -1:
        end = start + len(handle)
        if end == len(text) or not (_WORD.match(text[end]) or text[end] == "@"):
            yield start
        start = text.find(handle, start + 1)
