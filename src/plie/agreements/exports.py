"""The payment-order export for the finance service: the instalments that are due (all, or of
one agreement), declared as data and written by the one spreadsheet writer
(core.spreadsheets), in XLSX or CSV."""

from __future__ import annotations

import dataclasses
import datetime
import io
from decimal import Decimal

from django.utils import timezone

from plie.agreements.enums import InstalmentState
from plie.agreements.models import Agreement, Instalment
from plie.agreements.services import reading
from plie.core import spreadsheets
from plie.core.spreadsheets import DAY, TEXT, Column, Decimals, Table


@dataclasses.dataclass(frozen=True)
class PaymentOrder:
    reference: str
    provider: str
    agreement_title: str
    instalment: str
    share: Decimal
    amount: Decimal
    checked_on: datetime.date | None
    checked_by: str


COLUMNS = (
    Column("Convention", lambda o: o.reference, TEXT),
    Column("Prestataire", lambda o: o.provider, TEXT),
    Column("Intitulé", lambda o: o.agreement_title, TEXT),
    Column("Échéance", lambda o: o.instalment, TEXT),
    Column("Part (%)", lambda o: o.share, Decimals(2)),
    Column("Montant (€)", lambda o: o.amount, Decimals(2)),
    Column("Livrables vérifiés le", lambda o: o.checked_on, DAY),
    Column("Vérifiés par", lambda o: o.checked_by, TEXT),
)


def due_orders(agreements) -> list[PaymentOrder]:
    """The instalments of `agreements` that are due, in the order of the agreements."""
    instalments = (
        Instalment.objects.filter(agreement__in=agreements, paid_on__isnull=True)
        .select_related("agreement__provider")
        .prefetch_related("deliverables__checked_by")
        .order_by("agreement__reference", "order")
    )
    orders = []
    for instalment in instalments:
        agreement = instalment.agreement
        if reading(instalment, agreement).state != InstalmentState.DUE:
            continue
        checks = [d for d in instalment.deliverables.all() if d.checked_at]
        last = max((d.checked_at for d in checks), default=None)
        checkers = dict.fromkeys(str(d.checked_by) for d in checks if d.checked_by)
        orders.append(
            PaymentOrder(
                agreement.reference,
                str(agreement.provider),
                agreement.title,
                instalment.label,
                instalment.share,
                instalment.amount,
                timezone.localtime(last).date() if last else None,
                ", ".join(checkers),
            )
        )
    return orders


def table(orders: list[PaymentOrder]) -> Table:
    return Table("ordres-de-paiement", "Ordres de paiement", COLUMNS, orders)


def xlsx(orders: list[PaymentOrder]) -> bytes:
    return spreadsheets.xlsx_bytes([table(orders)])


def csv(orders: list[PaymentOrder]) -> bytes:
    buffer = io.BytesIO()
    spreadsheets.write_csv(buffer, table(orders))
    return buffer.getvalue()


def file_name(agreement: Agreement | None, extension: str) -> str:
    today = timezone.localdate()
    which = agreement.reference if agreement else "toutes"
    return f"ordres-de-paiement-{which}-{today:%Y%m%d}.{extension}"
