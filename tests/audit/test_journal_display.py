"""The journal's detail reads as French sentences: labels, yes/no, related objects, dates."""

import datetime
import re
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.text import capfirst

import plie
from plie.accounts.enums import Role
from plie.accounts.models import Organisation
from plie.audit.journal import FIELD_LABELS, NOT_KEPT, describe_changes, field_label
from plie.committee.enums import CommitteeDecision, CommitteeItemKind
from plie.committee.models import CommitteeItem
from plie.pathways.entry import assess_eligibility
from plie.pathways.models import EligibilityAssessment, Pathway
from plie.programme.models import Protocol
from plie.territory.models import BarrierType
from tests.factories import (
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    PathwayFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db

# What the journal used to print, and must not any more.
RAW = [
    "True",
    "False",
    ".None",
    "∅",
    "evaluated at",
    "evaluated by",
    "decided by",
    "decided at",
    "protocol version",
    "Pathway :",
    "Meeting :",
    "Members :",
    "Referrals :",
]


def journal_page(client, coordinator, **filters):
    client.force_login(coordinator)
    response = client.get(reverse("web:journal"), filters)
    assert response.status_code == 200
    return response, response.content.decode().split('<main id="contenu"')[1]


def detail_of(entry):
    changes = describe_changes([entry], reader_role=Role.COORDINATOR)
    return {change.label: change for change in changes[entry.pk]}


def latest_entry(obj, action=None):
    entries = LogEntry.objects.get_for_object(obj)
    if action is not None:
        entries = entries.filter(action=action)
    return entries.latest("timestamp", "pk")


def test_booleans_read_yes_no_or_not_filled(coordinator):
    pathway = PathwayFactory(participant=ParticipantFactory(referent=coordinator))
    pathway.single_parent = True
    pathway.registered_job_seeker = False
    pathway.disability = True
    pathway.save()
    changes = detail_of(latest_entry(pathway, LogEntry.Action.UPDATE))
    single_parent = Pathway._meta.get_field("single_parent").verbose_name
    job_seeker = Pathway._meta.get_field("registered_job_seeker").verbose_name
    assert changes[capfirst(single_parent)].before == "Non renseigné"
    assert changes[capfirst(single_parent)].after == "Oui"
    assert changes[capfirst(job_seeker)].after == "Non"
    # A sensitive answer is not kept: the journal says it was filled in, not what it is.
    disability = changes["Handicap reconnu (RQTH)"]
    assert disability.after is None
    assert disability.note == f"renseigné ({NOT_KEPT})"

    organisation = OrganisationFactory(is_prescriber=True)
    changes = detail_of(latest_entry(organisation, LogEntry.Action.CREATE))
    assert changes["Prescripteur"].after == "Oui"
    assert changes["Employeur de référents"].after == "Oui"


def test_a_creation_lists_its_values_without_reverse_relations(client, coordinator):
    organisation = OrganisationFactory(name="Mission locale du Dijonnais", is_provider=True)
    entry = latest_entry(organisation, LogEntry.Action.CREATE)
    labels = set(detail_of(entry))
    # "members" and "referrals" are the reverse sides of User.organisation and
    # Referral.prescriber: auditlog printed their managers ("accounts.User.None").
    assert not labels & {"members", "referrals", "Members", "Referrals", "Id", "ID"}
    assert detail_of(entry)["Nom"].after == "Mission locale du Dijonnais"
    assert detail_of(entry)["Nom"].before is None  # a creation shows the value, not "∅ →"

    _, content = journal_page(client, coordinator)
    assert "accounts.User.None" not in content
    assert "participants.Referral.None" not in content


def test_foreign_keys_show_the_related_object(coordinator, referent):
    referral = ReferralFactory(participant=ParticipantFactory(referent=referent))
    changes = detail_of(latest_entry(referral, LogEntry.Action.CREATE))
    assert changes["Prescripteur"].after == str(referral.prescriber)
    assert changes["Participant(e)"].after == str(referral.participant)
    assert changes["Date d'orientation"].after == f"{referral.referred_on:%d/%m/%Y}"

    referral.closed_on = datetime.date(2026, 1, 5)
    referral.save()
    changes = detail_of(latest_entry(referral, LogEntry.Action.UPDATE))
    assert (changes["Clôturée le"].before, changes["Clôturée le"].after) == (
        "Non renseigné",
        "05/01/2026",
    )


def test_fields_without_verbose_name_are_named_in_french(client, coordinator, referent):
    pathway = PathwayFactory(participant=ParticipantFactory(referent=referent))
    assessment = assess_eligibility(pathway=pathway, by=referent)
    changes = detail_of(latest_entry(assessment, LogEntry.Action.CREATE))
    assert changes["Version du protocole"].after == assessment.protocol_version
    assert changes["Examiné par"].after == str(referent)
    assert changes["Parcours"].after == str(pathway)
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", changes["Examiné le"].after)

    item = CommitteeItem.objects.create(
        meeting=MeetingFactory(),
        pathway=pathway,
        kind=CommitteeItemKind.ENTRY,
        proposed_by=referent,
        proposed_referent=referent,
    )
    item.decision = CommitteeDecision.VALIDATED
    item.decided_by = coordinator
    item.save()
    changes = detail_of(latest_entry(item, LogEntry.Action.UPDATE))
    assert changes["Décidé par"].after == str(coordinator)
    assert changes["Décision"].before == CommitteeDecision.PENDING.label
    assert changes["Décision"].after == CommitteeDecision.VALIDATED.label

    _, content = journal_page(client, coordinator)
    for raw in RAW:
        assert raw not in content, raw


def test_every_journaled_field_has_a_french_label():
    already_french = {"code", "version", "source", "commune", "situation", "mode", "note"}
    for model in auditlog.get_models():
        registered = auditlog.get_model_fields(model)
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in registered["exclude_fields"]:
                continue
            if registered["include_fields"] and field.name not in registered["include_fields"]:
                continue
            label = field_label(field)
            automatic = field.name.replace("_", " ")
            assert label.lower() != automatic or field.name in already_french | set(FIELD_LABELS), (
                f"{model.__name__}.{field.name} has no French label"
            )


def test_protocol_rules_are_summarised_not_printed(client, coordinator):
    protocol = Protocol.objects.first()
    protocol.entry_rule = {**protocol.entry_rule}
    protocol.exit_rules = [*protocol.exit_rules, *protocol.exit_rules[:1]]
    protocol.save()
    changes = detail_of(latest_entry(protocol, LogEntry.Action.UPDATE))
    assert changes["Règles de sortie positive"].note == "contenu modifié"
    _, content = journal_page(client, coordinator, action=str(LogEntry.Action.UPDATE))
    assert re.search(r"Règles de sortie positive</span> :\s+contenu modifié", content)
    assert '{"' not in content and "[{" not in content


def test_many_to_many_changes_name_what_was_added_or_removed(coordinator, referent):
    pathway = PathwayFactory(participant=ParticipantFactory(referent=referent))
    barrier = BarrierType.objects.order_by("pk").first()
    pathway.barriers.add(barrier)
    changes = detail_of(latest_entry(pathway, LogEntry.Action.UPDATE))
    # Some barriers are health or addictions: which one is not kept, only that one was.
    assert changes["Freins périphériques"].note == f"ajouté ({NOT_KEPT})"
    pathway.barriers.remove(barrier)
    entry = latest_entry(pathway, LogEntry.Action.UPDATE)
    assert detail_of(entry)["Freins périphériques"].note == f"retiré ({NOT_KEPT})"
    assert barrier.label not in str(entry.changes)

    organisation = OrganisationFactory()
    organisation_type = ContentType.objects.get_for_model(Organisation)
    entry = LogEntry.objects.create(
        content_type=organisation_type,
        object_pk=str(organisation.pk),
        object_repr=str(organisation),
        action=LogEntry.Action.UPDATE,
        changes={"partenaires": {"type": "m2m", "operation": "add", "objects": ["CCAS"]}},
    )
    assert detail_of(entry)["Partenaires"].note == "ajouté : CCAS"


def test_a_deleted_related_object_is_named_not_printed_raw(coordinator):
    prescriber = OrganisationFactory(is_prescriber=True)
    organisation_type = ContentType.objects.get_for_model(Organisation)
    entry = LogEntry.objects.create(
        content_type=organisation_type,
        object_pk=str(prescriber.pk),
        object_id=prescriber.pk,
        object_repr=str(prescriber),
        action=LogEntry.Action.UPDATE,
        changes={"commune": ["None", "999999"]},
    )
    assert detail_of(entry)["Commune"].after == "Commune supprimé(e) (n° 999999)"


def test_the_object_is_not_named_twice(client, coordinator, referent):
    pathway = PathwayFactory(participant=ParticipantFactory(referent=referent))
    assess_eligibility(pathway=pathway, by=referent)
    assessment = EligibilityAssessment.objects.get()
    _, content = journal_page(client, coordinator)
    assert f'<td class="journal-value">{assessment}</td>' in content.replace("&#x27;", "'")
    assert "Examen d'éligibilité : Examen d'éligibilité" not in content.replace("&#x27;", "'")
    assert "Parcours : Parcours" not in content


def test_a_list_read_is_named_by_its_page_alone(client, coordinator, referent):
    ParticipantFactory(referent=referent)
    client.force_login(referent)
    assert client.get(reverse("web:participant_list")).status_code == 200
    journal_page(client, coordinator)  # the journal's own read, with the person listed
    _, content = journal_page(client, coordinator)
    for page in ("Liste des participants", "Journal"):
        assert f'<td class="journal-value">{page}</td>' in content, page
        assert f"Participant(e) : {page}" not in content, page


def test_long_values_wrap_inside_their_cell(client, coordinator, referent):
    organisation = OrganisationFactory()
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Organisation),
        object_pk=str(organisation.pk),
        object_repr=str(organisation),
        action=LogEntry.Action.UPDATE,
        changes={"name": ["", "x" * 1500]},
    )
    _, content = journal_page(client, coordinator)
    assert "x" * 1500 in content  # the coordinator sees the whole value…
    assert 'class="journal-value"' in content  # …in a cell that wraps it
    css = (Path(plie.__file__).parent / "static" / "plie" / "plie.css").read_text()
    assert re.search(r"\.journal-value\s*\{[^}]*overflow-wrap:\s*anywhere", css)


def test_a_start_date_after_the_end_date_is_an_error_not_an_empty_journal(client, coordinator):
    OrganisationFactory()
    response, content = journal_page(client, coordinator, since="2026-03-10", until="2026-03-01")
    assert "La date de début doit précéder la date de fin." in content
    assert 'aria-invalid="true"' in content
    assert 'aria-describedby="id_since-erreur"' in content
    assert response.context["page"].paginator.count == 0
    assert "0 entrée" not in content  # no misleading "nothing happened"

    response, content = journal_page(client, coordinator, since="2026-03-01", until="2026-03-01")
    assert "La date de début doit précéder" not in content


def test_the_account_flags_are_named_in_words_in_the_journal_and_the_admin():
    from plie.accounts.models import User

    assert field_label(User._meta.get_field("is_staff")) == "Accès à l'administration"
    assert field_label(User._meta.get_field("is_superuser")) == (
        "Tous les droits (super-utilisateur)"
    )


@pytest.mark.parametrize(
    ("role", "reads_record", "reads"),
    [
        (Role.COORDINATOR, True, True),
        (Role.PROJECT_OFFICER, True, True),
        (Role.REFERENT, True, True),
        (Role.ASSISTANT, True, False),
        (Role.STEERING_VIEWER, False, False),
    ],
)
def test_the_journal_withholds_the_values_the_reader_s_role_does_not_read(
    coordinator, referent, role, reads_record, reads
):
    # Only the coordinator reads the journal today: the redaction reads the personal-data
    # register all the same, so that it holds when another role gets the journal.
    pathway = PathwayFactory(participant=ParticipantFactory(referent=referent))
    pathway.justice_measure = True
    pathway.exit_reason = "health"
    pathway.labour_market_status = "unemployed"
    pathway.save()
    changes = describe_changes([latest_entry(pathway, LogEntry.Action.UPDATE)], reader_role=role)
    by_label = {change.label: change for change in next(iter(changes.values()))}
    justice, reason = by_label["Sous main de justice"], by_label["Motif de sortie"]
    # Neither value is kept (a sensitive field, a field with sensitive values): the reader
    # who reads them learns the field was filled in, the others that it is reserved.
    assert justice.after is None and reason.after is None
    if reads:
        assert NOT_KEPT in justice.note and NOT_KEPT in reason.note
    else:
        assert justice.note == reason.note == "valeur réservée"
    # What every role that opens the record reads stays in the journal for them.
    status = by_label["Situation sur le marché du travail"]
    assert (status.after or "").startswith("Demandeur") is reads_record


def test_a_withheld_value_left_empty_at_creation_is_not_listed(referent):
    pathway = PathwayFactory(participant=ParticipantFactory(referent=referent))
    changes = describe_changes(
        [latest_entry(pathway, LogEntry.Action.CREATE)], reader_role=Role.ASSISTANT
    )
    assert "Sous main de justice" not in {change.label for change in changes[next(iter(changes))]}
