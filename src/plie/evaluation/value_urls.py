"""Addresses of this part of the evaluation; included by evaluation/urls.py."""

urlpatterns: list = []
