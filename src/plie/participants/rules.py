"""Who may see or do what with participant records — decided here and nowhere else.

A référent works on their own participants; the coordination team opens everyone's record.
Acting on the person's pathway — referral, first appointment, outreach, entry file,
eligibility — is for the référent and the case leads; the assistant corrects the person's
administrative data (identity, contact details, address: her data-quality work) and acts on
nothing else. The steering viewer, providers and administrators open no participant record.
Who reads the sensitive fields (health, disability, justice, minimum income, nationality and
right to work, free-text notes) of the records they open is the personal-data register's to
say (core.register: today the case leads and the person's référent, not the assistant).

Each permission is an action of the table of roles (core.permissions, docs/permissions.md).
"""

import rules

from plie.accounts.rules import (
    is_case_lead,
    is_coordination_team,
    is_referent,
)
from plie.core.permissions import declare_action
from plie.core.register import reads_sensitive_data

RECORDS = "Dossiers"
ENTRY = "Orientation et entrée"


@rules.predicate
def is_participant_referent(user, participant):
    return participant is not None and participant.referent_id == user.id


@rules.predicate
def role_reads_sensitive_data(user):
    """The register names the roles that read every sensitive field and value."""
    return bool(user and user.is_authenticated and user.is_active) and reads_sensitive_data(
        user.role
    )


can_open_participant = is_coordination_team | (is_referent & is_participant_referent)
# Acting on the pathway, from the referral to the entry: the person's référent and the leads.
can_follow_participant = is_case_lead | (is_referent & is_participant_referent)

declare_action(
    "participants.view_participant_list",
    is_coordination_team | is_referent,
    label="Voir la liste des participants",
    group=RECORDS,
    note="La liste d'un ou d'une référente ne montre que ses participants.",
)
declare_action(
    "participants.open_participant",
    can_open_participant,
    label="Ouvrir le dossier d'une personne (fiche, historique)",
    group=RECORDS,
    on="participant",
)
# This participant's sensitive data; without a participant, anyone's (the case leads).
declare_action(
    "participants.view_sensitive_data",
    can_open_participant & role_reads_sensitive_data,
    label="Lire ses données sensibles et le détail de son examen d'éligibilité",
    group=RECORDS,
    on="participant",
    note="Sans ce droit, un examen d'éligibilité dont un critère est masqué ne montre que "
    "son verdict : ni les groupes de critères ni les autres critères, d'où l'on déduirait "
    "le critère masqué.",
)
# The sensitive data of the records one may open (a form for a new person, one's own exits).
declare_action(
    "participants.read_sensitive_data",
    role_reads_sensitive_data,
    label="Lire et saisir les données sensibles hors d'un dossier (nouvelle personne, sorties)",
    group=RECORDS,
)
declare_action(
    "participants.correct_identity",
    can_open_participant,
    label="Corriger l'identité, les coordonnées et l'adresse",
    group=RECORDS,
    on="participant",
)
declare_action(
    "participants.record_referral",
    is_case_lead | is_referent,
    label="Enregistrer une orientation",
    group=ENTRY,
    note="Pour une personne déjà connue, il faut aussi pouvoir ouvrir son dossier.",
)
declare_action(
    "participants.view_outreach_worklist",
    is_coordination_team | is_referent,
    label="Voir la liste « Aller-vers »",
    group=ENTRY,
)
declare_action(
    "participants.plan_appointment",
    can_follow_participant,
    label="Fixer le premier rendez-vous et noter son issue",
    group=ENTRY,
    on="participant",
)
declare_action(
    "participants.record_outreach",
    can_follow_participant,
    label="Noter une tentative d'aller-vers",
    group=ENTRY,
    on="participant",
)
declare_action(
    "participants.close_referral",
    can_follow_participant,
    label="Clôturer une orientation sans entrée",
    group=ENTRY,
    on="participant",
)
declare_action(
    "participants.assess_eligibility",
    can_follow_participant,
    label="Examiner l'éligibilité",
    group=ENTRY,
    on="participant",
)
