"""Domain errors shown as pages."""
from flask import render_template


def domain_error_page(exc):
    return render_template("error.html", code=exc.status, message=exc.message), exc.status
