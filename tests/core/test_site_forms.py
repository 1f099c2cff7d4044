"""What every form of the site refuses (core/forms.py SiteFormMixin): hidden characters in
texts, over-long texts, dates outside 1900..ten years ahead — on every form, the
administration's included."""

import datetime
import importlib
import pkgutil

import pytest
import time_machine
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

import plie
from plie.core.dates import date_out_of_bounds, latest_date
from plie.core.forms import SiteFormMixin, guard_field
from plie.core.text import LONGEST_TEXT, VisibleTextValidator, hidden_character_problem
from plie.participants.models import Participant
from plie.territory.models import BarrierType
from tests.factories import UserFactory

TODAY = datetime.date(2026, 11, 23)


def plie_form_classes() -> list[type]:
    """Every form class written in the application (its modules imported one by one)."""
    for module in pkgutil.walk_packages(plie.__path__, "plie."):
        if ".migrations" in module.name or module.name.endswith(".wsgi"):
            continue
        importlib.import_module(module.name)
    found = set()
    stack = [forms.BaseForm]
    while stack:
        for subclass in stack.pop().__subclasses__():
            stack.append(subclass)
            if subclass.__module__.startswith("plie."):
                found.add(subclass)
    return sorted(found, key=lambda form: f"{form.__module__}.{form.__qualname__}")


def test_every_form_of_the_application_makes_the_site_checks():
    classes = plie_form_classes()
    assert len(classes) >= 30  # the walk found the forms (it would pass on none)
    missing = [
        f"{c.__module__}.{c.__qualname__}" for c in classes if SiteFormMixin not in c.__mro__
    ]
    assert missing == [], "Ajoutez SiteFormMixin en première base de : " + ", ".join(missing)


class AddsAFieldLate(SiteFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["late"] = forms.CharField()


def test_a_field_added_by_a_form_after_the_mixin_is_checked_too():
    form = AddsAFieldLate({"late": "x\u202ey"})
    assert not form.is_valid()
    assert "U+202E" in form.errors["late"][0]


@pytest.mark.django_db
def test_every_admin_form_makes_the_site_checks(territory):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("plie."):
            # The libraries' pages (login attempts, background tasks) only show rows.
            assert not model_admin.has_add_permission(request), model._meta.label
            assert not model_admin.has_change_permission(request), model._meta.label
            continue
        form = model_admin.get_form(request, None)
        assert issubclass(form, SiteFormMixin), model._meta.label
        checked += 1
    assert checked >= 8


# The characters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "multiline", "refused_at"),
    [
        ("Dupont", False, None),
        ("Élodie-Anaïs d'Hérouville", False, None),
        ("Nguyễn Văn An", False, None),  # combining marks of Vietnamese
        ("12\u00a0rue de la Paix", False, None),  # no-break space: French typography
        ("«\u202fBonjour\u202f»", False, None),  # narrow no-break space
        ("Rendez-vous 😀", False, None),
        ("Ligne 1\nLigne 2\r\n\tretrait", True, None),
        ("abc\u202egnp.exe", False, 4),  # right-to-left override
        ("abc\u2066x\u2069", False, 4),  # left-to-right isolate
        ("Du\u200bpont", False, 3),  # zero-width space
        ("Du\u200dpont", True, 3),  # zero-width joiner
        ("\ufeffDupont", False, 1),  # byte order mark
        ("Dupont\x1b[31m", False, 7),  # terminal escape
        ("Dupont\x00", False, 7),  # NUL
        ("Dupont\x7f", False, 7),  # DEL
        ("Ligne 1\nLigne 2", False, 8),  # a one-line text has no line break
        ("Du\tpont", False, 3),
        ("a\u2028b", True, 2),  # line separator is not a line break here
        ("a\ue000b", False, 2),  # private use
    ],
)
def test_hidden_characters_are_refused_with_their_place(text, multiline, refused_at):
    problem = hidden_character_problem(text, multiline=multiline)
    if refused_at is None:
        assert problem is None
        VisibleTextValidator(multiline)(text)
        return
    where = "1er caractère" if refused_at == 1 else f"{refused_at}e caractère"
    assert where in problem
    assert f"U+{ord(text[refused_at - 1]):04X}" in problem
    with pytest.raises(ValidationError, match=r"retapez|retirez"):
        VisibleTextValidator(multiline)(text)


@pytest.mark.parametrize(
    ("day", "refused"),
    [
        (datetime.date(1899, 12, 31), "antérieure à 1900"),
        (datetime.date(1900, 1, 1), None),
        (TODAY, None),
        (datetime.date(2036, 11, 23), None),
        (datetime.date(2036, 11, 24), "plus de 10 ans"),
        (datetime.date(2999, 1, 1), "plus de 10 ans"),
        (datetime.date(9999, 12, 31), "plus de 10 ans"),
    ],
)
def test_dates_lie_between_1900_and_ten_years_ahead(day, refused):
    problem = date_out_of_bounds(day, TODAY)
    assert (problem is None) if refused is None else (refused in problem)


def test_ten_years_after_29_february_is_28_february():
    assert latest_date(datetime.date(2028, 2, 29)) == datetime.date(2038, 2, 28)


class Sample(SiteFormMixin, forms.Form):
    name = forms.CharField(max_length=50)
    note = forms.CharField(widget=forms.Textarea, required=False)
    password = forms.CharField(widget=forms.PasswordInput, required=False)
    day = forms.DateField(required=False)
    moment = forms.DateTimeField(required=False)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "Du\u202epont"}, "name", "U+202E"),
        ({"name": "Dupont", "note": "a" * (LONGEST_TEXT + 1)}, "note", "au plus 10000"),
        ({"name": "Dupont", "note": "x\x1by"}, "note", "U+001B"),
        ({"name": "Dupont", "day": "1899-12-31"}, "day", "1900"),
        ({"name": "Dupont", "day": "9999-12-31"}, "day", "plus de 10 ans"),
        ({"name": "Dupont", "moment": "2999-01-01 10:00"}, "moment", "plus de 10 ans"),
    ],
)
def test_a_site_form_refuses_in_french(data, field, message):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        form = Sample(data)
        assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_a_site_form_keeps_line_breaks_of_long_texts_and_leaves_passwords_alone():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        form = Sample(
            {
                "name": "Dupont",
                "note": "a" * (LONGEST_TEXT - 20) + "\nsuite\tfin",
                "password": "mot\u202ede passe",
                "day": "2036-11-23",
            }
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["note"].endswith("\nsuite\tfin")
    assert form.fields["note"].widget.attrs["maxlength"] == str(LONGEST_TEXT)


def test_a_field_with_its_own_length_keeps_it():
    field = forms.CharField(max_length=30, widget=forms.Textarea)
    guard_field(field)
    assert field.max_length == 30


# On real pages ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_referral_with_a_right_to_left_override_in_the_name_is_refused(client, referent):
    from tests.participants.test_bad_input import post

    data = {
        "person-last_name": "Dur\u202eand",
        "person-first_name": "Léa",
        "person-sex": "F",
        "person-birth_date": "1990-03-04",
        "person-commune_outside_territory": "Beaune",
        "referral-referred_on": datetime.date.today().isoformat(),
        "referral-reason": "Souhaite retrouver un emploi",
    }
    from tests.factories import PrescriberFactory

    data["referral-prescriber"] = str(PrescriberFactory().pk)
    response = post(client, referent, data)
    assert response.status_code == 200
    assert "U+202E" in response.content.decode()
    assert not Participant.objects.exists()
    data["person-last_name"] = "Durand"
    assert post(client, referent, data).status_code == 302  # the same, retyped, goes through


@pytest.mark.django_db
def test_the_administration_refuses_a_hidden_character_in_a_nomenclature(client, administrator):
    administrator.user_permissions.add(Permission.objects.get(codename="add_barriertype"))
    client.force_login(administrator)
    before = BarrierType.objects.count()
    response = client.post(
        reverse("admin:territory_barriertype_add"),
        {"code": "test-bidi", "label": "Garde d'enfant\u202e"},
    )
    assert response.status_code == 200
    assert "U+202E" in response.content.decode()
    assert BarrierType.objects.count() == before


def test_amounts_are_read_as_the_pages_write_them():
    """« 15 000,50 » (the thousands grouped by a space, a no-break or a narrow no-break space)
    is read as typed; a space elsewhere is still refused."""
    from decimal import Decimal

    from django import forms

    from plie.core.forms import SiteFormMixin

    class Amount(SiteFormMixin, forms.Form):
        amount = forms.DecimalField(decimal_places=2, localize=True)

    for typed in ("15 000,50", "15\u00a0000,50", "15\u202f000,50", "15000,50"):
        form = Amount({"amount": typed})
        assert form.is_valid(), typed
        assert form.cleaned_data["amount"] == Decimal("15000.50")
    assert not Amount({"amount": "15 ,50"}).is_valid()
