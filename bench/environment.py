"""Where the benchmark's databases live and how a bench process starts Django on one of them.

Two databases, one per engine: a SQLite file under bench/output/ (git-ignored) and the
PostgreSQL database `plie_bench` on the local server (`PLIE_BENCH_POSTGRES=plie_bench_x` names
another, for a second checkout on the same server). Every measurement runs in its own
process with its DATABASE_URL, so that the two never share a connection, a cache or memory.
"""

from __future__ import annotations

import os
import pathlib
import sys
from urllib.parse import urlparse

BENCH_DIR = pathlib.Path(__file__).resolve().parent
OUTPUT_DIR = BENCH_DIR / "output"
DATABASES = {
    "sqlite": f"sqlite:///{OUTPUT_DIR / 'plie_bench.sqlite3'}",
    "postgresql": "postgres://postgres@127.0.0.1:5432/"
    + os.environ.get("PLIE_BENCH_POSTGRES", "plie_bench"),
}
# What the settings need to run with DEBUG off, as in production and as in the test suite.
ENVIRONMENT = {
    "SECRET_KEY": "bench-only-secret-key-never-used-elsewhere-0123456789",
    "DEBUG": "0",
    "STATIC_MANIFEST": "0",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_COOKIES": "0",
    "LOG_LEVEL": "ERROR",
    # Each process its own cache: the two databases never read each other's figures.
    "PLIE_CACHE": "memory",
    # The bench measures pages, logged in with force_login: not the second factor's code.
    "PLIE_SECOND_FACTOR": "0",
}


def process_environment(database_url: str) -> dict[str, str]:
    """The environment of a bench subprocess working on `database_url`."""
    return {**os.environ, **ENVIRONMENT, "DATABASE_URL": database_url}


def start_django(database_url: str | None = None) -> None:
    """Set the variables (unless already set by the parent) and set Django up."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plie.settings")
    OUTPUT_DIR.mkdir(exist_ok=True)
    import django

    django.setup()


def engine_of(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


def sqlite_path(database_url: str) -> pathlib.Path:
    return pathlib.Path(urlparse(database_url).path)


def postgres_name(database_url: str) -> str:
    name = urlparse(database_url).path.lstrip("/")
    if not name.startswith("plie_bench"):
        sys.exit(f"Refus : la base PostgreSQL du banc doit commencer par plie_bench ({name}).")
    return name


def database_exists(database_url: str) -> bool:
    """Whether the database is there at all (not whether it holds a generated dataset)."""
    if engine_of(database_url) == "sqlite":
        return sqlite_path(database_url).exists()
    import psycopg

    parsed = urlparse(database_url)
    with psycopg.connect(
        host=parsed.hostname, port=parsed.port, user=parsed.username, dbname="postgres"
    ) as connection:
        row = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [postgres_name(database_url)]
        ).fetchone()
    return row is not None


def recreate_database(database_url: str) -> None:
    """An empty database: the SQLite file removed, or the PostgreSQL database dropped and created."""
    if engine_of(database_url) == "sqlite":
        path = sqlite_path(database_url)
        for suffix in ("", "-wal", "-shm"):
            pathlib.Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    parsed = urlparse(database_url)
    name = postgres_name(database_url)
    with psycopg.connect(
        host=parsed.hostname,
        port=parsed.port,
        user=parsed.username,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
