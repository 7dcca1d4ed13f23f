"""flask-smorest's Blueprint with what our OpenAPI document needs besides: the error answers a view
may give, by status (400 for malformed JSON wherever a body is read), and the X-Pagination header
documented as the JSON text it is."""
from http import HTTPStatus

import flask_smorest
from flask_smorest.pagination import PaginationMetadataSchema

PAGINATION_HEADER = {
    "description": "Pagination metadata, a JSON object: total, total_pages, first_page, "
                   "last_page, page, previous_page, next_page.",
    "content": {"application/json": {"schema": PaginationMetadataSchema}},
}


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest Blueprint for the API's views."""

    def errors(self, *codes: int):
        """Document the error answers a view may give, each with the API's error schema
        (flask-smorest registers one response per HTTP status, named like NOT_FOUND)."""

        def decorate(view):
            for code in codes:
                view = self.alt_response(code, response=HTTPStatus(code).name)(view)
            return view

        return decorate

    def arguments(self, schema, *, location="json", **kwargs):
        """flask-smorest's arguments; a JSON body also documents the 400 that malformed JSON gets
        and the 415 that a body of another type gets,
        and is documented as optional when none of its fields is required (a PATCH or a step
        with an optional note may be sent without a body, and is)."""
        if location == "json" and "required" not in kwargs:
            kwargs["required"] = _needs_body(schema)
        load = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return load
        bad_json = self.alt_response(400, response="BAD_REQUEST")
        not_json = self.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")  # broker.api.bodies
        return lambda view: not_json(bad_json(load(view)))

    def _document_pagination_metadata(self, spec, resp_doc):
        """flask-smorest documents X-Pagination as an object in the header's default (simple)
        style, which clients read as `k,v,k,v`; the header holds JSON, which OpenAPI 3 says with
        `content`."""
        resp_doc.setdefault("headers", {})[self.PAGINATION_HEADER_NAME] = PAGINATION_HEADER


def _needs_body(schema) -> bool:
    """Whether a request body must be sent: a list, or an object with a required field."""
    instance = schema() if isinstance(schema, type) else schema
    return bool(instance.many) or any(field.required for field in instance.fields.values())
