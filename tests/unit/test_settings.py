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


def test_timing_settings_are_read_and_checked(monkeypatch):
    monkeypatch.setenv("BROKER_ENV", "development")
    monkeypatch.setenv("BROKER_SCHEDULER_INTERVALS", '{"deliver_outbox": 1, "election": 0.5}')
    monkeypatch.setenv("BROKER_OUTBOX_LEASE_SECONDS", "6")
    monkeypatch.setenv("BROKER_SLACK_TIMEOUT", "2")
    monkeypatch.setenv("BROKER_PAUSE_AT", "route_round.before_commit, sla_sweep.before_commit")
    config = settings.from_environment()
    assert config["SCHEDULER_INTERVALS"] == {"deliver_outbox": 1.0, "election": 0.5}
    assert (config["OUTBOX_LEASE_SECONDS"], config["BROKER_SLACK_TIMEOUT"]) == (6.0, 2.0)
    assert config["BROKER_PAUSE_AT"] == ("route_round.before_commit", "sla_sweep.before_commit")
    monkeypatch.setenv("BROKER_OUTBOX_LEASE_SECONDS", "-1")
    with pytest.raises(RuntimeError, match="BROKER_OUTBOX_LEASE_SECONDS must be a positive"):
        settings.from_environment()
    monkeypatch.setenv("BROKER_OUTBOX_LEASE_SECONDS", "6")
    monkeypatch.setenv("BROKER_SCHEDULER_INTERVALS", '{"deliver_outbox": "soon"}')
    with pytest.raises(RuntimeError, match=r"BROKER_SCHEDULER_INTERVALS\[deliver_outbox\]"):
        settings.from_environment()
