"""The personal data of a pathway — situation at entry, eligibility assessments, steps,
contacts, changes of référent, exit and follow-up — for the personal-data register
(core.register, docs/personal-data.md); declared when the app is ready.

As for the person (participants/register.py): everyone who opens the record reads the
ordinary fields, `SENSITIVE_DATA_READERS` alone the sensitive ones.
"""

from plie.accounts.enums import CASE_LEADS, CASE_WORKERS, SENSITIVE_DATA_READERS
from plie.core.register import Category, Retention, declare_personal_data
from plie.participants.register import record_field, recorded_by

FSE_EVIDENCE = Retention.FSE_EVIDENCE
ACTIVE_RECORD = Retention.ACTIVE_RECORD
SOCIO_ECONOMIC, PATHWAY, FREE_TEXT = Category.SOCIO_ECONOMIC, Category.PATHWAY, Category.FREE_TEXT
# What an entry file says, and so what an eligibility assessment keeps a copy of.
ENTRY_FILE_SENSITIVE = (
    Category.HEALTH,
    Category.DISABILITY,
    Category.ADDICTION,
    Category.JUSTICE,
    Category.ORIGIN,
    Category.MINIMUM_INCOME,
)


def _of(model, field, *args, **more):
    return record_field(f"pathways.{model}", field, *args, **more)


def _entry(field, category, purpose, fse="", **more):
    """A field of the entry file: kept as FSE+ evidence (eligibility, entry data)."""
    return _of("Pathway", field, category, purpose, FSE_EVIDENCE, fse=fse, **more)


def _recorded_by(model, field, *args, **more):
    return recorded_by(f"pathways.{model}", field, *args, **more)


ELIGIBILITY = "Critère d'entrée des protocoles."

ENTRIES = (
    _of("Pathway", "number", PATHWAY, "Distinguer les parcours d'une personne qui revient."),
    _of("Pathway", "status", PATHWAY, "Où en est le parcours."),
    _of("Pathway", "referent", PATHWAY, "Qui accompagne la personne dans ce parcours."),
    _of(
        "Pathway",
        "entry_date",
        PATHWAY,
        "Date d'entrée : file active, chiffres, FSE+.",
        FSE_EVIDENCE,
    ),
    _of(
        "Pathway",
        "exit_date",
        PATHWAY,
        "Date de sortie : file active, chiffres, FSE+.",
        FSE_EVIDENCE,
    ),
    _of(
        "Pathway",
        "exit_reason",
        PATHWAY,
        "Motif de sortie : taux de sorties positives.",
        FSE_EVIDENCE,
        sensitive_values=(Category.HEALTH,),
        value_readers=SENSITIVE_DATA_READERS,
        note="« Raisons de santé » est une donnée de santé : les autres rôles lisent « Sortie "
        "non positive (motif non détaillé) », comme pour l'abandon et les autres motifs ni "
        "positifs ni neutres.",
    ),
    _of(
        "Pathway",
        "exit_condition",
        PATHWAY,
        "La condition de sortie positive remplie.",
        FSE_EVIDENCE,
    ),
    _of(
        "Pathway",
        "exit_condition_label",
        PATHWAY,
        "La condition de sortie positive remplie.",
        FSE_EVIDENCE,
    ),
    _of(
        "Pathway",
        "exit_detail",
        FREE_TEXT,
        "Précisions sur la sortie.",
        note="Pour une sortie positive, ces précisions décrivent l'emploi ou la formation : "
        "tous les rôles qui ouvrent le dossier les lisent.",
    ),
    _entry(
        "labour_market_status",
        SOCIO_ECONOMIC,
        "Critère d'entrée ; donnée d'entrée du FSE+.",
        "EECO01, EECO03, EECO04",
    ),
    _entry("registered_job_seeker", SOCIO_ECONOMIC, ELIGIBILITY),
    _entry(
        "out_of_work_since",
        SOCIO_ECONOMIC,
        "Durée sans emploi : critère d'entrée, chômage de longue durée.",
        "EECO02",
    ),
    _entry(
        "education_level",
        SOCIO_ECONOMIC,
        "Critère d'entrée ; tranche CITE du FSE+.",
        "EECO08, EECO09, EECO10",
        shared_on_referral=True,
    ),
    _entry(
        "highest_diploma",
        SOCIO_ECONOMIC,
        "D'où se déduit le niveau de formation.",
        "EECO08, EECO09, EECO10 (par le niveau)",
        shared_on_referral=True,
    ),
    _entry("lacks_basic_skills", SOCIO_ECONOMIC, ELIGIBILITY),
    _entry(
        "receives_rsa",
        Category.MINIMUM_INCOME,
        ELIGIBILITY,
        "Minima sociaux (donnée d'entrée du FSE+)",
    ),
    _entry(
        "receives_other_minimum_benefits",
        Category.MINIMUM_INCOME,
        ELIGIBILITY,
        "Minima sociaux (donnée d'entrée du FSE+)",
    ),
    _entry("socio_professional_orientation", Category.MINIMUM_INCOME, ELIGIBILITY),
    _entry("single_parent", SOCIO_ECONOMIC, ELIGIBILITY, "Ménage : parent isolé"),
    _entry(
        "dependent_children", SOCIO_ECONOMIC, "Situation familiale.", "Ménage : enfants à charge"
    ),
    _entry("homeless_or_housing_exclusion", SOCIO_ECONOMIC, ELIGIBILITY, "EECO16"),
    _entry("disability", Category.DISABILITY, ELIGIBILITY, "EECO12"),
    _entry("long_term_illness", Category.HEALTH, ELIGIBILITY),
    _entry("followed_by_cap_emploi", Category.DISABILITY, ELIGIBILITY),
    _entry("justice_measure", Category.JUSTICE, ELIGIBILITY),
    _entry("far_from_institutions", SOCIO_ECONOMIC, ELIGIBILITY),
    _entry("siae_employee", SOCIO_ECONOMIC, ELIGIBILITY),
    _entry("wishes_to_commit", PATHWAY, ELIGIBILITY),
    _of(
        "Pathway",
        "barriers",
        SOCIO_ECONOMIC,
        "Freins à lever pendant le parcours ; critère d'entrée (protocole 2016-2020).",
        FSE_EVIDENCE,
        sensitive_values=(Category.HEALTH, Category.ADDICTION),
        value_readers=SENSITIVE_DATA_READERS,
        note="Les freins marqués « donnée sensible » dans la nomenclature (santé, conduites "
        "addictives) ne sont ni montrés ni proposés aux autres rôles.",
    ),
    _of("Pathway", "project_maturity", SOCIO_ECONOMIC, "Diagnostic d'entrée."),
    _of("Pathway", "autonomy", SOCIO_ECONOMIC, "Diagnostic d'entrée."),
    _of("Pathway", "entry_notes", FREE_TEXT, "Observations du diagnostic d'entrée."),
    # Eligibility assessments, kept with the facts they were computed from.
    _of(
        "EligibilityAssessment",
        "evaluated_at",
        PATHWAY,
        "Date de l'examen.",
        FSE_EVIDENCE,
        label="examiné le",
    ),
    _recorded_by("EligibilityAssessment", "evaluated_by", "examiné par", readers=CASE_WORKERS),
    _of("EligibilityAssessment", "verdict", PATHWAY, "Éligibilité de la personne.", FSE_EVIDENCE),
    _of(
        "EligibilityAssessment",
        "explanation",
        PATHWAY,
        "Montrer l'examen tel qu'il a été fait, critère par critère.",
        FSE_EVIDENCE,
        sensitive_values=ENTRY_FILE_SENSITIVE,
        value_readers=SENSITIVE_DATA_READERS,
        note="Le résultat des critères sensibles se lit « réservé » pour les autres rôles.",
    ),
    _of(
        "EligibilityAssessment",
        "facts",
        PATHWAY,
        "Garder les données du dossier sur lesquelles l'examen a porté.",
        FSE_EVIDENCE,
        sensitive_values=ENTRY_FILE_SENSITIVE,
        value_readers=SENSITIVE_DATA_READERS,
        note="Copie du dossier d'entrée à la date de l'examen, jamais affichée telle quelle.",
    ),
    # Steps: the evidence of what the pathway brought (jobs, trainings).
    _of(
        "Step",
        "step_type",
        PATHWAY,
        "Étapes du parcours ; conditions de sortie positive.",
        FSE_EVIDENCE,
    ),
    _of("Step", "organisation_name", PATHWAY, "Employeur ou organisme de l'étape.", FSE_EVIDENCE),
    _of("Step", "start_date", PATHWAY, "Durées des étapes.", FSE_EVIDENCE),
    _of("Step", "planned_end_date", PATHWAY, "Étapes qui se terminent (« À suivre »)."),
    _of("Step", "end_date", PATHWAY, "Durées des étapes.", FSE_EVIDENCE),
    _of(
        "Step",
        "weekly_hours",
        PATHWAY,
        "Conditions de sortie positive (temps de travail).",
        FSE_EVIDENCE,
    ),
    _of(
        "Step",
        "part_time_agreed",
        PATHWAY,
        "Accord de la personne pour un temps partiel.",
        FSE_EVIDENCE,
    ),
    _of("Step", "outcome", PATHWAY, "Issue de l'étape.", FSE_EVIDENCE),
    _of("Step", "notes", FREE_TEXT, "Observations sur l'étape."),
    _recorded_by("Step", "created_by", "créé par"),
    # Contacts: their dates also start the record's retention period.
    _of("Contact", "contacted_on", PATHWAY, "Rythme de l'accompagnement ; dernier contact."),
    _of("Contact", "mode", PATHWAY, "Forme du contact."),
    _of("Contact", "duration_minutes", PATHWAY, "Temps d'accompagnement."),
    _of("Contact", "summary", FREE_TEXT, "Compte rendu du contact."),
    _of("Contact", "next_appointment", PATHWAY, "Prochain rendez-vous."),
    _recorded_by("Contact", "by", "par", readers=CASE_WORKERS),
    # A step or contact entered by mistake is withdrawn, not deleted: when, by whom, why.
    *(
        entry
        for model in ("Step", "Contact")
        for entry in (
            _of(model, "withdrawn_at", PATHWAY, "Date du retrait d'une saisie erronée."),
            _recorded_by(model, "withdrawn_by", "retiré par", readers=CASE_WORKERS),
            _of(model, "withdrawal_reason", FREE_TEXT, "Motif du retrait d'une saisie erronée."),
        )
    ),
    # Changes of référent.
    _of("ReferentChange", "changed_on", PATHWAY, "Historique des référents."),
    _of(
        "ReferentChange",
        "previous_referent",
        PATHWAY,
        "Historique des référents.",
        label="référent précédent",
    ),
    _of(
        "ReferentChange",
        "new_referent",
        PATHWAY,
        "Historique des référents.",
        label="nouveau référent",
    ),
    _of("ReferentChange", "reason", FREE_TEXT, "Pourquoi le référent change."),
    # The changes are listed on the transfer page, which only the case leads open.
    _recorded_by("ReferentChange", "by", "par", readers=CASE_LEADS),
    # The six-month follow-up of an exit into employment.
    _of("FollowUp", "due_on", PATHWAY, "Suivi à six mois à faire."),
    _of("FollowUp", "done_on", PATHWAY, "Suivi à six mois fait.", FSE_EVIDENCE),
    _of(
        "FollowUp",
        "situation",
        PATHWAY,
        "Situation six mois après la sortie.",
        FSE_EVIDENCE,
        fse="EECR05, EECR06",
    ),
    _of("FollowUp", "note", FREE_TEXT, "Précisions sur le suivi."),
    _recorded_by("FollowUp", "by", "par"),
)


def declare() -> None:
    declare_personal_data(*ENTRIES)
