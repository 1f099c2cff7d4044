"""The key figures of the demo PLIE match the seed's « chiffres clés » (Dijon, 2020)."""

import datetime

import pytest
from django.db import transaction
from django.test import override_settings

from plie.demo.generator import generate
from plie.programme.loading import load_package, resolve_package
from plie.reporting.indicators import breakdown, key_figures
from tests.conftest import load_nomenclatures

TODAY = datetime.date(2026, 11, 23)
YEAR_START = datetime.date(2026, 1, 1)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One demo PLIE for this module's read-only tests, rolled back at the end."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        load_nomenclatures()
        load_package(resolve_package("dijon-metropole"))
        yield generate(seed=7, participants=400, today=TODAY)
        transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo, db):
    return demo


def test_the_demo_plie_has_the_seeds_key_figures(demo_db):
    result = key_figures(YEAR_START, TODAY)
    assert result.communes == 23
    assert 380 <= result.people_accompanied <= 420
    assert result.active_caseload / result.people_accompanied == pytest.approx(0.60, abs=0.08)
    assert result.share_women == pytest.approx(0.55, abs=0.08)
    assert result.share_rsa == pytest.approx(0.45, abs=0.08)
    assert result.share_qpv == pytest.approx(0.29, abs=0.08)
    assert result.share_level_3_or_below == pytest.approx(0.73, abs=0.08)
    assert result.positive_exit_rate == pytest.approx(0.51, abs=0.08)
    assert result.average_length_months == pytest.approx(16, abs=3)
    assert result.entries > 0
    assert result.exits > result.positive_exits > 0


def test_the_demo_referents_breakdown_adds_up(demo_db):
    total = key_figures(YEAR_START, TODAY)
    groups = breakdown(YEAR_START, TODAY, "referent")
    assert len(groups) == 13
    assert sum(g.figures.people_accompanied for g in groups) == total.people_accompanied
    assert sum(g.figures.exits for g in groups) == total.exits
