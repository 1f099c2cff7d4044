"""The checks every period form shares (dashboard, extraction), at their boundaries."""

import datetime

import pytest
from django import forms

from plie.core.forms import clean_period

D = datetime.date
TODAY = D(2026, 11, 30)


class PeriodForm(forms.Form):
    du = forms.DateField()
    au = forms.DateField()

    def clean(self):
        data = super().clean()
        clean_period(self, "du", "au", today=TODAY, too_long="Trop long.")
        return data


@pytest.mark.parametrize(
    ("du", "au", "errors"),
    [
        (D(2026, 1, 1), TODAY, {}),  # ending today is fine
        (D(2026, 1, 1), D(2026, 12, 1), {"au": ["La période finit après aujourd'hui"]}),
        (D(2026, 6, 1), D(2026, 5, 31), {"__all__": ["La date de fin précède"]}),
        (D(2026, 6, 1), D(2026, 6, 1), {}),  # one day
        (D(2021, 12, 1), TODAY, {}),  # 59 calendar months apart: five years
        (D(2021, 11, 30), TODAY, {"__all__": ["Trop long."]}),  # 60
    ],
)
def test_a_period_is_in_order_past_and_five_years_at_most(du, au, errors):
    form = PeriodForm({"du": du, "au": au})
    form.is_valid()
    found = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
    assert set(found) == set(errors)
    for name, starts in errors.items():
        assert all(
            message.startswith(start) for message, start in zip(found[name], starts, strict=True)
        )
