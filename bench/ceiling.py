"""The ceiling of bench/load.py: a bare Flask endpoint that inserts one row, nothing else.

Served by bench/load.py with the product's gunicorn settings (broker/gunicorn_conf.py) on another
port, against the same PostgreSQL database, so its rate is what this stack can do at best here:

    DATABASE_URL=... BROKER_BIND=127.0.0.1:8001 gunicorn --config python:broker.gunicorn_conf \
        --pythonpath bench 'ceiling:create_app()'
"""
import os
from datetime import datetime, timezone

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Hit(db.Model):
    __tablename__ = "bench_ceiling"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def create_app() -> Flask:
    url = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=url,
                      SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True})
    db.init_app(app)

    @app.post("/insert")
    def insert():
        db.session.add(Hit(at=datetime.now(timezone.utc)))
        db.session.commit()
        return {"ok": True}, 201

    @app.get("/health")
    def health():
        return {"status": "ok"}

    return app


def create_table(url: str):
    """Make the ceiling's one table (before gunicorn starts: its workers must not race to)."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    db.init_app(app)
    with app.app_context():
        db.create_all()
        db.engine.dispose()

