"""The second factor in Chromium, as a new colleague meets it: the password, then adding an
application (the QR code and the key), the backup codes noted, a backup code the next day,
a fresh code before downloading an extraction — each page checked by axe."""

import base64
import datetime

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from plie.accounts.enums import Role
from plie.reporting.enums import ExtractionFormat, ExtractionStatus
from plie.reporting.models import Extraction
from tests.browser.test_accessibility import Audit
from tests.browser.test_referral_to_entry import log_in, log_out
from tests.factories import UserFactory


def code_for(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{TOTP(key).token():06d}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_enrol_log_in_with_a_backup_code_then_confirm_before_a_download(
    page, live_server, territory, settings, tmp_path, console_errors
):
    settings.PLIE_SECOND_FACTOR = True
    settings.DATA_DIR = tmp_path
    (tmp_path / "extractions").mkdir()
    (tmp_path / "extractions" / "fichier.xlsx").write_bytes(b"PK")
    user = UserFactory(username="assistante", role=Role.ASSISTANT)
    extraction = Extraction.objects.create(
        requested_by=user,
        date_from=datetime.date(2026, 11, 1),
        date_to=datetime.date(2026, 11, 30),
        status=ExtractionStatus.DONE,
        file_format=ExtractionFormat.XLSX,
        file_name="fichier.xlsx",
    )
    audit = Audit(page, live_server.url)

    with time_machine.travel(datetime.datetime(2026, 12, 3, 9, 0, 5), tick=True) as clock:
        log_in(page, live_server, "assistante")
        expect(page.get_by_role("heading", level=1)).to_have_text("Activer le second facteur")
        expect(page.locator("figure.plie-qr svg")).to_be_visible()
        audit.check("ajout de l'application")
        secret = page.locator("code.user-select-all").inner_text()
        page.get_by_label("Code affiché par l'application").fill(code_for(secret))
        page.get_by_role("button", name="Activer").click()

        expect(page.get_by_role("heading", name="Vos codes de secours")).to_be_visible()
        codes = page.locator("ol.plie-backup-codes li").all_inner_texts()
        assert len(codes) == 10
        audit.check("codes de secours")
        page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
        expect(page.get_by_role("heading", level=1)).not_to_have_text("Second facteur")
        log_out(page)

        clock.shift(datetime.timedelta(hours=20))
        log_in(page, live_server, "assistante")
        expect(page.get_by_role("heading", level=1)).to_have_text("Code de connexion")
        audit.check("code de connexion")
        page.get_by_label("Code", exact=True).fill(codes[0])
        page.get_by_role("button", name="Valider le code").click()
        expect(page.get_by_text("Code de secours utilisé : il vous en reste 9.")).to_be_visible()

        clock.shift(datetime.timedelta(minutes=settings.PLIE_REAUTHENTICATION_MINUTES + 1))
        download = reverse("reporting:extraction_download", args=[extraction.pk])
        page.goto(live_server.url + download)
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer votre identité")
        audit.check("nouveau code avant un téléchargement")
        page.get_by_label("Code", exact=True).fill(code_for(secret))
        with page.expect_download() as downloaded:
            page.get_by_role("button", name="Valider le code").click()
        assert downloaded.value.suggested_filename == "extraction-20261101-20261130.xlsx"

    assert not console_errors
    if audit.violations:
        pytest.fail(audit.report(), pytrace=False)
