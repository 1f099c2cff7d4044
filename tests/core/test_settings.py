"""Production refuses to start with the default secret; `plie` passes Django commands through."""

import os
import subprocess
import sys


def run_plie(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "plie.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_plie("check", DATABASE_URL="postgres://plie@127.0.0.1:5432/plie")
    assert result.returncode != 0
    assert "SECRET_KEY n'est pas défini" in result.stderr


def test_the_development_secret_is_refused_in_production():
    result = run_plie(
        "check",
        DATABASE_URL="postgres://plie@127.0.0.1:5432/plie",
        SECRET_KEY="plie-development-only-secret-do-not-use-in-production",
    )
    assert "SECRET_KEY n'est pas défini" in result.stderr


def test_an_embedded_installation_keeps_its_own_random_key(tmp_path):
    environment = {
        "PLIE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
    }
    first = run_plie("check", **environment)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    assert run_plie("check", **environment).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key


def test_production_starts_with_a_real_secret_key():
    result = run_plie("check", SECRET_KEY="a-real-secret-for-this-test-" + "x" * 40, DEBUG="0")
    assert result.returncode == 0, result.stderr


def test_django_commands_pass_through(tmp_path):
    result = run_plie(
        "showmigrations",
        "territory",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert "0002_national_nomenclatures" in result.stdout


def test_postgresql_connections_are_opened_without_jit_compilation():
    """Read from the settings of a PostgreSQL installation (no server needed): whatever
    database the suite itself runs on, the option is checked."""
    result = run_plie(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])",
        DEBUG="1",
        DATABASE_URL="postgres://plie@127.0.0.1:5432/plie",
    )
    assert result.returncode == 0, result.stderr
    assert "'options': '-c jit=off'" in result.stdout
