"""The demo action's reports (issue 13, §4): three planned, the earliest validated with its
figures frozen and its PDF stored, the next in draft, the last not started."""

from plie.evaluation.enums import ReportKind, ReportStatus
from plie.evaluation.models import ActionReport
from tests.demo.test_demo_plie import demo, demo_db  # noqa: F401  (the demo, generated once)


def test_the_demo_action_has_a_validated_report_a_draft_and_one_to_write(demo_db):  # noqa: F811
    found = list(ActionReport.objects.order_by("ends_on"))
    assert [r.kind for r in found] == [
        ReportKind.FIRST_QUARTER,
        ReportKind.MID_TERM,
        ReportKind.FINAL,
    ]
    validated, draft, final = found
    assert validated.status == ReportStatus.VALIDATED
    assert validated.frozen_figures["sections"]
    assert validated.document.content_type == "application/pdf"
    assert validated.budget_lines.count() == 3
    assert draft.status == ReportStatus.DRAFT and draft.quantitative and not draft.lessons
    assert final.status == ReportStatus.DRAFT and final.is_blank and final.written_at is None


def test_the_demo_files_its_report_before_the_static_files_are_prepared(
    territory, settings, tmp_path
):
    """A fresh clone: `plie demo` generates the base (and the validated report's PDF) before
    the server runs collectstatic — production's manifest storage has no manifest yet."""
    import datetime

    from plie.demo.generator import generate

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path  # empty: no manifest
    generate(seed=3, participants=20, today=datetime.date(2026, 11, 23))
    validated = ActionReport.objects.get(status=ReportStatus.VALIDATED)
    assert validated.document.content_type == "application/pdf"
