"""Unbound Flask extensions; broker.app binds them to an app."""
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from broker import json_columns

# Named constraints, so Alembic's batch mode can alter SQLite tables later.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base shared by every package's models."""

    metadata = MetaData(naming_convention=NAMING)


# JSON columns are written and read by orjson whatever engine options a config passes (tests
# pass their own).
db = SQLAlchemy(model_class=Base, engine_options={"json_serializer": json_columns.dumps,
                                                  "json_deserializer": json_columns.loads})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
api = Api()
