"""Who gives a role. Nobody changes their own role. The administrator gives at once only the
roles that open no file (référent, prestataire, comité de pilotage); a role that opens every
file or the administration (`ROLES_NEEDING_APPROVAL`), and any change of an existing
account's role, is a request that a coordinator — neither the one who asked nor the account
concerned — approves or refuses in the application. The command line (`plie role`) gives a
role at once: it is for the installation, and for the PLIE's only coordinator.

Nobody is made superuser in the application (`plie createsuperuser` only); an account's
access to the administration and its Django rights follow its role (`apply_role`).
Each step sends a signal that the journal records (audit/account_events.py).
"""

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from plie.accounts.enums import ROLES_NEEDING_APPROVAL, Role, RoleRequestStatus
from plie.accounts.models import RoleRequest, User

# What the administrator manages in /admin/, by app and model (never a participant's record).
ADMINISTERED_MODELS = {
    "territory": ["programme", "commune", "qpv", "educationlevel", "prescribertype", "barriertype"],
    "programme": ["protocol"],
    "pathways": ["steptype"],
    "actions": ["survey", "surveyquestion"],
    "accounts": ["organisation", "user", "rolerequest"],
}

# Sent with the request (`role_request`) when asked and when decided; with `user`,
# `previous` and `role` when the command line gives a role.
role_requested = Signal()
role_decided = Signal()
role_set_by_command = Signal()


def administered_permissions():
    permissions = Permission.objects.none()
    for app, models in ADMINISTERED_MODELS.items():
        permissions |= Permission.objects.filter(
            content_type__app_label=app, content_type__model__in=models
        ).exclude(codename__startswith="delete_user")
    return permissions


def apply_role(user: User, role: str) -> None:
    """Gives `role`, with what follows from it: the administration for the administrator
    only, with the rights on what it manages; no right given one by one to anyone else."""
    user.role = role
    user.is_staff = role == Role.ADMINISTRATOR
    user.save(update_fields=["role", "is_staff"])
    user.user_permissions.set(administered_permissions() if user.is_staff else [])


def needs_approval(user: User | None, role: str) -> bool:
    """Whether giving `role` waits for a coordinator: a new account's role that opens every
    file or the administration, or any change of an existing account's role."""
    if user is None or user.pk is None:
        return role in ROLES_NEEDING_APPROVAL
    return role != user.role


def check_request(*, user: User | None, role: str, by: User) -> None:
    """ValidationError (in French) when `by` may not ask for `role` for `user`."""
    if user is not None and user.pk is not None and user.pk == by.pk:
        raise ValidationError(
            "Vous ne pouvez pas changer votre propre rôle : demandez-le à un autre "
            "administrateur, que la coordinatrice approuvera."
        )
    if (
        user is not None
        and user.pk is not None
        and RoleRequest.objects.pending().filter(user=user).exists()
    ):
        raise ValidationError(
            "Un changement de rôle de ce compte attend déjà l'accord de la coordinatrice : "
            "attendez sa décision avant d'en demander un autre."
        )


@transaction.atomic
def request_role(*, user: User, role: str, by: User) -> RoleRequest:
    check_request(user=user, role=role, by=by)
    role_request = RoleRequest.objects.create(
        user=user, previous_role=user.role, role=role, requested_by=by
    )
    role_requested.send(sender=RoleRequest, role_request=role_request)
    return role_request


def check_decision(*, role_request: RoleRequest, by: User) -> None:
    if role_request.status != RoleRequestStatus.PENDING:
        raise ValidationError("Cette demande a déjà été décidée.")
    if by.role != Role.COORDINATOR or not by.is_active:
        raise ValidationError("Seule la coordinatrice ou le coordinateur décide des rôles.")
    if by.pk in (role_request.user_id, role_request.requested_by_id):
        raise ValidationError(
            "Une autre personne doit décider : vous avez demandé ce changement, ou il vous "
            "concerne. À défaut, il se fait en ligne de commande (plie role)."
        )


@transaction.atomic
def decide(*, role_request: RoleRequest, approve: bool, by: User) -> RoleRequest:
    role_request = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
    check_decision(role_request=role_request, by=by)
    role_request.status = RoleRequestStatus.APPROVED if approve else RoleRequestStatus.REFUSED
    role_request.decided_by = by
    role_request.decided_at = timezone.now()
    role_request.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        apply_role(role_request.user, role_request.role)
    role_decided.send(sender=RoleRequest, role_request=role_request)
    return role_request


@transaction.atomic
def set_role_by_command(*, user: User, role: str) -> None:
    """The command line gives the role at once (and settles a pending request)."""
    previous = user.role
    RoleRequest.objects.pending().filter(user=user).update(
        status=RoleRequestStatus.REFUSED, decided_at=timezone.now()
    )
    apply_role(user, role)
    role_set_by_command.send(sender=User, user=user, previous=previous, role=role)
