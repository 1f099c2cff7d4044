"""Documents as PDF: a Django template rendered to HTML, then laid out on A4 by WeasyPrint.

A document fetches nothing from the network, and nothing from the disk but the
application's own static files (its print stylesheet, the EU emblem): every other address
is refused by `StaticFilesOnly`, and charts come inline as SVG text. Fonts are the system's
DejaVu (Debian's fonts-dejavu-core, found by fontconfig), the same family the charts are
drawn with. Templates extend `core/pdf/document.html`, which puts the FSE+ support
statement under the title and, shortened, in every page's footer with the date of issue
and the page number (docs/architecture.md, « Documents PDF »). The caller gives the
`programme` whose name heads the document: core knows no domain app.

Rendering takes about a second for a quarterly review; it runs in the request. Move it to
a background task if documents grow to dozens of pages.
"""

import mimetypes
import posixpath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative addresses in a document resolve against this one; `.invalid` can never be
# reached (RFC 2606), and StaticFilesOnly answers it from the static files anyway.
DOCUMENT_BASE_URL = "https://plie.invalid/"


class RefusedResource(ValueError):
    """A document asked for something else than a static file of the application."""


def static_file(name: str):
    """The path of a static file, in development (finders) or after collectstatic (storage)."""
    name = posixpath.normpath(name)
    if name.startswith(("/", "../")) or name == "..":
        raise RefusedResource(f"Chemin refusé : {name}")
    found = finders.find(name)
    if found:
        return found
    if staticfiles_storage.exists(name):
        return staticfiles_storage.path(name)
    raise RefusedResource(f"Fichier statique introuvable : {name}")


class StaticFilesOnly(URLFetcher):
    """Serves `data:` URLs and the application's static files; refuses every other address."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = urljoin(DOCUMENT_BASE_URL, settings.STATIC_URL)
        if not url.startswith(prefix):
            raise RefusedResource(f"Adresse refusée dans un document PDF : {url}")
        path = static_file(unquote(urlsplit(url).path[len(urlsplit(prefix).path) :]))
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as file:
            body = file.read()
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type})


def render_pdf(template_name: str, context: dict, *, programme) -> bytes:
    """The template rendered as a tagged A4 PDF (the page size is in the print stylesheet),
    headed by `programme`'s name."""
    context = {"programme": programme, "issued_on": timezone.localdate(), **context}
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=StaticFilesOnly())
    # Tagged, so that a screen reader follows headings and tables in the PDF too.
    return document.write_pdf(pdf_tags=True)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
