"""`plie import` and `plie export`: French summaries, a failing status on errors, --dry-run."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connections

from plie import cli
from plie.territory.models import Programme

from .conftest import counts, replace_cell

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_prints_counts_per_kind_and_journals_one_entry(example, assistant):
    output = run("import", str(example), "--user", "assistante")

    assert output.startswith("Import terminé.")
    assert "dossiers (participants) : 3 lignes — créés : 3, modifiés : 0, inchangés : 0" in output
    assert "étapes : 4 lignes — créés : 4" in output
    entry = LogEntry.objects.get(content_type__model="programme", additional_data__has_key="import")
    assert entry.actor == assistant
    assert entry.additional_data["import"]["lignes"]["participants"]["créés"] == 3


def test_dry_run_reports_what_would_change_and_writes_nothing(example):
    output = run("import", str(example), "--dry-run")

    assert output.startswith("Essai (--dry-run) réussi : tout est valide, rien n'a été enregistré.")
    assert (
        "dossiers (participants) : 3 lignes — à créer : 3, à modifier : 0, inchangés : 0" in output
    )
    assert counts() == (0, 0, 0, 0, 0)
    assert not LogEntry.objects.filter(additional_data__has_key="import").exists()


def test_dry_run_lists_the_errors_too(example):
    replace_cell(example / "parcours.csv", 2, "referent", "personne")

    with pytest.raises(CommandError, match="Import refusé : 1 erreur"):
        call_command("import", str(example), "--dry-run", stderr=io.StringIO())


def test_errors_are_listed_on_stderr_and_the_command_fails(example):
    replace_cell(example / "participants.csv", 2, "sexe", "")
    replace_cell(example / "contacts.csv", 2, "duree_minutes", "900")
    errors = io.StringIO()

    with pytest.raises(CommandError, match="2 erreurs ; rien n'a été enregistré"):
        call_command("import", str(example), stderr=errors)

    assert errors.getvalue().splitlines() == [
        "participants.csv, ligne 2 : sexe : cette valeur est obligatoire, la cellule est vide",
        "contacts.csv, ligne 2 : duree_minutes : 900 est hors limites : indiquez de 1 à 600",
    ]
    assert counts() == (0, 0, 0, 0, 0)


def test_plie_passes_import_through_and_exits_non_zero_on_errors(example, capsys, monkeypatch):
    # run_from_argv closes every connection when it ends, which on PostgreSQL would end the
    # test's own transaction: keep it open.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    cli.main(["plie", "import", str(example), "--dry-run"])
    assert "Essai (--dry-run) réussi" in capsys.readouterr().out

    replace_cell(example / "participants.csv", 2, "sexe", "?")
    with pytest.raises(SystemExit) as exit_:
        cli.main(["plie", "import", str(example)])
    assert exit_.value.code == 1
    assert "participants.csv, ligne 2 : sexe" in capsys.readouterr().err


def test_export_writes_a_folder_or_a_workbook_and_refuses_to_overwrite(example, tmp_path):
    run("import", str(example))

    output = run("export", str(tmp_path / "out"))
    assert output.splitlines()[1:] == [
        "  participants : 3 lignes",
        "  orientations : 3 lignes",
        "  parcours : 2 lignes",
        "  sorties : 1 ligne",
        "  etapes : 4 lignes",
        "  contacts : 3 lignes",
    ]
    assert "participants : 3 lignes" in run("export", str(tmp_path / "out.xlsx"))
    with pytest.raises(CommandError, match=r"contient déjà participants\.csv"):
        call_command("export", str(tmp_path / "out"))
    run("export", str(tmp_path / "out"), "--overwrite")
    assert (
        LogEntry.objects.filter(
            action=LogEntry.Action.ACCESS, object_id=Programme.current().pk
        ).count()
        == 3
    )


def test_an_unknown_user_is_refused_before_anything(example):
    with pytest.raises(CommandError, match="Aucun compte « fantome »"):
        call_command("import", str(example), "--user", "fantome")
