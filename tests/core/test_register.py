"""The register's structure: what an entry must say, declaring twice, asking for what is not
declared."""

import pytest

from plie.core.register import (
    Category,
    NotDeclared,
    PersonalField,
    Register,
    Retention,
    Subject,
)

CASE_WORKERS = frozenset({"coordinator", "assistant", "referent"})
SENSITIVE_READERS = frozenset({"coordinator", "referent"})


def field(name="disability", category=Category.DISABILITY, readers=SENSITIVE_READERS, **more):
    return PersonalField(
        "pathways.Pathway",
        name,
        Subject.PARTICIPANT,
        category,
        "Critère d'entrée.",
        readers,
        Retention.FSE_EVIDENCE,
        **more,
    )


def a_register(*entries) -> Register:
    register = Register()
    register.declare_roles([(role, role) for role in ("coordinator", "assistant", "referent")])
    register.declare(*entries)
    return register


def test_a_field_is_sensitive_when_its_category_is():
    assert field().sensitive
    assert not field("single_parent", Category.SOCIO_ECONOMIC, CASE_WORKERS).sensitive


def test_sensitive_values_name_who_reads_them_among_the_field_s_readers():
    with pytest.raises(ValueError, match="value_readers"):
        field("exit_reason", Category.PATHWAY, CASE_WORKERS, sensitive_values=(Category.HEALTH,))
    with pytest.raises(ValueError, match="must read the field"):
        field(
            "exit_reason",
            Category.PATHWAY,
            SENSITIVE_READERS,
            sensitive_values=(Category.HEALTH,),
            value_readers=CASE_WORKERS,
        )
    with pytest.raises(ValueError, match="only sensitive categories"):
        field(
            "exit_reason",
            Category.PATHWAY,
            CASE_WORKERS,
            sensitive_values=(Category.PATHWAY,),
            value_readers=SENSITIVE_READERS,
        )


def test_a_role_reads_a_field_with_sensitive_values_only_if_it_reads_those_values():
    exit_reason = field(
        "exit_reason",
        Category.PATHWAY,
        CASE_WORKERS,
        sensitive_values=(Category.HEALTH,),
        value_readers=SENSITIVE_READERS,
    )
    assert exit_reason.read_by("referent")
    assert not exit_reason.read_by("assistant")
    assert not exit_reason.read_by("steering_viewer")


def test_declaring_the_same_entry_twice_is_harmless_a_different_one_is_refused():
    register = a_register(field())
    register.declare(field())  # an app made ready twice (tests)
    assert len(register.entries()) == 1
    with pytest.raises(ValueError, match="declared twice"):
        register.declare(field(readers=CASE_WORKERS))


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError, match="unknown roles"):
        a_register(field(readers=frozenset({"coordinatrice"})))


def test_a_field_not_declared_says_where_to_declare_it():
    with pytest.raises(NotDeclared, match=r"declare it in plie/pathways/register\.py"):
        a_register(field()).entry("pathways.Pathway", "justice_measure")


def test_a_role_reads_sensitive_data_when_it_reads_every_sensitive_field_and_value():
    register = a_register(
        field(),
        field("single_parent", Category.SOCIO_ECONOMIC, CASE_WORKERS),
        field(
            "barriers",
            Category.SOCIO_ECONOMIC,
            CASE_WORKERS,
            sensitive_values=(Category.HEALTH,),
            value_readers=frozenset({"coordinator"}),
        ),
    )
    assert register.reads_sensitive_data("coordinator")
    assert not register.reads_sensitive_data("referent")  # not the sensitive barriers
    assert not register.reads_sensitive_data("assistant")
    assert register.sensitive_fields("pathways.Pathway") == {"disability"}


def test_nobody_reads_sensitive_data_before_any_is_declared():
    assert not a_register().reads_sensitive_data("coordinator")
