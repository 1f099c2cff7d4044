"""The programme's models: protocols d'accord (protocols.py), the annual programme and its
operations (operations.py), their budget statements (statements.py)."""

from plie.programme.models.operations import FundingLine, Operation, ProgrammeYear
from plie.programme.models.protocols import Protocol
from plie.programme.models.statements import (
    BudgetStatement,
    BudgetStatementEvidence,
    BudgetStatementLine,
)

__all__ = [
    "BudgetStatement",
    "BudgetStatementEvidence",
    "BudgetStatementLine",
    "FundingLine",
    "Operation",
    "ProgrammeYear",
    "Protocol",
]
