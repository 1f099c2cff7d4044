"""The journal keeps no sensitive value in clear: when an entry is written, the before and
after of a field that the personal-data register calls sensitive (health, disability,
addictions, justice, origin, minimum income, free text), or whose values sometimes are (an
exit « for health reasons », a barrier « Conduites addictives »), are replaced by a mark that
names the field only. The journal still says who changed that field, and when.

Applied to every entry (a pre_save signal on auditlog's LogEntry, connected in apps.py),
and once to the entries written before (migration 0002).
"""

from plie.core.register import register

EMPTY_VALUES = (None, "None", "")


def mark(values) -> dict:
    """What the entry keeps instead of the values: whether each was filled in (a field
    created empty is not worth a line), or for a many-to-many field the operation."""
    if isinstance(values, dict) and values.get("type") == "m2m":
        return {"type": "sensitive", "operation": values.get("operation", "")}
    if isinstance(values, (list, tuple)) and len(values) == 2:
        return {"type": "sensitive", "filled": [value not in EMPTY_VALUES for value in values]}
    return {"type": "sensitive"}


def is_withheld(model_label: str, field: str) -> bool:
    entry = register.get(model_label, field)
    return entry is not None and (entry.sensitive or bool(entry.sensitive_values))


def without_sensitive_values(model_label: str, changes):
    """`changes` (auditlog's field → values) with the sensitive values replaced; the same
    object when there was nothing to replace."""
    if not isinstance(changes, dict):
        return changes
    withheld = [name for name in changes if is_withheld(model_label, name)]
    if not withheld:
        return changes
    return {name: mark(values) if name in withheld else values for name, values in changes.items()}


def keep_no_sensitive_value(sender, instance, **kwargs) -> None:
    if instance.pk is not None or not instance.content_type_id:
        return  # an entry is written once; the chain (chain.py) says if it changed since
    model = instance.content_type.model_class()
    if model is not None:
        instance.changes = without_sensitive_values(model._meta.label, instance.changes)
