"""The second factor: asked of every account after its password when DEBUG is off, an
application added at the first login (QR code, secret, first code, backup codes shown once),
backup codes that work once, and a fresh code before named downloads and rights changes."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from plie.accounts.enums import Role
from plie.reporting.enums import ExtractionStatus
from plie.reporting.models import Extraction
from tests.factories import PASSWORD, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:second_factor")
ENROL = reverse("accounts:second_factor_enrol")
ACCOUNT = reverse("accounts:second_factor_account")
AGAIN = reverse("accounts:reauthenticate")
HOME = reverse("web:home")
LIST = reverse("web:participant_list")
START = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.PLIE_SECOND_FACTOR = True


@pytest.fixture
def clock():
    """TOTP codes follow the clock: each test moves it by hand (a code is refused twice)."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code_of(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def application(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)


def log_in_with_password(client, user):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD})


def log_in(client, user, device):
    log_in_with_password(client, user)
    return client.post(CODE, {"code": code_of(device), "next": HOME})


# Asked after the password ----------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_every_role_gives_a_code_after_its_password(client, territory, clock, role):
    user = UserFactory(role=role, is_staff=role == Role.ADMINISTRATOR)
    device = application(user)
    response = log_in_with_password(client, user)
    assert response.status_code == 302
    opened = client.get(LIST)
    assert opened.status_code == 302
    assert opened.url == f"{CODE}?next=%2Fparticipants%2F"
    assert client.get(reverse("admin:index")).url.startswith(CODE)

    response = client.post(CODE, {"code": code_of(device), "next": LIST})
    assert response.status_code == 302 and response.url == LIST
    after = client.get(LIST)  # what the role may see of it, no longer the code page
    assert not after.get("Location", "").startswith(CODE)


def test_the_code_page_is_in_french_and_a_wrong_code_says_what_to_do(client, referent, clock):
    application(referent)
    log_in_with_password(client, referent)
    page = client.get(CODE).content.decode()
    assert "Code de connexion" in page and 'autocomplete="one-time-code"' in page
    response = client.post(CODE, {"code": "000000", "next": LIST})
    assert response.status_code == 400
    assert "Ce code n&#x27;est pas valable" in response.content.decode()
    assert client.get(LIST).status_code == 302


def test_wrong_codes_slow_the_next_try_down(client, referent, clock):
    device = application(referent)
    log_in_with_password(client, referent)
    client.post(CODE, {"code": "000000"})
    refused = client.post(CODE, {"code": code_of(device)})  # the right one, but too soon
    said = refused.content.decode()
    assert "Code refusé : après un code erroné, attendez 1 seconde avant d&#x27;essayer" in said
    assert "Trop de codes" not in said  # one wrong code is not « too many »
    clock.shift(datetime.timedelta(seconds=1))
    client.post(CODE, {"code": "111111"})
    refused = client.post(CODE, {"code": code_of(device)})
    assert "attendez 2 secondes avant" in refused.content.decode()
    clock.shift(datetime.timedelta(seconds=1))
    refused = client.post(CODE, {"code": code_of(device)})
    assert "attendez 1 seconde avant" in refused.content.decode()  # 2 s after the second
    clock.shift(datetime.timedelta(seconds=1))
    assert client.post(CODE, {"code": code_of(device), "next": LIST}).status_code == 302
    assert client.get(LIST).status_code == 200


def test_a_code_is_accepted_once(client, referent, clock):
    device = application(referent)
    code = code_of(device)
    log_in_with_password(client, referent)
    assert client.post(CODE, {"code": code}).status_code == 302
    other = type(client)()
    log_in_with_password(other, referent)
    assert other.post(CODE, {"code": code}).status_code == 400


def test_the_next_address_stays_on_this_site(client, referent, clock):
    device = application(referent)
    log_in_with_password(client, referent)
    response = client.post(CODE, {"code": code_of(device), "next": "https://ailleurs.example/"})
    assert response.url == HOME


def test_logging_out_is_possible_before_the_code(client, referent, clock):
    application(referent)
    log_in_with_password(client, referent)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(CODE).url.startswith(LOGIN)


def test_an_htmx_request_without_the_code_is_sent_to_the_code_page(client, referent, clock):
    application(referent)
    log_in_with_password(client, referent)
    response = client.get(LIST, headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(CODE)
    assert "participant" not in response.content.decode().lower()


def test_without_the_setting_no_code_is_asked(client, referent, settings):
    settings.PLIE_SECOND_FACTOR = False
    log_in_with_password(client, referent)
    assert client.get(LIST).status_code == 200


def test_the_setting_follows_debug_by_default():
    """Read from the settings module as the tests' environment starts it (DEBUG=0)."""
    assert not settings.DEBUG
    from plie import settings as module

    assert module.PLIE_SECOND_FACTOR is True


# Enrolment -------------------------------------------------------------------------------


def test_an_account_without_application_is_sent_to_add_one(client, referent, clock):
    log_in_with_password(client, referent)
    response = client.get(LIST, follow=True)
    assert response.redirect_chain[-1][0].startswith(ENROL)
    page = response.content.decode()
    assert "Activer le second facteur" in page
    assert "<svg" in page and "Code QR à scanner" in page
    device = TOTPDevice.objects.get(user=referent)
    assert not device.confirmed
    secret = re.search(r'user-select-all">([A-Z2-7 ]+)<', page).group(1)
    assert len(secret.replace(" ", "")) == 32
    # Reloading shows the same secret: the application may already have it.
    assert secret in client.get(ENROL).content.decode()
    assert TOTPDevice.objects.filter(user=referent).count() == 1


def test_a_wrong_first_code_adds_nothing(client, referent, clock):
    log_in_with_password(client, referent)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "123456"})
    assert response.status_code == 400
    assert "Ce code ne correspond pas" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=referent, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=referent).exists()
    assert client.get(LIST).status_code == 302


def test_enrolment_confirms_the_application_then_shows_ten_backup_codes_once(
    client, referent, clock
):
    log_in_with_password(client, referent)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=referent)
    response = client.post(ENROL, {"code": code_of(device), "next": LIST})
    assert response.url == f"{ACCOUNT}?next=%2Fparticipants%2F"
    page = client.get(response.url).content.decode()
    shown = re.findall(r"<li>([a-z2-7]{4} [a-z2-7]{4})</li>", page)
    assert len(shown) == 10
    assert "ils ne seront plus affichés" in page
    assert sorted(c.replace(" ", "") for c in shown) == sorted(
        StaticToken.objects.filter(device__user=referent).values_list("token", flat=True)
    )
    assert shown[0] not in client.get(ACCOUNT).content.decode()  # once
    assert client.get(LIST).status_code == 200  # the session is verified


def test_a_backup_code_works_once_and_says_how_many_are_left(client, referent, clock):
    application(referent)
    device = StaticDevice.objects.create(user=referent, name="Codes de secours")
    device.token_set.create(token="abcd2345")
    device.token_set.create(token="efgh6789")
    log_in_with_password(client, referent)
    response = client.post(CODE, {"code": "ABCD 2345", "next": LIST}, follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "il vous en reste 1" in response.content.decode()
    other = type(client)()
    log_in_with_password(other, referent)
    assert other.post(CODE, {"code": "abcd2345"}).status_code == 400


def test_another_application_replaces_the_first_only_with_a_fresh_code(client, referent, clock):
    old = application(referent)
    log_in(client, referent, old)
    clock.shift(datetime.timedelta(minutes=settings.PLIE_REAUTHENTICATION_MINUTES + 1))
    assert client.get(ENROL).url.startswith(AGAIN)
    assert client.post(AGAIN, {"code": code_of(old), "next": ENROL}).url == ENROL
    client.get(ENROL)
    new = TOTPDevice.objects.get(user=referent, confirmed=False)
    client.post(ENROL, {"code": code_of(new)})
    assert list(TOTPDevice.objects.filter(user=referent)) == [new]
    new.refresh_from_db()
    assert new.confirmed


def test_a_session_without_the_code_cannot_replace_the_application(client, referent, clock):
    application(referent)
    log_in_with_password(client, referent)
    assert client.get(ENROL).url.startswith(CODE)
    assert client.post(ENROL, {"code": "123456"}).url.startswith(CODE)


def test_new_backup_codes_need_a_fresh_code_and_replace_the_old_ones(client, referent, clock):
    device = application(referent)
    log_in(client, referent, device)
    first = client.post(ACCOUNT)
    assert first.url == ACCOUNT
    old = set(StaticToken.objects.values_list("token", flat=True))
    assert len(old) == 10
    clock.shift(datetime.timedelta(minutes=settings.PLIE_REAUTHENTICATION_MINUTES + 1))
    assert client.post(ACCOUNT).url.startswith(AGAIN)
    assert set(StaticToken.objects.values_list("token", flat=True)) == old


def test_a_reset_from_the_command_line_asks_for_a_new_application(client, referent, clock):
    from django.core.management import call_command

    device = application(referent)
    log_in(client, referent, device)
    call_command("reset_second_factor", referent.username)
    assert not TOTPDevice.objects.filter(user=referent).exists()
    assert client.get(LIST).url.startswith(CODE)
    assert client.get(CODE).url.startswith(ENROL)


# A fresh code before named downloads and rights changes -----------------------------------


@pytest.fixture
def extraction(assistant, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / "extractions").mkdir()
    (tmp_path / "extractions" / "fichier.xlsx").write_bytes(b"PK")
    return Extraction.objects.create(
        requested_by=assistant,
        date_from=datetime.date(2026, 11, 1),
        date_to=datetime.date(2026, 11, 30),
        status=ExtractionStatus.DONE,
        file_name="fichier.xlsx",
    )


def test_an_extraction_is_downloaded_with_a_code_of_the_last_minutes(
    client, assistant, extraction, clock
):
    device = application(assistant)
    url = reverse("reporting:extraction_download", args=[extraction.pk])
    log_in(client, assistant, device)
    assert client.get(url).status_code == 200  # the login's code is recent

    clock.shift(datetime.timedelta(minutes=settings.PLIE_REAUTHENTICATION_MINUTES, seconds=1))
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{AGAIN}?next={url.replace('/', '%2F')}"
    page = client.get(response.url).content.decode()
    assert "Confirmer votre identité" in page
    assert "nomme des personnes" in page
    back = client.post(AGAIN, {"code": code_of(device), "next": url})
    assert back.url == url
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("document", ["committee:agenda_pdf", "committee:minutes_pdf"])
def test_committee_documents_ask_for_a_fresh_code(client, coordinator, clock, document):
    device = application(coordinator)
    meeting = MeetingFactory()
    log_in(client, coordinator, device)
    clock.shift(datetime.timedelta(minutes=settings.PLIE_REAUTHENTICATION_MINUTES + 1))
    response = client.get(reverse(document, args=[meeting.pk]))
    assert response.status_code == 302 and response.url.startswith(AGAIN)


def test_the_reauthentication_page_refuses_a_wrong_code(client, assistant, extraction, clock):
    device = application(assistant)
    log_in(client, assistant, device)
    clock.shift(datetime.timedelta(minutes=10))
    url = reverse("reporting:extraction_download", args=[extraction.pk])
    assert client.post(AGAIN, {"code": "000000", "next": url}).status_code == 400
    assert client.get(url).status_code == 302


def cancel_link(response) -> str:
    return re.search(
        r'<a href="([^"]*)" class="btn btn-link">Annuler</a>', response.content.decode()
    )[1]


def test_the_reauthentication_page_cancels_back_to_the_page_one_came_from(
    client, assistant, extraction, clock
):
    device = application(assistant)
    log_in(client, assistant, device)
    clock.shift(datetime.timedelta(minutes=10))
    url = reverse("reporting:extraction_download", args=[extraction.pk])
    extractions = reverse("reporting:extractions")
    asked = f"{AGAIN}?next={url}"
    came_from = client.get(asked, headers={"referer": f"http://testserver{extractions}?p=2"})
    assert cancel_link(came_from) == f"{extractions}?p=2"
    refused = client.post(asked, {"code": "000000", "next": url, "back": f"{extractions}?p=2"})
    assert cancel_link(refused) == f"{extractions}?p=2"  # kept after a wrong code
    home = reverse("web:home")
    for referer in ("", "https://ailleurs.example/", f"http://testserver{AGAIN}", "javascript:1"):
        assert cancel_link(client.get(asked, headers={"referer": referer})) == home, referer
    for back in ("//ailleurs.example/", "https://ailleurs.example/", "home", "/a\u202eb"):
        posted_back = client.post(asked, {"code": "000000", "next": url, "back": back})
        assert cancel_link(posted_back) == home, back
    assert "Annuler" not in client.get(CODE).content.decode()  # not after the password


@pytest.fixture
def superuser(territory):
    return UserFactory(username="super", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


def test_a_role_change_in_the_administration_needs_a_fresh_code(client, superuser, referent, clock):
    device = application(superuser)
    log_in(client, superuser, device)
    change = reverse("admin:accounts_user_change", args=[referent.pk])
    assert client.get(change).status_code == 200

    clock.shift(datetime.timedelta(minutes=settings.PLIE_REAUTHENTICATION_MINUTES + 1))
    response = client.post(change, {"username": referent.username, "role": Role.COORDINATOR})
    assert response.status_code == 302 and response.url.startswith(AGAIN)
    referent.refresh_from_db()
    assert referent.role == Role.REFERENT
    for url in (
        change,
        reverse("admin:accounts_user_add"),
        reverse("admin:auth_user_password_change", args=[referent.pk]),
    ):
        assert client.get(url).url.startswith(AGAIN), url


def test_the_administration_shows_no_second_factor_secret(client, superuser, clock):
    device = application(superuser)
    log_in(client, superuser, device)
    page = client.get(reverse("admin:index")).content.decode()
    assert "otp_totp" not in page and "otp_static" not in page
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_an_administrator_with_every_permission_still_sees_no_device(client, territory, clock):
    admin = UserFactory(role=Role.ADMINISTRATOR, is_staff=True)
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="otp_totp"))
    device = application(admin)
    log_in(client, admin, device)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
