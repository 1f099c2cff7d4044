"""The personal data the evaluation records, for the personal-data register (core.register,
docs/personal-data.md)."""

from plie.core.register import declare_personal_data


def declare() -> None:
    declare_personal_data()
