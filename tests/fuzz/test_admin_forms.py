"""The administration's forms (`/admin/`, every page to add a row of the application), sent
hostile values by Hypothesis as a superuser, the one account that may post them all: no
server error; refused, nothing written; accepted, nothing invalid stored (the same checks as
tests/fuzz/test_forms.py, whose `send` runs each sending in a savepoint rolled back after
it). The change pages take the same forms (`KeepReferencedAdmin.get_form`)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from plie.accounts.enums import Role
from tests.factories import UserFactory
from tests.fuzz.fields import form_fields, sent_untouched
from tests.fuzz.targets import OFFERED
from tests.fuzz.test_forms import fuzz, with_valid_values

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

# Values each page accepts (the fuzzer starts from them, so that its hostile values reach
# the code that stores): what the page does not fill in by itself.
VALID = {
    "admin:accounts_organisation_add": {"programme": OFFERED, "name": "Mission locale"},
    "admin:accounts_user_add": {
        "username": "nouveau.compte",
        "usable_password": "false",
        "first_name": "Lou",
        "last_name": "Martin",
        "role": "provider",
        "organisation": OFFERED,
    },
    "admin:actions_survey_add": {"title": "Questionnaire", "intro": "Trois questions."},
    "admin:pathways_steptype_add": {"code": "nouveau", "label": "Nouveau", "category": OFFERED},
    "admin:territory_barriertype_add": {"code": "nouveau", "label": "Nouveau frein"},
    "admin:territory_commune_add": {
        "programme": OFFERED,
        "insee_code": "21999",
        "name": "Nouvelle",
        "postcode": "21000",
    },
    "admin:territory_educationlevel_add": {
        "code": "nouveau",
        "label": "Nouveau",
        "level": "5",
        "old_level": "III",
        "isced_band": OFFERED,
    },
    "admin:territory_prescribertype_add": {"code": "nouveau", "label": "Nouveau"},
    "admin:territory_programme_add": {
        "name": "PLIE d'ailleurs",
        "short_name": "Ailleurs",
        "territory_name": "Ailleurs Métropole",
        "managing_body": "Maison de l'emploi",
    },
    "admin:territory_qpv_add": {"code": "QN021999", "name": "Nouveau", "commune": OFFERED},
}


def add_pages() -> list[tuple[str, type]]:
    return sorted(
        (f"admin:{model._meta.app_label}_{model._meta.model_name}_add", model)
        for model in admin.site._registry
        if model.__module__.startswith("plie.")
    )


@pytest.fixture
def superuser(territory):
    return UserFactory(
        username="racine.fuzz", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True
    )


@pytest.mark.parametrize(("name", "model"), add_pages(), ids=[name for name, _ in add_pages()])
def test_an_admin_form_sent_hostile_values(client, superuser, name, model, record_property):
    client.force_login(superuser)
    page = reverse(name)
    response = client.get(page)
    if response.status_code == 403:  # rows the application creates itself (role requests)
        request = response.wsgi_request
        assert not admin.site._registry[model].has_add_permission(request)
        return
    assert response.status_code == 200, (name, response.status_code)
    fields = form_fields(response.content.decode(), "", page)
    assert fields, f"{name} : aucun champ lu sur la page"
    baseline = with_valid_values(fields, sent_untouched(fields), VALID[name])
    fuzz(client, name, page, fields, baseline, record_property)
