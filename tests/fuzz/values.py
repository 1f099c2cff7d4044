"""What a hostile or careless sender puts in a form field, by the kind of field: texts with
characters nobody sees, texts too long, numbers out of range, dates that do not exist,
choices the page never offered, ids of other records, fields missing or sent twice."""

import datetime

from django.utils import timezone
from hypothesis import strategies as st

from plie.core.dates import EARLIEST_DATE, latest_date
from plie.core.text import LONGEST_TEXT

# Refused everywhere (core/text.py): control, bidirectional, zero-width, private use.
HIDDEN = [
    "\x00",
    "\x1b[31m",
    "\x7f",
    "\u202e",  # right-to-left override: « txt.exe » shown as « exe.txt »
    "\u2066",
    "\u200b",  # zero-width space
    "\u200d",
    "\ufeff",
    "\u2028",
    "\ue000",  # private use
    "\U000f0000",
    "\u0085",
]
# Visible, and to be kept as typed.
VISIBLE = [
    "Zoé N'Diaye-Lefèvre",
    "Ωμέγα Ж 漢字 😀",
    "مرحبا",  # right-to-left letters, no override
    "\U0010fffd",  # a lone high code point (no surrogates in HTTP)
    "'; DROP TABLE participants_participant; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{ request.user }}{% debug %}",
    "%s%d%n",
    '=HYPERLINK("http://exemple.invalid")',
    "../../etc/passwd",
    "   ",
    "a\nb",
    "a\r\nb\tc",
]
NUMBERS = [
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "99999999999999999999999",
    str(2**63),
    str(-(2**63) - 1),
    "1,5",
    "1.5",
    "0,0000001",
    "١٢",  # Arabic-Indic digits
    "0x10",
    " 12 ",
    "12abc",
]
BROKEN_DATES = [
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "31/02/2026",
    "2026-02-30",
    "2026-02-29",
    "2024-02-29",
    "2026-13-01",
    "1899-12-31",
    "29/02/2023",
    "+002026-01-01",
    "2026-1-1",
    "aujourd'hui",
    "١٩٩٠-٠١-٠١",
]
BROKEN_MOMENTS = [
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "2026-02-30T10:00",
    "2027-03-28T02:30",  # does not exist in Paris (clocks forward)
    "2027-10-31T02:30",  # exists twice in Paris (clocks back)
    "2026-12-07T25:00",
    "2026-12-07",
    "07/12/2026 10:00",
]
IDS = ["", "0", "-1", "1", "2", "7", "99999", str(2**31), str(2**63), "1.0", "1 OR 1=1", "abc"]


def boundary_dates() -> list[str]:
    today = timezone.localdate()
    latest = latest_date(today)
    return [
        day.isoformat()
        for day in (
            EARLIEST_DATE,
            EARLIEST_DATE - datetime.timedelta(days=1),
            latest,
            latest + datetime.timedelta(days=1),
            today,
            today - datetime.timedelta(days=1),
            today + datetime.timedelta(days=1),
            today + datetime.timedelta(days=366),
        )
    ]


def any_character():
    return st.characters(codec="utf-8", exclude_categories=("Cs",))


def hostile_texts(longest: int = 140_000):
    long_text = st.sampled_from(
        [
            n
            for n in (LONGEST_TEXT - 1, LONGEST_TEXT, LONGEST_TEXT + 1, 255, 256, 12_000, 140_000)
            if n <= longest
        ]
    ).flatmap(lambda n: st.sampled_from(["x", "é", "😀", "\u202e"]).map(lambda c: c * n))
    return st.one_of(
        st.sampled_from(HIDDEN + VISIBLE),
        st.tuples(st.sampled_from(VISIBLE), st.sampled_from(HIDDEN), st.booleans()).map(
            lambda t: t[0] + t[1] if t[2] else t[1] + t[0]
        ),
        st.text(any_character(), max_size=40),
        long_text,
    )


def value_for(kind: str, shown: str, options: list[str], others: list[str]):
    """A strategy of hostile values for one field of the kind `kind`."""
    by_kind = {
        "date": st.sampled_from(BROKEN_DATES + boundary_dates()),
        "datetime-local": st.sampled_from(BROKEN_MOMENTS + BROKEN_DATES),
        "number": st.one_of(st.sampled_from(NUMBERS), st.integers(-(2**70), 2**70).map(str)),
        "select": st.sampled_from(IDS + others + [o + "x" for o in options if o]),
        "radio": st.sampled_from(IDS + others + ["autre"]),
        "checkbox": st.sampled_from(["on", "off", "", "false", "0", "1", "x" * 300, *IDS]),
        "submit": st.sampled_from(["", "approve ", "APPROVE", "refuse\x00", *IDS]),
        "hidden": st.sampled_from(
            ["", "1", "eyJ2IjoxfQ:forged:sig", shown[:-1], shown + "A", shown[::-1], "x" * 33]
        ),
    }
    specific = by_kind.get(kind, st.nothing())
    if kind in ("select", "radio", "checkbox") and options:
        specific = st.one_of(specific, st.sampled_from(options))  # a real choice, elsewhere
    if kind in ("text", "textarea", "email", "password", "tel", "search"):
        return hostile_texts()
    return st.one_of(specific, specific, hostile_texts())


MISSING = object()


@st.composite
def sendings(draw, fields: dict, baseline: dict):
    """What is sent: the baseline (a valid sending, as far as we know it) with one to four
    fields changed to hostile values, left out or sent twice."""
    names = sorted(set(fields) | set(baseline))
    data = dict(baseline)
    if not names:
        return data
    every_value = sorted({option for f in fields.values() for option in f.options if option})
    changed = draw(st.sets(st.sampled_from(names), min_size=1, max_size=min(4, len(names))))
    for name in sorted(changed):
        shown = fields.get(name)
        kind, options = (shown.kind, shown.options) if shown else ("text", [])
        how = draw(st.sampled_from(["hostile"] * 6 + ["missing", "twice"]))
        if how == "missing":
            data.pop(name, None)
        else:
            value = draw(value_for(kind, str(data.get(name, "")), options, every_value))
            data[name] = [value, str(data.get(name, ""))] if how == "twice" else value
    return data
