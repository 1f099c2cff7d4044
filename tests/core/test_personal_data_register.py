"""The personal-data register is complete, true to the models and to the access rules, and
docs/personal-data.md is what it says.

A field holds personal data when it is
- any field of a person's own rows: the participant, a user, and every model whose rows
  belong to one participant (a required foreign key, directly or through its owner, to the
  participant: referrals, pathways, steps, contacts, committee items…);
- in any other model, a link to a user (who asked, who chaired).
Such a field needs an entry in the register of its app, except the technical fields listed
in NOT_PERSONAL below, each with the reason it says nothing about the person.
"""

import dataclasses
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from plie.accounts.enums import Role
from plie.core.register import Subject, register
from plie.core.register_document import COMMAND, field_label, markdown
from plie.participants.eligibility import FACTS
from tests.factories import ParticipantFactory

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "personal-data.md"

# Fields of a person's rows that hold nothing personal of their own.
NOT_PERSONAL = {
    "id": "the row's number, meaningless outside the base",
    "participant": "the link to the person the row belongs to, not a fact about them",
    "referral": "the link to the referral the row belongs to",
    "pathway": "the link to the pathway the row belongs to",
    "programme": "the PLIE the row belongs to: one per installation",
    "created_at": "when the row was typed: bookkeeping, which the journal keeps as well",
    "external_id": "the row's number in the tool it was imported from (the person's own "
    "identifier, Participant.external_id, is declared)",
    "protocol": "the protocol applied: the same for everyone assessed under it",
    "protocol_version": "the protocol's version: likewise",
    "version": "the row's edit counter (core/versioning.py), which refuses a stale page's save",
}


def _plie_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("plie.") and not model._meta.proxy
    ]


def _own_fields(model):
    """Concrete fields and many-to-many fields the model declares (no reverse relation)."""
    return [f for f in model._meta.get_fields() if f.concrete or f.many_to_many]


def _belongs_to_a_participant(model, seen=()) -> bool:
    participant = apps.get_model("participants.Participant")
    if model is participant:
        return True
    return any(
        (f.many_to_one or f.one_to_one)
        and not f.null
        and f.related_model not in seen
        and _belongs_to_a_participant(f.related_model, (*seen, model))
        for f in _own_fields(model)
    )


def _personal_fields(model):
    user = apps.get_model(settings.AUTH_USER_MODEL)
    if model is user or _belongs_to_a_participant(model):
        return [f for f in _own_fields(model) if f.name not in NOT_PERSONAL or _declared(f)]
    return [f for f in _own_fields(model) if f.is_relation and f.related_model is user]


def _declared(field) -> bool:
    return register.get(field.model._meta.label, field.name) is not None


def test_every_field_that_holds_personal_data_has_an_entry():
    missing = [
        f"{model._meta.label}.{field.name} holds personal data and has no entry in the "
        f"personal-data register: declare it in src/plie/{model._meta.app_label}/register.py "
        "(or, if it says nothing about the person, add it to NOT_PERSONAL in this test with "
        "the reason)"
        for model in _plie_models()
        for field in _personal_fields(model)
        if not _declared(field)
    ]
    assert not missing, "\n".join(missing)


def test_the_walk_covers_the_person_s_own_rows():
    covered = {m._meta.label for m in _plie_models() if _belongs_to_a_participant(m)}
    assert covered >= {
        "participants.Participant",
        "participants.Referral",
        "participants.Appointment",
        "participants.OutreachAttempt",
        "pathways.Pathway",
        "pathways.EligibilityAssessment",
        "pathways.Step",
        "pathways.Contact",
        "pathways.ReferentChange",
        "pathways.FollowUp",
        "committee.CommitteeItem",
    }
    assert "pathways.StepType" not in covered and "committee.CommitteeMeeting" not in covered


def test_every_entry_names_a_field_of_a_model_with_a_french_label():
    already_french = {"situation"}
    for entry in register.entries():
        model = apps.get_model(entry.model)
        field = model._meta.get_field(entry.field)  # FieldDoesNotExist if it does not
        automatic = field.name.replace("_", " ")
        assert field_label(entry).lower() != automatic or field.name in already_french, (
            f"{entry.key}: give it a French label"
        )
        assert entry.purpose.strip(), entry.key


def test_every_reader_is_a_role():
    roles = set(Role.values)
    assert set(register.roles) == roles
    for entry in register.entries():
        assert entry.readers | entry.value_readers <= roles, entry.key


def test_the_document_is_what_the_generator_writes():
    assert DOCUMENT.read_text(encoding="utf-8") == markdown(), (
        f"docs/personal-data.md is out of date: run `uv run {COMMAND}`"
    )


def test_the_command_writes_the_document():
    out = io.StringIO()
    call_command("register", "--markdown", stdout=out)
    assert out.getvalue() == markdown()
    assert "| Handicap reconnu (RQTH) (`disability`) | Parcours |" in out.getvalue()


def test_every_eligibility_criterion_reads_declared_fields_of_the_person_or_the_entry_file():
    # The criteria hidden from who may not read sensitive data are derived from the fields
    # they read: each must be one the register knows.
    for code, definition in FACTS.items():
        for name in definition.needs:
            assert register.get("participants.Participant", name) or register.get(
                "pathways.Pathway", name
            ), f"criterion {code} reads {name}, which the register does not know"


# Roles against the access rules: the register says no more than the rules let happen.

PERSONAS = {
    Role.REFERENT: "referent",
    Role.COORDINATOR: "coordinator",
    Role.PROJECT_OFFICER: "project_officer",
    Role.ASSISTANT: "assistant",
    Role.PROVIDER: "provider",
    Role.STEERING_VIEWER: "steering_viewer",
    Role.ADMINISTRATOR: "administrator",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(PERSONAS))
def test_a_role_reads_a_person_s_data_only_if_it_may_open_their_record(request, role):
    user = request.getfixturevalue(PERSONAS[role])
    referent = user if role == Role.REFERENT else request.getfixturevalue("referent")
    participant = ParticipantFactory(referent=referent)
    opens = user.has_perm("participants.open_participant", participant)
    about_people = [e for e in register.entries() if e.subject == Subject.PARTICIPANT]
    reads = {e.key for e in about_people if role in e.readers and not _through_an_action(e)}
    assert opens or not reads, f"{role} opens no record but the register says it reads {reads}"
    sensitive = user.has_perm("participants.view_sensitive_data", participant)
    assert sensitive is (opens and register.reads_sensitive_data(role))


def _through_an_action(entry) -> bool:
    """What an action records of the people referred to it, which its provider reads without
    opening their record (actions.rules: only its own actions, only while in its lists)."""
    return entry.model.startswith("actions.")


@pytest.mark.parametrize("role", [Role.STEERING_VIEWER, Role.ADMINISTRATOR])
def test_the_steering_committee_and_the_administrator_read_no_one_s_record(role):
    about_people = [e for e in register.entries() if e.subject != Subject.STAFF]
    assert not [e.key for e in about_people if role in e.readers]


def test_a_provider_reads_of_a_person_only_what_actions_record_and_the_referent_passes():
    about_people = [e for e in register.entries() if e.subject != Subject.STAFF]
    assert not [
        e.key for e in about_people if Role.PROVIDER in e.readers and not _through_an_action(e)
    ]
    shared = register.shared_on_referral()
    assert shared and not [e.key for e in shared if e.sensitive or e.sensitive_values]
    assert not [e.key for e in shared if e.model.startswith("actions.")]


def test_a_sensitive_field_cannot_be_declared_as_passed_to_a_provider():
    entry = register.entry("pathways.Pathway", "receives_rsa")
    with pytest.raises(ValueError, match="never passed to a provider"):
        dataclasses.replace(entry, shared_on_referral=True)


def test_the_journal_s_readers_are_those_the_rules_let_read_it(db, request):
    readers = register.entry("auditlog.LogEntry", "changes").readers
    for role, persona in PERSONAS.items():
        user = request.getfixturevalue(persona)
        assert user.has_perm("audit.view_journal") is (role in readers), role


@pytest.mark.django_db
def test_the_register_decides_who_reads_sensitive_data(monkeypatch, referent, assistant):
    participant = ParticipantFactory(referent=referent)
    assert referent.has_perm("participants.view_sensitive_data", participant)
    assert not assistant.has_perm("participants.view_sensitive_data", participant)
    # Were the référents no longer to read the justice measure, they would read no
    # sensitive data at all (a page shows all of it or none), and the forms would not ask.
    entry = register.entry("pathways.Pathway", "justice_measure")
    without_referents = dataclasses.replace(entry, readers=entry.readers - {Role.REFERENT})
    monkeypatch.setitem(register._entries, entry.key, without_referents)
    assert not referent.has_perm("participants.view_sensitive_data", participant)
    assert not referent.has_perm("participants.read_sensitive_data")
