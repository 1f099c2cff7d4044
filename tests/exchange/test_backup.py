"""`plie backup` and `plie restore`, on the engine the suite runs on (SQLite, or PostgreSQL with
DATABASE_URL): a round trip gives identical exports; the archive is the owner's only; a
restore refuses what it cannot restore, asks before replacing, and never half-writes."""

import dataclasses
import errno
import hashlib
import io
import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from plie.core.models import StoredFile
from plie.core.uploads import store
from plie.demo.generator import generate
from plie.exchange import backup as backups
from plie.exchange.backup import BackupError, backup, read_manifest, restore
from plie.exchange.exporter import export_path
from plie.participants.models import Participant
from plie.pathways.models import Contact, Step
from plie.reporting.models import QualityRun

from .conftest import TODAY

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and psql: PostgreSQL only"
)


def exported(folder: Path) -> dict[str, bytes]:
    """Every file of a CSV export, by name."""
    export_path(folder)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def spoil() -> None:
    """What a day's work, or a mistake, does to the data after the backup."""
    person = Participant.objects.order_by("pk").first()
    person.last_name = "Remplacé"
    person.save()
    Contact.objects.filter(pk__in=Contact.objects.order_by("pk").values("pk")[:20]).delete()
    # Steps of their own (an action's step goes with its referral, which protects it).
    own = Step.objects.filter(action_referral__isnull=True).order_by("-pk")
    Step.objects.filter(pk__in=own.values("pk")[:5]).delete()


def rewritten(archive: Path, target: Path, **manifest_changes) -> Path:
    """A copy of `archive` whose manifest says something else."""
    manifest = dataclasses.replace(read_manifest(archive), **manifest_changes)
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as copy:
        for member in source.namelist():
            data = manifest.to_json() if member == backups.MANIFEST else source.read(member)
            copy.writestr(member, data)
    return target


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


@pytest.fixture
def demo(territory):
    generate(seed=5, participants=25, today=TODAY)


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_exports_exactly_what_was_exported_before(demo, tmp_path, data_dir):
    before = exported(tmp_path / "avant")
    archive = backup(tmp_path / "sauvegarde.zip").path

    spoil()
    assert exported(tmp_path / "entre") != before

    report = restore(archive)

    assert not report.migrated
    assert exported(tmp_path / "apres") == before
    assert LogEntry.objects.filter(additional_data__has_key="restauration").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_documents_received_travel_with_the_backup(territory, tmp_path, uploads_folder):
    stored = store(SimpleUploadedFile("offre.pdf", b"%PDF-1.4\n%%EOF\n" + b"x" * 5000), user=None)
    archive = backup(tmp_path / "sauvegarde.zip").path
    with zipfile.ZipFile(archive) as opened:
        assert f"documents/{stored.file.name}" in opened.namelist()
    shutil.rmtree(uploads_folder)  # the disk of the documents is lost

    restore(archive)

    restored = StoredFile.objects.get()
    with restored.file.open("rb") as file:
        assert hashlib.sha256(file.read()).hexdigest() == stored.sha256


@pytest.mark.django_db(transaction=True)
def test_the_archive_is_readable_by_its_owner_only_whatever_the_umask(territory, tmp_path):
    previous = os.umask(0)
    try:
        report = backup(tmp_path / "sauvegarde.zip")
    finally:
        os.umask(previous)

    assert stat.S_IMODE(report.path.stat().st_mode) == 0o600
    manifest = read_manifest(report.path)
    assert manifest.engine == connection.vendor
    assert ("participants", "0001_initial") in manifest.migrations
    assert [path.name for path in tmp_path.iterdir()] == ["sauvegarde.zip"]  # no leftover


@pytest.mark.django_db(transaction=True)
def test_without_a_path_the_backup_goes_to_an_owner_only_folder_of_the_data(territory, data_dir):
    report = backup()

    assert report.path.parent == data_dir / "sauvegardes"
    assert stat.S_IMODE(report.path.parent.stat().st_mode) == 0o700
    assert report.path.name.startswith("plie-") and report.path.suffix == ".zip"


@pytest.mark.django_db
def test_an_existing_file_is_not_replaced_without_overwrite(territory, tmp_path):
    existing = tmp_path / "sauvegarde.zip"
    existing.write_bytes(b"autre chose")

    with pytest.raises(BackupError, match="existe déjà : choisissez un autre nom, ou ajoutez"):
        backup(existing)
    assert existing.read_bytes() == b"autre chose"


@pytest.mark.django_db(transaction=True)
def test_a_full_disk_leaves_no_file_and_a_french_message(territory, tmp_path, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", full_disk)

    with pytest.raises(BackupError, match="aucune sauvegarde n'a été écrite ; libérez de la"):
        backup(tmp_path / "sauvegarde.zip")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    other = tmp_path / "export.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("participants.csv", "id;nom\n")

    with pytest.raises(BackupError, match=r"export\.zip n'est pas une sauvegarde faite par"):
        read_manifest(other)


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_other_engine_is_refused(territory, tmp_path):
    archive = backup(tmp_path / "sauvegarde.zip").path
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    foreign = rewritten(archive, tmp_path / "autre.zip", engine=other)

    with pytest.raises(BackupError, match="ne passe pas d'un moteur à l'autre"):
        restore(foreign)


@pytest.mark.django_db(transaction=True)
def test_a_backup_from_a_newer_version_is_refused_and_nothing_changes(demo, tmp_path):
    archive = backup(tmp_path / "sauvegarde.zip").path
    manifest = read_manifest(archive)
    newer = rewritten(
        archive,
        tmp_path / "future.zip",
        migrations=manifest.migrations | {("pathways", "9999_future")},
        application_version="9.0",
    )
    spoil()
    after_spoiling = exported(tmp_path / "avant")

    with pytest.raises(BackupError, match=r"version plus récente de l'application \(9.0\)"):
        restore(newer)
    assert exported(tmp_path / "apres") == after_spoiling


@pytest.mark.django_db(transaction=True)
def test_a_backup_from_an_older_version_is_restored_then_migrated(territory, tmp_path):
    call_command("migrate", "reporting", "0001", verbosity=0)
    archive = backup(tmp_path / "ancienne.zip").path
    call_command("migrate", "reporting", verbosity=0)
    assert ("reporting", "0002_quality_run") not in read_manifest(archive).migrations

    report = restore(archive)

    assert report.migrated
    assert QualityRun.objects.count() == 0  # its table is back


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_restores_nothing(demo, tmp_path):
    archive = backup(tmp_path / "sauvegarde.zip").path
    damaged = tmp_path / "abimee.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(damaged, "w") as copy:
        copy.writestr(backups.MANIFEST, source.read(backups.MANIFEST))
        database = backups.MEMBERS[connection.vendor]
        copy.writestr(database, source.read(database), compress_type=zipfile.ZIP_STORED)
    # One byte flipped in the middle of the stored database: its CRC no longer matches.
    with zipfile.ZipFile(damaged) as archive_file:
        info = archive_file.getinfo(database)
    raw = bytearray(damaged.read_bytes())
    middle = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.file_size // 2
    raw[middle] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    spoil()
    after_spoiling = exported(tmp_path / "avant")

    with pytest.raises(BackupError, match="abîmée"):
        restore(damaged)
    assert exported(tmp_path / "apres") == after_spoiling


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_dump_that_fails_half_way_leaves_the_data_as_it_was(demo, tmp_path):
    archive = backup(tmp_path / "sauvegarde.zip").path
    truncated = tmp_path / "tronquee.zip"
    database = backups.MEMBERS["postgresql"]
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(truncated, "w") as copy:
        copy.writestr(backups.MANIFEST, source.read(backups.MANIFEST))
        dump = source.read(database)
        copy.writestr(database, dump[: len(dump) * 2 // 3])  # a valid CRC, a cut dump
    spoil()
    after_spoiling = exported(tmp_path / "avant")

    with pytest.raises(BackupError, match=r"pg_restore a échoué .* rien n'a été modifié"):
        restore(truncated)
    assert exported(tmp_path / "apres") == after_spoiling


def test_without_postgresql_client_tools_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setattr(backups.shutil, "which", lambda tool: None)

    with pytest.raises(BackupError) as refused:
        backups._postgresql_environment()
    assert str(refused.value).startswith(
        "Outils clients de PostgreSQL introuvables (pg_dump, pg_restore, psql) : installez-les "
        "(sous Debian : apt-get install postgresql-client)"
    )


# The commands ---------------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_restore_asks_first_and_an_answer_other_than_oui_changes_nothing(
    demo, tmp_path, data_dir, monkeypatch
):
    archive = tmp_path / "sauvegarde.zip"
    assert "Sauvegarde écrite dans" in run("backup", str(archive))
    spoil()
    after_spoiling = exported(tmp_path / "avant")
    monkeypatch.setattr("builtins.input", lambda prompt: "non")

    with pytest.raises(CommandError, match="Restauration annulée : rien n'a été modifié"):
        run("restore", str(archive))
    assert exported(tmp_path / "apres") == after_spoiling
    assert not (data_dir / "sauvegardes").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_with_oui_keeps_a_copy_of_the_replaced_data_first(demo, tmp_path, data_dir):
    archive = tmp_path / "sauvegarde.zip"
    run("backup", str(archive))
    spoil()
    spoiled = exported(tmp_path / "abime")

    output = run("restore", str(archive), "--oui")

    assert "Restauration terminée : sauvegarde" in output
    (safety,) = (data_dir / "sauvegardes").iterdir()
    assert safety.name.startswith("avant-restauration-")
    assert f"Données actuelles sauvegardées d'abord dans {safety}" in output
    restore(safety)  # the mistake undone
    assert exported(tmp_path / "defait") == spoiled


@pytest.mark.django_db(transaction=True)
def test_restore_onto_a_new_server_s_empty_database(demo, tmp_path, data_dir):
    before = exported(tmp_path / "avant")
    archive = tmp_path / "sauvegarde.zip"
    run("backup", str(archive))
    with connection.cursor() as cursor:  # a database never migrated, as on a new server
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        for table in connection.introspection.table_names(cursor):
            cascade = " CASCADE" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}{cascade}")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = ON")

    output = run("restore", str(archive), "--oui")

    assert "La base actuelle est vide : rien à sauvegarder d'abord." in output
    assert exported(tmp_path / "apres") == before
