"""The PDF renderer fetches the application's static files and inline content, nothing else."""

import pytest

from plie.core.pdf import DOCUMENT_BASE_URL, RefusedResource, StaticFilesOnly

STATIC = f"{DOCUMENT_BASE_URL}static/"


def test_a_static_file_of_the_application_is_served():
    response = StaticFilesOnly().fetch(f"{STATIC}plie/eu-emblem.svg")
    assert response.content_type == "image/svg+xml"
    assert b"Drapeau de l'Union europ" in response.read()


def test_inline_content_is_served():
    response = StaticFilesOnly().fetch("data:text/plain;base64,UExJRQ==")
    assert response.read() == b"PLIE"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/logo.png",
        "http://127.0.0.1:8000/static/plie/pdf.css",
        "file:///etc/passwd",
        f"{DOCUMENT_BASE_URL}chiffres-cles/",
        f"{STATIC}../settings.py",
        f"{STATIC}%2E%2E/settings.py",
        f"{STATIC}plie/absent.css",
    ],
)
def test_any_other_address_is_refused(url):
    with pytest.raises(RefusedResource):
        StaticFilesOnly().fetch(url)
