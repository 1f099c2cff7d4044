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
