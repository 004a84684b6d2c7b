"""Fixtures: a real PostgreSQL for every service test, fresh tables per test, demo data."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from app.settings import get_settings
from tests.servers import postgres_server

# The tests run as production does: not dev mode, and a random secret key of their own (the
# subprocesses they start inherit both).
os.environ["CONSILIO_ENVIRONMENT"] = "production"
os.environ["CONSILIO_SECRET_KEY"] = secrets.token_urlsafe(48)
os.environ.pop("CONSILIO_PREVIOUS_SECRET_KEYS", None)
get_settings.cache_clear()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """The PostgreSQL every service test runs on, migrated to the newest schema."""
    with postgres_server() as url:
        os.environ["CONSILIO_DATABASE_URL"] = url
        os.environ["CONSILIO_ARGON2_MEMORY_KIB"] = "1024"  # fast hashes in tests
        os.environ["CONSILIO_ARGON2_TIME_COST"] = "1"
        get_settings.cache_clear()
        from app.services.db import get_engine

        get_engine.cache_clear()
        from app import manage

        manage.migrate()
        yield url
        get_engine().dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Session]:
    """A session on a database emptied before the test."""
    from app.services.db import get_engine

    engine = get_engine()
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture(autouse=True)
def _no_job_delivery(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[object, ...]]]:
    """Collect enqueued jobs instead of sending them (tests of workers override this)."""
    sent: list[tuple[str, tuple[object, ...]]] = []
    monkeypatch.setattr("workers.broker.enqueue", lambda name, *args: sent.append((name, args)))
    return sent


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Each test starts with nothing counted (without Redis the counts live in memory)."""
    from app.services import rate_limits

    rate_limits.limiter.cache_clear()
    yield
    rate_limits.limiter.cache_clear()


@pytest.fixture
def alpha(db: Session):
    """Tenant "alpha" with one user per role."""
    from tests.factories import make_world

    return make_world(db, "alpha")


@pytest.fixture
def beta(db: Session):
    """Tenant "beta" with one user per role (the other tenant in isolation tests)."""
    from tests.factories import make_world

    return make_world(db, "beta")


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Set CONSILIO_* settings for this test (rate-limit counts start afresh)."""
    from app.services import rate_limits

    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"CONSILIO_{name.upper()}", value)
        get_settings.cache_clear()
        rate_limits.limiter.cache_clear()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()
