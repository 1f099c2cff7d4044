"""The administration reads in French for the demo administrator (staff, not superuser)."""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.urls import reverse

from plie.accounts.models import User
from plie.demo.generator import generate
from plie.territory.models import BarrierType, PrescriberType

pytestmark = pytest.mark.django_db

FRENCH_NAMES = {
    "accounts": "Comptes et structures",
    "territory": "Territoire et nomenclatures",
    "programme": "Programme : protocoles et programmation annuelle",
    "purchasing": "Achats : appels, propositions, jugement",
    "agreements": "Conventions, avenants et paiements",
    "actions": "Actions, groupes et présences",
    "participants": "Participants",
    "pathways": "Parcours",
    "committee": "Commission d'entrées-sorties",
    "audit": "Journal",
    "exchange": "Import et export des dossiers",
    "reporting": "Indicateurs et pilotage",
    "demo": "Démonstration",
    "core": "Socle de l'application",
    "web": "Pages de l'application",
    "evaluation": "Évaluation des actions",
}


@pytest.fixture
def demo_admin(territory):
    generate(seed=3, participants=10, today=datetime.date(2026, 11, 23))
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    return admin


def visible_text(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_every_plie_application_has_a_french_name():
    names = {
        config.label: config.verbose_name
        for config in apps.get_app_configs()
        if config.name.startswith("plie.")
    }
    assert names == FRENCH_NAMES


def test_the_admin_index_shows_french_sections(client, demo_admin):
    client.force_login(demo_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    text = visible_text(response)
    in_admin = {model._meta.app_label for model in admin.site._registry}
    assert {"accounts", "territory"} <= in_admin
    for label, section in FRENCH_NAMES.items():
        if label in in_admin:
            assert section in text, section
    for english in ["ACCOUNTS", "TERRITORY", "PARTICIPANTS", "PATHWAYS", "Accounts", "Territory"]:
        assert english not in text, english


def test_an_application_page_is_titled_in_french(client, demo_admin):
    client.force_login(demo_admin)
    response = client.get(reverse("admin:app_list", args=["territory"]))
    assert response.status_code == 200
    text = visible_text(response)
    assert "Territoire et nomenclatures" in text
    assert "Administration de Territory" not in text
    assert "Administration de Accounts" not in text


@pytest.mark.parametrize("model", [BarrierType, PrescriberType])
def test_a_nomenclature_label_is_unique(territory, model):
    existing = model.objects.order_by("pk").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(code=f"{existing.code}-bis", label=existing.label)


def test_the_admin_refuses_a_second_barrier_type_with_the_same_label(client, demo_admin):
    existing = BarrierType.objects.order_by("pk").first()
    client.force_login(demo_admin)
    response = client.post(
        reverse("admin:territory_barriertype_add"),
        {"code": f"{existing.code}-bis", "label": existing.label},
    )
    assert response.status_code == 200  # the form again, with its error
    assert BarrierType.objects.filter(label=existing.label).count() == 1
    assert "existe déjà" in response.content.decode()
