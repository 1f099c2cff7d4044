"""Production refuses to start without a strong secret key and passes `check --deploy`; the
data folder and the SQLite files are the owner's only; `plie` passes Django commands through."""

import os
import secrets
import stat
import subprocess
import sys

import pytest

from plie.core.secret_key import weakness

DEVELOPMENT_KEY = "plie-development-only-secret-do-not-use-in-production"


# What the README's « En production » section sets.
PRODUCTION = {
    "SECRET_KEY": "Kq8vZ3-production-like-key-for-this-test-only_7hN2pW9xR4tY6uJ1mB5c",
    "DATABASE_URL": "postgres://plie@127.0.0.1:5432/plie",
    "ALLOWED_HOSTS": "plie.example.fr",
    "CSRF_TRUSTED_ORIGINS": "https://plie.example.fr",
    "BEHIND_HTTPS_PROXY": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
}


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


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (DEVELOPMENT_KEY, "la clé de développement"),
        ("changeme", "une valeur d'exemple"),
        ("CHANGEME", "une valeur d'exemple"),
        ("django-insecure-" + "k" * 50, "une valeur d'exemple"),
        ("a-real-looking-but-short-key-0123456789", "39 caractères, il en faut au moins 50"),
        ("ab" * 30, "moins de 5 caractères différents"),
        ("changeme" * 7, "un même motif répété"),
    ],
)
def test_weak_secret_keys_are_named_with_their_weakness(key, reason):
    assert reason in weakness(key, DEVELOPMENT_KEY)


def test_a_long_random_key_is_not_weak():
    assert weakness(secrets.token_urlsafe(50), DEVELOPMENT_KEY) is None
    assert weakness(PRODUCTION["SECRET_KEY"], DEVELOPMENT_KEY) is None


@pytest.mark.parametrize(
    ("database", "key"),
    [("postgres://plie@127.0.0.1:5432/plie", DEVELOPMENT_KEY), ("", "changeme")],
)
def test_a_weak_key_stops_the_start_in_production_with_a_french_message(tmp_path, database, key):
    result = run_plie("check", DATABASE_URL=database, SECRET_KEY=key, PLIE_DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("Configuration à corriger : SECRET_KEY est trop faible")
    assert "Traceback" not in result.stderr


def test_a_weak_key_is_accepted_in_development(tmp_path):
    result = run_plie("check", SECRET_KEY="changeme", DEBUG="1", PLIE_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    """In a clean environment: the test suite's own variables (pyproject's pytest env) are
    not a server's."""
    suite_only = {"STATIC_MANIFEST", "DJANGO_ALLOW_ASYNC_UNSAFE", "PLIE_CACHE", "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "plie.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env={
            **{
                k: v for k, v in os.environ.items() if k not in suite_only | {"SECRET_KEY", "DEBUG"}
            },
            **PRODUCTION,
            "PLIE_DATA_DIR": str(tmp_path),
        },
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_data_folder_and_the_sqlite_files_are_the_owner_s_only(tmp_path):
    data = tmp_path / "donnees"
    result = run_plie("migrate", "--verbosity", "0", PLIE_DATA_DIR=str(data), DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    files = [data / name for name in ("plie.sqlite3", "plie.sqlite3-wal", "plie.sqlite3-shm")]
    for path in [*files, data / "secret_key"]:
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert files[0].exists()


def test_looser_rights_are_tightened_at_the_next_start(tmp_path):
    data = tmp_path / "donnees"
    assert (
        run_plie("migrate", "--verbosity", "0", PLIE_DATA_DIR=str(data), DATABASE_URL="").returncode
        == 0
    )
    data.chmod(0o755)
    (data / "plie.sqlite3").chmod(0o644)
    result = run_plie("showmigrations", "core", PLIE_DATA_DIR=str(data), DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "plie.sqlite3").stat().st_mode) == 0o600


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
