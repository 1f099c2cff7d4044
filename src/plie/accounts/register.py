"""The personal data of the users' accounts and of their logins, for the personal-data
register (core.register, docs/personal-data.md); declared when the app is ready."""

from plie.accounts.enums import (
    ADMINISTRATORS,
    CASE_WORKERS,
    COORDINATION_TEAM,
    JOURNAL_READERS,
    Role,
)
from plie.core.register import (
    Category,
    PersonalField,
    Retention,
    Subject,
    declare_personal_data,
    declare_roles,
)

EVERY_ROLE_BUT_OUTSIDERS = CASE_WORKERS | ADMINISTRATORS
# The coordinator reads accounts' rights in the journal and decides the roles asked for.
RIGHTS_READERS = ADMINISTRATORS | JOURNAL_READERS


def _account(field: str, category: Category, purpose: str, readers=ADMINISTRATORS, **more):
    return PersonalField(
        "accounts.User",
        field,
        Subject.STAFF,
        category,
        purpose,
        frozenset(readers),
        Retention.STAFF_ACCOUNT,
        **more,
    )


def _login(model: str, field: str, purpose: str, **more):
    return PersonalField(
        f"axes.{model}",
        field,
        Subject.STAFF,
        Category.TRACE,
        purpose,
        ADMINISTRATORS,
        Retention.JOURNAL,
        **more,
    )


def _second_factor(model: str, field: str, label: str, purpose: str, **more):
    return PersonalField(
        model,
        field,
        Subject.STAFF,
        Category.ACCOUNT,
        purpose,
        frozenset(),
        Retention.STAFF_ACCOUNT,
        label=label,
        **more,
    )


LOCKOUT = (
    "Bloquer 15 minutes un compte après 5 échecs de connexion, une adresse après 20 "
    "(plie.accounts.lockout)."
)

ENTRIES = (
    _account(
        "password",
        Category.ACCOUNT,
        "Se connecter : seule l'empreinte du mot de passe est gardée, jamais le mot de passe.",
        readers=(),
        note="Jamais affichée ; le journal ne la suit pas.",
    ),
    _account("last_login", Category.TRACE, "Repérer les comptes qui ne servent plus."),
    _account("username", Category.ACCOUNT, "Se connecter.", readers=RIGHTS_READERS),
    _account(
        "first_name",
        Category.IDENTITY,
        "Nommer qui accompagne, décide et écrit dans les dossiers.",
        readers=EVERY_ROLE_BUT_OUTSIDERS,
        note="Chaque utilisateur lit aussi son propre nom, son rôle et sa structure.",
    ),
    _account(
        "last_name",
        Category.IDENTITY,
        "Nommer qui accompagne, décide et écrit dans les dossiers.",
        readers=EVERY_ROLE_BUT_OUTSIDERS,
    ),
    _account("email", Category.ACCOUNT, "Joindre l'utilisateur au sujet de son compte."),
    _account(
        "is_active",
        Category.ACCOUNT,
        "Fermer l'accès d'une personne qui part.",
        readers=RIGHTS_READERS,
    ),
    _account("date_joined", Category.ACCOUNT, "Date de création du compte."),
    _account(
        "is_staff",
        Category.ACCOUNT,
        "Ouvrir l'administration (nomenclatures, comptes) : suit le rôle d'administrateur.",
        readers=RIGHTS_READERS,
    ),
    _account(
        "is_superuser",
        Category.ACCOUNT,
        "Donner tous les droits (à éviter) : seulement en ligne de commande.",
        readers=RIGHTS_READERS,
    ),
    _account(
        "role",
        Category.ACCOUNT,
        "Décider ce que la personne voit et fait (docs/architecture.md, « Accès aux dossiers »).",
        readers=RIGHTS_READERS,
    ),
    _account(
        "organisation",
        Category.ACCOUNT,
        "La structure qui emploie la personne (référents par structure, extraction).",
        readers=EVERY_ROLE_BUT_OUTSIDERS,
    ),
    _account("groups", Category.ACCOUNT, "Groupes de droits de Django (inutilisés : les rôles)."),
    _account(
        "user_permissions",
        Category.ACCOUNT,
        "Droits de Django donnés un par un (inutilisés : les rôles décident).",
    ),
    # A role asked for in the administration, decided by a coordinator (accounts/roles.py).
    *(
        PersonalField(
            "accounts.RoleRequest",
            field,
            Subject.STAFF,
            Category.ACCOUNT if field in ("previous_role", "role", "status") else Category.TRACE,
            "Donner un rôle qui ouvre tous les dossiers seulement avec l'accord de la "
            "coordinatrice, et savoir qui l'a demandé et décidé.",
            RIGHTS_READERS,
            Retention.STAFF_ACCOUNT,
            label=label,
        )
        for field, label in (
            ("user", "compte"),
            ("previous_role", "rôle d'avant"),
            ("role", "rôle demandé"),
            ("requested_by", "demandé par"),
            ("requested_at", "demandé le"),
            ("status", "décision"),
            ("decided_by", "décidé par"),
            ("decided_at", "décidé le"),
        )
    ),
    # django-axes, which throttles logins (docs/architecture.md, « Sécurité »).
    _login("AccessAttempt", "username", LOCKOUT),
    _login("AccessAttempt", "ip_address", LOCKOUT),
    _login(
        "AccessAttempt",
        "user_agent",
        LOCKOUT,
        label="navigateur utilisé",
    ),
    _login("AccessAttempt", "attempt_time", LOCKOUT),
    _login(
        "AccessAttempt",
        "get_data",
        "Contexte de la tentative de connexion.",
        note="Les mots de passe tapés ne sont pas gardés (django-axes les masque).",
    ),
    _login("AccessAttempt", "post_data", "Contexte de la tentative de connexion."),
    _login("AccessLog", "username", "Historique des connexions réussies."),
    _login("AccessLog", "ip_address", "Historique des connexions réussies."),
    _login(
        "AccessLog",
        "user_agent",
        "Historique des connexions réussies.",
        label="navigateur utilisé",
    ),
    _login("AccessLog", "attempt_time", "Historique des connexions réussies."),
    _login("AccessLog", "logout_time", "Historique des connexions réussies."),
    # django-otp, the second factor (docs/security.md, « Second facteur »).
    _second_factor(
        "otp_totp.TOTPDevice",
        "key",
        "clé secrète de l'application d'authentification",
        "Vérifier les codes du second facteur.",
        note="Montrée une seule fois, à l'ajout de l'application ; ni l'administration ni le "
        "journal ne la montrent.",
    ),
    _second_factor(
        "otp_totp.TOTPDevice",
        "last_used_at",
        "dernière utilisation de l'application d'authentification",
        "Repérer un second facteur qui ne sert plus.",
    ),
    # The base layer's tables link to users; core knows no role, so they are declared here.
    PersonalField(
        "core.StoredFile",
        "uploaded_by",
        Subject.STAFF,
        Category.TRACE,
        "Savoir qui a déposé un document (une offre, un livrable, un justificatif).",
        COORDINATION_TEAM | {Role.PROVIDER},
        Retention.FSE_EVIDENCE,
        note="Le prestataire ne le lit que pour les documents de sa structure.",
    ),
    PersonalField(
        "core.Notice",
        "recipient",
        Subject.STAFF,
        Category.ACCOUNT,
        "Prévenir un utilisateur de ce qui l'attend (consultation, livrable, attribution).",
        frozenset(),
        Retention.STAFF_ACCOUNT,
        note="Chaque utilisateur lit ses propres avis, et personne d'autre.",
    ),
    _second_factor(
        "otp_static.StaticToken",
        "token",
        "code de secours",
        "Se connecter sans son téléphone : chaque code sert une fois.",
        note="Montrés une seule fois, quand ils sont créés.",
    ),
)


def declare() -> None:
    declare_roles(Role.choices)
    declare_personal_data(*ENTRIES)
