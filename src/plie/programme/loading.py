"""Load a PLIE's territory package: its territory (territory.loading), then its protocols.

Idempotent (a protocol's key: programme, name and version) and all or nothing; the format
is documented in docs/territory-format.md.
"""

import datetime
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from plie.programme.models import Protocol
from plie.territory import loading as territory_loading
from plie.territory.models import Programme

resolve_package = territory_loading.resolve_package


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load_package(path: Path) -> Programme:
    programme = territory_loading.load_territory(path)
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    for row in data.get("protocols", []):
        protocol, _ = Protocol.objects.update_or_create(
            programme=programme,
            name=row["name"],
            version=row["version"],
            defaults={
                "valid_from": _date(row["valid_from"]),
                "valid_until": _date(row.get("valid_until")),
                "source": row.get("source", ""),
                "entry_rule": row["entry_rule"],
                "exit_rules": row.get("exit_rules", []),
            },
        )
        protocol.full_clean()
    return programme
