from django.contrib import admin
from django.urls import include, path

from plie.web import views as web_views

admin.site.site_header = "Administration du PLIE"
admin.site.site_title = "PLIE"
admin.site.index_title = "Données de référence et comptes"

# A refused request explains itself in French (the 403, 404 and 500 pages are templates).
handler400 = "plie.web.views.bad_request"

urlpatterns = [
    path("", include("plie.web.urls")),
    path("comptes/", include("plie.accounts.urls")),
    path("participants/", include("plie.participants.urls")),
    path("", include("plie.pathways.urls")),
    path("", include("plie.committee.urls")),
    path("", include("plie.agreements.urls")),
    path("", include("plie.actions.urls")),
    path("", include("plie.evaluation.urls")),
    path("", include("plie.purchasing.urls")),
    path("chiffres-cles/", include("plie.reporting.urls")),
    path("", include("plie.programme.urls")),
    path("achats/jugement/", include("plie.purchasing.scoring_urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", web_views.favicon, name="favicon"),
]
