"""`import_path`: an import from start to end, all or nothing, and the report it gives.

1. open the source and check its headers and encodings (reading.py);
2. check every row of every file against the database's state (checking.py), listing
   every problem;
3. only if there is none, write everything in one transaction (writing.py), and record
   one summary entry in the journal (auditlog does not see bulk writes).
With `dry_run`, step 3 runs too, so that the counts are exact, but its transaction is
rolled back: nothing stays written.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from pathlib import Path

from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from plie.core.plurals import counted
from plie.territory.models import Programme

from .checking import Checker
from .formats import KINDS, lines_of
from .lookups import Lookups
from .reading import Problem, open_source
from .writing import CREATED, UNCHANGED, UPDATED, Writer

KIND_LABELS = {
    "participants": "dossiers (participants)",
    "orientations": "orientations",
    "parcours": "parcours",
    "sorties": "sorties",
    "etapes": "étapes",
    "contacts": "contacts",
}


@dataclasses.dataclass
class ImportReport:
    path: Path
    dry_run: bool
    problems: list[Problem] = dataclasses.field(default_factory=list)
    rows: dict[str, int] = dataclasses.field(default_factory=dict)
    counts: dict[str, Counter] = dataclasses.field(default_factory=dict)
    states_changed: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def _frequent_reasons(self) -> list[str]:
        """The same reason on many lines (a missing account, an unknown prescriber) is said
        once first, so that a person sees what to create before reading every line."""
        reasons = Counter(problem.message for problem in self.problems)
        frequent = [(message, n) for message, n in reasons.most_common(10) if n >= 5]
        if not frequent:
            return []
        return [
            "Erreurs les plus fréquentes :",
            *(f"  {n} lignes — {message}" for message, n in frequent),
            "Détail ligne par ligne :",
        ]

    def summary(self) -> list[str]:
        """The French lines a person reads after the import."""
        if not self.ok:
            count = len(self.problems)
            return [
                f"Import refusé : {counted(count, 'une erreur')} ; rien n'a été "
                "enregistré. Corrigez les lignes indiquées puis relancez l'import.",
                *self._frequent_reasons(),
                *(str(problem) for problem in self.problems),
            ]
        head = (
            "Essai (--dry-run) réussi : tout est valide, rien n'a été enregistré."
            if self.dry_run
            else "Import terminé."
        )
        lines = [f"{head} ({self.seconds:.1f} s)"]
        labels = (
            ("à créer", "à modifier", "inchangés")
            if self.dry_run
            else (CREATED, UPDATED, UNCHANGED)
        )
        for kind in KINDS:
            if kind.name not in self.counts:
                continue
            counts = self.counts[kind.name]
            figures = ", ".join(
                f"{label} : {counts[key]}"
                for label, key in zip(labels, (CREATED, UPDATED, UNCHANGED), strict=True)
            )
            lines.append(
                f"  {KIND_LABELS[kind.name]} : {lines_of(self.rows.get(kind.name, 0))} — {figures}"
            )
        if all(not counts[CREATED] and not counts[UPDATED] for counts in self.counts.values()):
            lines.append("Rien à faire : tout était déjà à jour.")
        if self.states_changed:
            lines.append(
                "  situation ou référent(e) recalculés pour "
                + counted(self.states_changed, "un dossier")
            )
        return lines


def import_path(path, *, dry_run: bool = False, by=None) -> ImportReport:
    started = time.monotonic()
    report = ImportReport(Path(path), dry_run)
    programme = Programme.current()
    if programme is None:
        report.problems.append(
            Problem(
                str(path),
                None,
                "aucun PLIE n'est configuré : chargez d'abord un territoire "
                "(plie territory load …)",
            )
        )
        return report
    with translation.override("fr"), open_source(path) as source:
        if source.problems:
            report.problems = source.problems
            return report
        lookups = Lookups(programme)
        today = timezone.localdate()
        checker = Checker(source, programme=programme, lookups=lookups, today=today)
        report.problems = checker.run()
        report.rows = dict(checker.row_counts)
        if report.problems:
            return report
        try:
            with transaction.atomic():
                writer = Writer(source, checker, programme=programme, by=by, today=today)
                report.counts = {name: writer.counts[name] for name in source.tables}
                writer.run()
                report.states_changed = writer.states_changed
                report.seconds = time.monotonic() - started
                if dry_run:
                    transaction.set_rollback(True)
                else:
                    _journal(programme, report, by)
        except IntegrityError:
            # Someone saved a clashing record between the check and the write.
            report.problems = [
                Problem(
                    str(path),
                    None,
                    "des dossiers ont été enregistrés pendant l'import (numéro ou identifiant "
                    "déjà pris) : rien n'a été enregistré, relancez l'import",
                )
            ]
    return report


def _journal(programme, report: ImportReport, by) -> None:
    """One entry for the whole import: the rows themselves are written in bulk, unseen."""
    counts = {
        name: {label: counts[label] for label in (CREATED, UPDATED, UNCHANGED)}
        for name, counts in report.counts.items()
    }
    LogEntry.objects.log_create(
        programme,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=by,
        changes={"import": ["", f"Import de {report.path.name}"]},
        additional_data={"import": {"fichier": report.path.name, "lignes": counts}},
    )
