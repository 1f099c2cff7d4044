"""The exchange format declared as data: the six kinds of row, their file names and columns.

Import, export, the documentation's tests and the commands all read these declarations;
a column is added here once. Each `Column` names its French header, the model attribute
it fills (`commune_id` for a looked-up row) and its value type (see values.py).
docs/import-format.md describes every column for the people who fill the files.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.db import models

from plie.core.plurals import counted
from plie.participants.enums import (
    Autonomy,
    ExitReason,
    LabourMarketStatus,
    Nationality,
    PathwayStatus,
    ProjectMaturity,
    ReferralOutcome,
    ReferralStatus,
    Sex,
)
from plie.participants.models import Participant, Referral
from plie.pathways.enums import ContactMode, StepOutcome
from plie.pathways.models import Contact, Pathway, Step

from .values import (
    Choice,
    CodeList,
    Date,
    DateTime,
    Flag,
    Integer,
    Lookup,
    Number,
    Reference,
    Text,
    ValueType,
    YesNo,
)


@dataclasses.dataclass(frozen=True)
class Column:
    header: str
    field: str  # model attribute; "" for the row's own id
    type: ValueType
    required: bool = False
    derived: bool = False  # left empty, the importer decides (next number, state from dates)

    @property
    def is_reference(self) -> bool:
        return isinstance(self.type, Reference)


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str  # file name without .csv, and sheet name
    model: type
    columns: tuple[Column, ...]
    key: str = "id"  # the column that identifies a row
    what: str = ""  # French noun used in messages: "le dossier", "l'étape"…

    def __post_init__(self):
        object.__setattr__(self, "_by_header", {c.header: c for c in self.columns})

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def column(self, header: str) -> Column:
        return self._by_header[header]

    @property
    def fields(self) -> list[str]:
        """Model attributes that the columns fill directly (references excluded)."""
        return [c.field for c in self.columns if c.field and not c.is_reference]


def _text(model, field: str, header: str, required: bool = False) -> Column:
    """A text column: its field's length; a long text (a TextField: notes, summaries) keeps
    its line breaks, any other text is one line."""
    declared = model._meta.get_field(field)
    multiline = isinstance(declared, models.TextField)
    return Column(header, field, Text(declared.max_length, multiline=multiline), required)


def _yes_no(field: str, header: str) -> Column:
    return Column(header, field, YesNo())


ID = Column("id", "", Text(64), required=True)

PARTICIPANTS = Kind(
    "participants",
    Participant,
    (
        ID,
        Column("numero_dossier", "file_number", Text(20), derived=True),
        _text(Participant, "last_name", "nom", required=True),
        _text(Participant, "birth_name", "nom_naissance"),
        _text(Participant, "first_name", "prenom", required=True),
        Column("sexe", "sex", Choice(Sex), required=True),
        Column("date_naissance", "birth_date", Date(), required=True),
        _text(Participant, "phone", "telephone"),
        _text(Participant, "email", "courriel"),
        _text(Participant, "address", "adresse"),
        _text(Participant, "postcode", "code_postal"),
        Column("commune", "commune_id", Lookup("commune", "code INSEE (ou nom) d'une commune")),
        _text(Participant, "commune_outside_territory", "commune_hors_territoire"),
        Column("qpv", "qpv_id", Lookup("qpv", "code officiel du QPV")),
        Column("nationalite", "nationality", Choice(Nationality)),
        _yes_no("right_to_work", "autorise_a_travailler"),
        _yes_no("foreign_background", "origine_etrangere"),
        _yes_no("minority", "minorite"),
        Column("referent", "referent_id", Lookup("referent", "identifiant de connexion")),
    ),
    what="le dossier",
)

REFERRALS = Kind(
    "orientations",
    Referral,
    (
        ID,
        Column("participant", "participant_id", Reference("participants"), required=True),
        Column(
            "prescripteur",
            "prescriber_id",
            Lookup("prescriber", "nom de la structure prescriptrice"),
            required=True,
        ),
        _text(Referral, "prescriber_contact", "contact_prescripteur"),
        Column("date_orientation", "referred_on", Date(), required=True),
        _text(Referral, "reason", "motif", required=True),
        Column("etat", "status", Choice(ReferralStatus), derived=True),
        Column("issue", "outcome", Choice(ReferralOutcome)),
        Column("date_cloture", "closed_on", Date()),
        _text(Referral, "closing_note", "precision_cloture"),
    ),
    what="l'orientation",
)

PATHWAYS = Kind(
    "parcours",
    Pathway,
    (
        ID,
        Column("participant", "participant_id", Reference("participants"), required=True),
        Column("orientation", "referral_id", Reference("orientations")),
        Column("numero", "number", Integer(1, 99), derived=True),
        Column("etat", "status", Choice(PathwayStatus), derived=True),
        Column(
            "referent",
            "referent_id",
            Lookup("referent", "identifiant de connexion"),
            required=True,
        ),
        Column("date_entree", "entry_date", Date()),
        Column("situation_emploi", "labour_market_status", Choice(LabourMarketStatus)),
        _yes_no("registered_job_seeker", "inscrit_france_travail"),
        Column("sans_emploi_depuis", "out_of_work_since", Date()),
        Column(
            "niveau_formation",
            "education_level_id",
            Lookup("education_level", "code du niveau de formation"),
        ),
        _text(Pathway, "highest_diploma", "diplome"),
        _yes_no("lacks_basic_skills", "competences_de_base_non_maitrisees"),
        _yes_no("receives_rsa", "rsa"),
        _yes_no("receives_other_minimum_benefits", "autre_minimum_social"),
        _yes_no("socio_professional_orientation", "orientation_socioprofessionnelle"),
        _yes_no("single_parent", "parent_isole"),
        Column("enfants_a_charge", "dependent_children", Integer(0, 20)),
        _yes_no("homeless_or_housing_exclusion", "sans_domicile"),
        _yes_no("disability", "handicap"),
        _yes_no("long_term_illness", "affection_longue_duree"),
        _yes_no("followed_by_cap_emploi", "cap_emploi"),
        _yes_no("justice_measure", "sous_main_de_justice"),
        _yes_no("far_from_institutions", "invisible"),
        _yes_no("siae_employee", "salarie_siae"),
        _yes_no("wishes_to_commit", "souhaite_s_engager"),
        Column("freins", "barriers", CodeList("barrier", "codes de freins séparés par |")),
        Column("maturite_projet", "project_maturity", Choice(ProjectMaturity)),
        Column("autonomie", "autonomy", Choice(Autonomy)),
        _text(Pathway, "entry_notes", "observations"),
    ),
    what="le parcours",
)

EXITS = Kind(
    "sorties",
    Pathway,
    (
        Column("parcours", "", Reference("parcours"), required=True),
        Column("date_sortie", "exit_date", Date(), required=True),
        Column("motif", "exit_reason", Choice(ExitReason), required=True),
        _text(Pathway, "exit_condition", "condition"),
        _text(Pathway, "exit_condition_label", "libelle_condition"),
        _text(Pathway, "exit_detail", "precisions"),
    ),
    key="parcours",
    what="la sortie",
)

STEPS = Kind(
    "etapes",
    Step,
    (
        ID,
        Column("parcours", "pathway_id", Reference("parcours"), required=True),
        Column("type", "step_type_id", Lookup("step_type", "code du type d'étape"), required=True),
        _text(Step, "organisation_name", "structure"),
        Column("date_debut", "start_date", Date(), required=True),
        Column("fin_prevue", "planned_end_date", Date()),
        Column("fin_reelle", "end_date", Date()),
        Column("heures_semaine", "weekly_hours", Number(1, Decimal(0), Decimal("999.9"))),
        Column("temps_partiel_choisi", "part_time_agreed", Flag()),
        Column("issue", "outcome", Choice(StepOutcome), derived=True),
        _text(Step, "notes", "observations"),
    ),
    what="l'étape",
)

CONTACTS = Kind(
    "contacts",
    Contact,
    (
        ID,
        Column("parcours", "pathway_id", Reference("parcours"), required=True),
        Column("date", "contacted_on", Date(), required=True),
        Column("forme", "mode", Choice(ContactMode), required=True),
        Column("duree_minutes", "duration_minutes", Integer(1, 600)),
        _text(Contact, "summary", "compte_rendu"),
        Column("prochain_rendez_vous", "next_appointment", DateTime()),
        Column("par", "by_id", Lookup("user", "identifiant de connexion"), required=True),
    ),
    what="le contact",
)


def lines_of(count: int) -> str:
    """« aucune ligne », « 1 ligne », « 3 lignes »: counts as the reports print them."""
    return counted(count, "une ligne")


# In the order they are read and written: a row only names rows of the kinds before it.
KINDS: tuple[Kind, ...] = (PARTICIPANTS, REFERRALS, PATHWAYS, EXITS, STEPS, CONTACTS)
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}
