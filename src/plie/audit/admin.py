"""The journal is read on its own page, by the coordinator (web:journal), never in the
administration: its entries name participants, and the administrator reads none."""

from auditlog.models import LogEntry
from django.contrib import admin

if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
