"""Settings from the environment: no secret key in production, psycopg 3 for PostgreSQL URLs."""
import pytest

from broker import settings


def test_production_refuses_to_start_without_a_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("BROKER_ENV", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        settings.from_environment()


def test_development_has_a_local_default(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BROKER_ENV", "development")
    config = settings.from_environment()
    assert config["SECRET_KEY"] and config["SQLALCHEMY_DATABASE_URI"].endswith("instance/broker.db")
    assert config["BROKER_SCHEDULER"] == "on"


def test_environment_values_win(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db:5432/broker")
    monkeypatch.setenv("BROKER_SCHEDULER", "off")
    config = settings.from_environment()
    assert config["SECRET_KEY"] == "s3cret"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db:5432/broker"
    assert config["BROKER_SCHEDULER"] == "off"
