from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "plie.programme"
    label = "programme"
    verbose_name = "Programme : protocoles et programmation annuelle"

    def ready(self):
        from auditlog.registry import auditlog

        from plie.programme.declarations import declare
        from plie.programme.models import (
            BudgetStatement,
            BudgetStatementEvidence,
            BudgetStatementLine,
            FundingLine,
            Operation,
            ProgrammeYear,
            Protocol,
        )

        auditlog.register(Protocol)
        # The journal follows every creation and change of the programme (field, before, after).
        auditlog.register(ProgrammeYear)
        auditlog.register(Operation, m2m_fields={"step_types"})
        auditlog.register(FundingLine)
        auditlog.register(BudgetStatement)
        auditlog.register(BudgetStatementLine)
        auditlog.register(BudgetStatementEvidence)
        declare()
