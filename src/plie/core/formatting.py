"""French numbers, percentages, durations and dates, written one way wherever the
application shows or prints them: pages, PDF documents, spreadsheets, commands, messages.

One rounding rule (docs/indicators.md, « Arrondis »): to the nearest, a half away from
zero (15,75 → 15,8 ; 0,5 % → 1 %), never Python's rounding to the even neighbour. Each kind
of figure has its precision, declared once as a `Quantity`: counts to the unit, rates and
shares in whole percent, durations in months and ages in years to the tenth, money to the
cent. Thousands are grouped with a narrow no-break space (1 204), a unit follows a no-break
space (55 %, 15,7 mois). Pure Python, no Django: the rule engines use it too.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

THOUSANDS = "\u202f"  # narrow no-break space: 1 204
BEFORE_UNIT = "\u00a0"  # no-break space: 55 %, 15,7 mois
NOT_COMPUTABLE = "—"  # nothing to divide, no exit to average...

Number = int | float | Decimal


def rounded(value: Number, decimals: int) -> Decimal:
    """`value` to `decimals` places, a half away from zero (2,5 → 3 ; 15,75 → 15,8).

    A float goes through its shortest text form, so 15.75 is rounded as the 15,75 people
    read, not as the binary 15.7499999… it is stored as."""
    exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: Number, decimals: int = 0) -> str:
    """1204 → "1 204" ; 15.75 with one decimal → "15,8" (thousands grouped)."""
    amount = rounded(value, decimals)
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, last = whole[:-3], whole[-3:]
        groups.insert(0, last)
    text = THOUSANDS.join([whole, *groups])
    if fraction:
        text += "," + fraction
    return ("-" if amount < 0 else "") + text


def plain_number(value: Number) -> str:
    """A number for a CSV cell that a French spreadsheet reads as a number: decimal comma,
    no grouping, no trailing zero (35,5 ; 35 ; -2,25)."""
    exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    text = format(exact.normalize(), "f")
    if text in ("-0", "-0.0"):
        text = "0"
    return text.replace(".", ",")


def count(value: int) -> str:
    """A count of people or events: 1 204."""
    return number(value)


@dataclasses.dataclass(frozen=True)
class Quantity:
    """How a kind of figure is written: its precision, its unit, and its machine form."""

    decimals: int  # as people read it
    unit: str = ""  # after a no-break space; "%" for a share (see `scale`)
    singular: str = ""  # the unit under 2 (« 1,5 an », « 1 jour »), when it differs
    scale: int = 1  # 100: a share (0.553) read as a percentage (55 %)
    machine_decimals: int | None = None  # in JSON; None: the value as it is (a count)

    def text(self, value: Number | None) -> str:
        if value is None:
            return NOT_COMPUTABLE
        amount = rounded(Decimal(str(value)) * self.scale, self.decimals)
        shown = number(amount, self.decimals)
        unit = self.singular if self.singular and abs(amount) < 2 else self.unit
        return f"{shown}{BEFORE_UNIT}{unit}" if unit else shown

    def machine(self, value: Number | None) -> int | float | None:
        """The value for JSON: a count as it is, a ratio rounded by the same rule."""
        if value is None or self.machine_decimals is None:
            return value if not isinstance(value, Decimal) else float(value)
        return float(rounded(value, self.machine_decimals))


COUNT = Quantity(0)
SHARE = Quantity(0, "%", scale=100, machine_decimals=4)  # rates and shares
MONTHS = Quantity(1, "mois", machine_decimals=1)  # durations
DAYS = Quantity(0, "jours", singular="jour", machine_decimals=1)
YEARS = Quantity(1, "ans", singular="an", machine_decimals=1)  # ages
EUROS = Quantity(2, "€", machine_decimals=2)
RATIO = Quantity(2, machine_decimals=2)  # contacts per person and month
PEOPLE_ON_AVERAGE = Quantity(0, machine_decimals=1)  # an average caseload


def percent(share: Number | None) -> str:
    """0.553 → "55 %" ; nothing to divide (None) → "—"."""
    return SHARE.text(share)


def months(value: Number | None) -> str:
    """15.74 → "15,7 mois"."""
    return MONTHS.text(value)


def hours(value: Number) -> str:
    """Weekly hours as typed: 17.5 → "17,5 h", 35 → "35 h"."""
    return f"{plain_number(value)}{BEFORE_UNIT}h"


def day(value: datetime.date) -> str:
    """31/12/2026 (a datetime must be in local time already)."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def moment(value: datetime.datetime) -> str:
    """« 31/12/2026 à 14:30 », from a datetime already in local time."""
    return f"{day(value)} à {value.hour:02d}:{value.minute:02d}"


def clock(value: datetime.datetime) -> str:
    """« 31/12/2026 14:30 », the form a spreadsheet reads back as a date and time."""
    return f"{day(value)} {value.hour:02d}:{value.minute:02d}"
