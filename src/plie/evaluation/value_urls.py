"""Addresses of this part of the evaluation; included by evaluation/urls.py."""

from django.urls import path

from plie.evaluation import value_views

urlpatterns: list = [
    path("actions/plus-value/", value_views.added_value_list, name="added_value_list"),
    path("actions/<int:pk>/plus-value/", value_views.added_value, name="added_value"),
    path("actions/<int:pk>/plus-value.pdf", value_views.added_value_pdf, name="added_value_pdf"),
]
