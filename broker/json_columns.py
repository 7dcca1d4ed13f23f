"""How JSON columns are written and read: orjson, several times as fast as the standard
library (a routing round writes thousands of explanations and reads thousands of skill lists),
with the same text for the same values: non-string keys become strings and numpy scalars plain
numbers."""
import json

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def dumps(value) -> str:
    return orjson.dumps(value, option=_OPTIONS).decode()


def loads(text: str | bytes):
    """orjson's reading, or the standard library's for what orjson refuses and rows written
    before it may hold (NaN)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
