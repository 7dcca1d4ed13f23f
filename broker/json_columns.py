"""How JSON columns are written: orjson, about ten times as fast as the standard library's
encoder (a routing round writes thousands of explanations), with the same text for the same
values: non-string keys become strings and numpy scalars plain numbers."""
import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def dumps(value) -> str:
    return orjson.dumps(value, option=_OPTIONS).decode()
