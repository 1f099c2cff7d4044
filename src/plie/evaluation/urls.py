from django.urls import include, path

app_name = "evaluation"
urlpatterns = [
    path("", include("plie.evaluation.report_urls")),
    path("", include("plie.evaluation.value_urls")),
]
