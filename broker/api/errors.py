"""One place that maps domain errors and failures to the API's JSON error format."""
import logging

from flask import jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from broker.errors import DomainError
from broker.extensions import db

log = logging.getLogger(__name__)


def error_body(code: int, message: str, errors: dict | None = None):
    body = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Error"), "message": message}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = code
    return response


def wants_json() -> bool:
    return request.path.startswith("/api/")


def register_error_handlers(app):
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        db.session.rollback()
        if not wants_json():
            from broker.web.errors import domain_error_page
            return domain_error_page(exc)
        errors = {"json": exc.errors} if exc.status == 422 and exc.errors else exc.errors
        return error_body(exc.status, exc.message, errors)

    @app.errorhandler(405)
    def method_not_allowed(exc: HTTPException):
        response = error_body(405, "The method is not allowed for this URL.") if wants_json() else exc
        if wants_json() and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(413)
    def too_large(exc):
        if not wants_json():
            return exc
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return error_body(413, f"The request body is larger than {limit} MB.")

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        return error_body(500, "Internal error; it has been logged.") if wants_json() else exc
