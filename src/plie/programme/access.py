"""The one accessor per object of the programme's pages: a year or an operation of this PLIE,
or 404 (the permission is the view's: programme.view_programme or manage_programme)."""

from django.shortcuts import get_object_or_404

from plie.programme.models import Operation, ProgrammeYear
from plie.territory.models import Programme


def get_year(year: int) -> ProgrammeYear:
    return get_object_or_404(
        ProgrammeYear.objects.select_related("programme"),
        programme=Programme.current(),
        year=year,
    )


def get_operation(pk: int) -> Operation:
    return get_object_or_404(
        Operation.objects.select_related("year__programme", "carrier").prefetch_related(
            "funding_lines", "step_types"
        ),
        year__programme=Programme.current(),
        pk=pk,
    )
