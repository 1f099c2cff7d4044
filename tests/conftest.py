"""Shared personas and the loaded territory. Every access test also tries the outsider."""

import importlib

import pytest
from django.apps import apps

from plie.accounts.enums import Role
from plie.programme.loading import load_package, resolve_package
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is deliberately slow; tests only need passwords to match."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def second_factor_off(settings):
    """The suite runs with DEBUG off, where the second factor is asked after the password;
    the tests that log in with `force_login` test something else. The second factor's own
    tests (tests/accounts/test_second_factor.py) turn it on."""
    settings.PLIE_SECOND_FACTOR = False


@pytest.fixture(autouse=True)
def uploads_folder(settings, tmp_path):
    """Documents received during a test are kept in the test's own folder."""
    uploads = {**settings.STORAGES["uploads"]}
    uploads["OPTIONS"] = {**uploads.get("OPTIONS", {}), "location": tmp_path / "uploads"}
    settings.STORAGES = {**settings.STORAGES, "uploads": uploads}
    return tmp_path / "uploads"


@pytest.fixture(autouse=True)
def empty_cache():
    """Charts and dashboards are cached by their period and scope: each test starts anew."""
    from django.core.cache import cache

    cache.clear()


def load_nomenclatures() -> None:
    """The rows of the data migrations, loaded again: a live-server test empties every table
    when it ends (the loaders are idempotent)."""
    for module in (
        "plie.territory.migrations.0002_national_nomenclatures",
        "plie.pathways.migrations.0003_step_type_catalogue",
        "plie.agreements.migrations.0002_payment_schedule_templates",
        "plie.actions.migrations.0002_clea_reference",
        "plie.actions.migrations.0003_surveys",
    ):
        importlib.import_module(module).load(apps, None)


@pytest.fixture
def territory(db):
    """Dijon's territory on top of the national nomenclatures."""
    load_nomenclatures()
    return load_package(resolve_package("dijon-metropole"))


@pytest.fixture
def referent(territory):
    return UserFactory(username="referente", role=Role.REFERENT)


@pytest.fixture
def outsider(territory):
    """Another référent, who must never see the first one's participants."""
    return UserFactory(username="autre.referent", role=Role.REFERENT)


@pytest.fixture
def coordinator(territory):
    return UserFactory(username="coordinatrice", role=Role.COORDINATOR)


@pytest.fixture
def project_officer(territory):
    return UserFactory(username="charge.projet", role=Role.PROJECT_OFFICER)


@pytest.fixture
def assistant(territory):
    return UserFactory(username="assistante", role=Role.ASSISTANT)


@pytest.fixture
def provider(territory):
    return UserFactory(username="prestataire", role=Role.PROVIDER)


@pytest.fixture
def steering_viewer(territory):
    return UserFactory(username="copil", role=Role.STEERING_VIEWER)


@pytest.fixture
def administrator(territory):
    return UserFactory(username="admin", role=Role.ADMINISTRATOR, is_staff=True)
