"""URL pieces shared by the JSON API and the pages."""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # ids beyond a 32-bit integer cannot exist; refuse them before the database


class IdConverter(IntegerConverter):
    """`<id:name>`: a row id. Anything larger than an id can be is a 404 from the router, never a
    query that the database would fail on."""

    def __init__(self, url_map):
        super().__init__(url_map, max=MAX_ID)


def id_schema(converter) -> dict:
    """How flask-smorest documents an `<id:...>` path parameter."""
    return {"type": "integer", "minimum": 0, "maximum": MAX_ID}
