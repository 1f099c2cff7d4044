"""`plie backup` and `plie restore`: the whole database in one file, and back.

A backup is a ZIP archive readable only by its owner (0600: it holds every personal record)
with `sauvegarde.json`, which says which engine made it, when, with which version of the
application and in which migration state, the documents received (`documents/`, under
their stored names) and the database itself — on
SQLite a consistent copy made by SQLite's online backup API (safe while the server writes:
in WAL mode the copy reads one snapshot), on PostgreSQL a `pg_dump` archive in its custom
format. The archive is written under a temporary name and renamed when complete: a file
with the final name is always whole.

A restore replaces all the current data, in one transaction: SQLite's backup API copies the
archive's pages into the live database at once; on PostgreSQL, one `psql` session drops
the schema's tables and replays `pg_restore`'s script, and commits only if the whole script
went through. It refuses an archive from the other engine, or from a newer version of the
application (a migration this code does not know); an archive from an older version is
restored, then migrated. Caches are emptied afterwards (charts and lists kept from the
replaced data), and both operations are journaled.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from auditlog.models import LogEntry
from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from plie.core import formatting
from plie.core.models import StoredFile, uploads_storage
from plie.territory.models import Programme

FORMAT = 1  # of the archive; a reader refuses a format it does not know
MANIFEST = "sauvegarde.json"
MEMBERS = {"sqlite": "base.sqlite3", "postgresql": "base.pgdump"}
DOCUMENTS = "documents/"  # the documents received, under their stored names
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
OWNER_ONLY = 0o600
CHUNK = 1024 * 1024
POSTGRESQL_TOOLS = ("pg_dump", "pg_restore", "psql")


class BackupError(Exception):
    """The backup or the restore cannot be done; the message is French and says what to do."""


@dataclasses.dataclass(frozen=True)
class Manifest:
    """What the archive says of itself (`sauvegarde.json`)."""

    engine: str
    created_at: datetime.datetime
    application_version: str
    migrations: frozenset[tuple[str, str]]

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "application": "plie",
                "version": self.application_version,
                "base": self.engine,
                "cree_le": self.created_at.isoformat(timespec="seconds"),
                "migrations": [list(pair) for pair in sorted(self.migrations)],
            },
            ensure_ascii=False,
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str, name: str) -> Manifest:
        try:
            data = json.loads(text)
            if data.get("application") != "plie":
                raise ValueError
            if data.get("format") != FORMAT:
                raise BackupError(
                    f"{name} : format de sauvegarde {data.get('format')} inconnu de cette "
                    "version de l'application ; restaurez-la avec la version qui l'a faite."
                )
            return cls(
                engine=data["base"],
                created_at=datetime.datetime.fromisoformat(data["cree_le"]),
                application_version=data["version"],
                migrations=frozenset((app, migration) for app, migration in data["migrations"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise BackupError(
                f"{name} : la description de la sauvegarde ({MANIFEST}) est illisible ; "
                "ce fichier n'a pas été fait par « plie backup », ou il est abîmé."
            ) from error

    @property
    def engine_label(self) -> str:
        return ENGINE_LABELS.get(self.engine, self.engine)

    def describe(self) -> str:
        made = formatting.moment(timezone.localtime(self.created_at))
        return (
            f"sauvegarde {self.engine_label} du {made} "
            f"(application {self.application_version}, {len(self.migrations)} migrations)"
        )


@dataclasses.dataclass(frozen=True)
class BackupReport:
    path: Path
    manifest: Manifest
    size: int


@dataclasses.dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    migrated: bool  # the archive came from an older version and was brought up to date


def current_engine() -> str:
    if connection.vendor not in MEMBERS:
        raise BackupError(
            f"La base {connection.vendor} n'est pas prise en charge : seules SQLite et "
            "PostgreSQL se sauvegardent avec « plie backup »."
        )
    return connection.vendor


def database_is_empty() -> bool:
    """A new server's database, never migrated: nothing in it to keep before a restore."""
    return MigrationRecorder.Migration._meta.db_table not in connection.introspection.table_names()


def default_path(prefix: str = "plie") -> Path:
    """data/sauvegardes/plie-AAAAMMJJ-HHMMSS.zip, the folder readable by the owner only."""
    folder = Path(settings.DATA_DIR) / "sauvegardes"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return folder / f"{prefix}-{stamp}.zip"


# Backup --------------------------------------------------------------------------------------


def backup(path: Path | str | None = None, *, overwrite: bool = False, by=None) -> BackupReport:
    """Write the whole database to `path` (a new file, or a folder to put it in)."""
    engine = current_engine()
    path = _destination(path, overwrite)
    try:
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".plie-sauvegarde-") as work:
            database = Path(work) / MEMBERS[engine]
            migrations = (
                _sqlite_copy(database) if engine == "sqlite" else _postgresql_dump(database)
            )
            manifest = Manifest(
                engine=engine,
                created_at=timezone.now(),
                application_version=_application_version(),
                migrations=migrations,
            )
            partial = Path(work) / "archive.zip"
            with _owner_only(partial) as file, zipfile.ZipFile(file, "w") as archive:
                archive.writestr(MANIFEST, manifest.to_json())
                # SQLite's pages compress well; pg_dump's custom format is compressed already.
                compression = zipfile.ZIP_DEFLATED if engine == "sqlite" else zipfile.ZIP_STORED
                archive.write(database, MEMBERS[engine], compress_type=compression)
                _archive_documents(archive)
            os.replace(partial, path)  # the final name appears only once the file is whole
    except OSError as error:  # a full disk, a folder one may not write in
        raise BackupError(
            f"Écriture impossible dans {path.parent} ({error.strerror or error}) : aucune "
            "sauvegarde n'a été écrite ; libérez de la place ou choisissez un autre dossier."
        ) from error
    _journal({"sauvegarde": {"fichier": path.name, "base": manifest.engine_label}}, by)
    return BackupReport(path, manifest, path.stat().st_size)


def _destination(path: Path | str | None, overwrite: bool) -> Path:
    if path is None:
        return default_path()
    path = Path(path)
    if path.is_dir():
        return path / default_path().name
    if not path.parent.is_dir():
        raise BackupError(
            f"Le dossier {path.parent} n'existe pas : créez-le, ou choisissez-en un autre."
        )
    if path.exists() and not overwrite:
        raise BackupError(
            f"{path} existe déjà : choisissez un autre nom, ou ajoutez --overwrite pour le remplacer."
        )
    return path


@contextlib.contextmanager
def _owner_only(path: Path) -> Iterator:
    """A new file that only its owner can read or write, whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    os.fchmod(descriptor, OWNER_ONLY)
    with os.fdopen(descriptor, "wb") as file:
        yield file


def _application_version() -> str:
    try:
        return metadata.version("plie")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "inconnue"


def _sqlite_copy(target: Path) -> frozenset[tuple[str, str]]:
    """A consistent copy of the live database, by SQLite's online backup API, in one step
    (one read snapshot); the migration state is read from the copy itself."""
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside
        has_migrations = copy.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone()
        rows = (
            copy.execute("SELECT app, name FROM django_migrations").fetchall()
            if has_migrations
            else []
        )
    os.chmod(target, OWNER_ONLY)
    return frozenset(rows)


def _postgresql_dump(target: Path) -> frozenset[tuple[str, str]]:
    environment = _postgresql_environment()
    migrations = frozenset(MigrationRecorder(connection).applied_migrations())
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
        ],
        environment,
        "pg_dump",
    )
    os.chmod(target, OWNER_ONLY)
    return migrations


# Restore -------------------------------------------------------------------------------------


def read_manifest(path: Path | str) -> Manifest:
    """The archive's own description; refuses a file that is not a backup."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} : fichier introuvable ; vérifiez le chemin de la sauvegarde.")
    try:
        with zipfile.ZipFile(path) as archive:
            text = archive.read(MANIFEST).decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError) as error:
        raise BackupError(
            f"{path.name} n'est pas une sauvegarde faite par « plie backup » "
            "(une archive ZIP qui contient sauvegarde.json)."
        ) from error
    return Manifest.from_json(text, path.name)


def check_restorable(manifest: Manifest, name: str) -> None:
    """Refuse an archive of the other engine, or one made by a newer version of the code."""
    engine = current_engine()
    if manifest.engine != engine:
        raise BackupError(
            f"{name} est une sauvegarde {manifest.engine_label} ; la base actuelle est "
            f"{ENGINE_LABELS[engine]}. Restaurez-la sur une base {manifest.engine_label} "
            "(variable DATABASE_URL) : une sauvegarde ne passe pas d'un moteur à l'autre."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(manifest.migrations - known)
    if unknown:
        listed = ", ".join(f"{app} {migration}" for app, migration in unknown[:3])
        more = f" et {len(unknown) - 3} autres" if len(unknown) > 3 else ""
        raise BackupError(
            f"{name} vient d'une version plus récente de l'application "
            f"({manifest.application_version}) : migrations inconnues ici ({listed}{more}). "
            "Installez cette version (ou une plus récente), puis restaurez."
        )


def restore(path: Path | str, *, by=None) -> RestoreReport:
    """Replace the whole database by the archive's; migrate it if it is older than the code."""
    path = Path(path)
    manifest = read_manifest(path)
    check_restorable(manifest, path.name)
    if connection.in_atomic_block:
        raise BackupError("La restauration ne peut pas se faire dans une transaction en cours.")
    work_root = Path(settings.DATA_DIR)
    work_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work_root, prefix=".plie-restauration-") as work:
        database = _extract(path, manifest.engine, Path(work))
        if manifest.engine == "sqlite":
            _sqlite_load(database, path.name)
        else:
            _postgresql_load(database)
    _restore_documents(path)
    known = set(MigrationRecorder(connection).applied_migrations())
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    migrated = bool(on_disk - known)
    if migrated:
        call_command("migrate", interactive=False, verbosity=0)
    cache.clear()  # charts, lists and figures kept from the replaced data
    made = manifest.created_at.isoformat(timespec="seconds")
    _journal({"restauration": {"fichier": path.name, "sauvegarde_du": made}}, by)
    return RestoreReport(manifest, migrated)


def _archive_documents(archive: zipfile.ZipFile) -> None:
    """The documents received (core.StoredFile) beside the base, under their stored names:
    the rows without their files would be empty shells. Read through the uploads storage,
    so a store outside this machine is saved too. Their formats are compressed already."""
    for name in StoredFile.objects.order_by("pk").values_list("file", flat=True).iterator():
        with (
            uploads_storage.open(name, "rb") as source,
            archive.open(DOCUMENTS + name, "w", force_zip64=True) as target,
        ):
            shutil.copyfileobj(source, target, CHUNK)


def _restore_documents(path: Path) -> None:
    """Put back the archive's documents that the storage lacks (a stored name is never
    reused: one present is the same file)."""
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if not member.startswith(DOCUMENTS) or member.endswith("/"):
                continue
            name = member.removeprefix(DOCUMENTS)
            if uploads_storage.exists(name):
                continue
            with archive.open(member) as source:
                uploads_storage.save(name, File(source, name=name))


def _extract(path: Path, engine: str, folder: Path) -> Path:
    target = folder / MEMBERS[engine]
    try:
        with (
            zipfile.ZipFile(path) as archive,
            archive.open(MEMBERS[engine]) as source,
            _owner_only(target) as file,
        ):
            shutil.copyfileobj(source, file, CHUNK)
    # A CRC mismatch is a BadZipFile; damaged compressed data, a zlib error or an early end.
    except (zipfile.BadZipFile, KeyError, zlib.error, EOFError) as error:
        raise BackupError(
            f"{path.name} est abîmée (la base qu'elle contient est incomplète ou altérée) : "
            "rien n'a été restauré ; prenez une autre sauvegarde."
        ) from error
    return target


def _sqlite_load(database: Path, name: str) -> None:
    """Copy the archive's pages into the live database, in one step and one transaction."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as source:
        try:
            source.execute("SELECT count(*) FROM django_migrations").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(
                f"{name} : la base qu'elle contient n'est pas lisible par SQLite ; "
                "rien n'a été restauré ; prenez une autre sauvegarde."
            ) from error
        connection.ensure_connection()
        try:
            source.backup(connection.connection)
        except sqlite3.OperationalError as error:
            raise BackupError(
                "La base actuelle est occupée (une écriture est en cours) : rien n'a été "
                "restauré ; arrêtez le serveur (plie serve) puis recommencez."
            ) from error


# Every table, view and sequence of the schema, dropped in the restore's own transaction.
_DROP_SCHEMA_CONTENT = """
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT c.relname AS name,
               CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                              WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
        ORDER BY CASE c.relkind WHEN 'v' THEN 0 WHEN 'm' THEN 1 WHEN 'S' THEN 3 ELSE 2 END
    LOOP
        EXECUTE format('DROP %s IF EXISTS %I CASCADE', item.kind, item.name);
    END LOOP;
END
$$;
"""


def _postgresql_load(dump: Path) -> None:
    """One psql session: BEGIN, drop the current tables, the dump's script, COMMIT — the
    COMMIT written only once pg_restore has produced the whole script, so that a failure
    anywhere leaves the current data as it was."""
    environment = _postgresql_environment()
    connection.close()  # no session of ours holds a lock on the tables to drop
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: psql never waits on us
        psql = subprocess.Popen(
            ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1"],
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        assert psql.stdin is not None
        restored = None
        try:
            psql.stdin.write(b"SET client_min_messages = warning;\nBEGIN;\n")
            psql.stdin.write(_DROP_SCHEMA_CONTENT.encode())
            psql.stdin.flush()
            restored = subprocess.run(
                ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(dump)],
                env=environment,
                stdout=psql.stdin,
                stderr=subprocess.PIPE,
            )
            if restored.returncode == 0:
                psql.stdin.write(b"COMMIT;\n")
            psql.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error, reported below
        psql.wait()
        errors.seek(0)
        psql_errors = errors.read()
    if restored is not None and restored.returncode != 0:
        raise BackupError(_tool_failure("pg_restore", restored.stderr))
    if psql.returncode != 0:
        raise BackupError(_tool_failure("psql", psql_errors))


# PostgreSQL's client tools -------------------------------------------------------------------


def _postgresql_environment() -> dict[str, str]:
    """The connection of the application, given to the client tools by their environment
    (never on their command line, where another user of the machine could read a password)."""
    missing = [tool for tool in POSTGRESQL_TOOLS if shutil.which(tool) is None]
    if missing:
        raise BackupError(
            f"Outils clients de PostgreSQL introuvables ({', '.join(missing)}) : installez-les "
            "(sous Debian : apt-get install postgresql-client), de la même version que le "
            "serveur ou plus récente, puis recommencez."
        )
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    client_major = _client_major_version()
    if client_major is not None and client_major < server_major:
        raise BackupError(
            f"pg_dump {client_major} ne sait pas lire un serveur PostgreSQL {server_major} : "
            f"installez les outils clients {server_major} (paquet postgresql-client-"
            f"{server_major}), puis recommencez."
        )
    database = connection.settings_dict
    variables = {
        "PGDATABASE": database["NAME"],
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGSSLMODE": (database.get("OPTIONS") or {}).get("sslmode", ""),
        "PGCONNECT_TIMEOUT": "10",
    }
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    environment.update({key: value for key, value in variables.items() if value})
    return environment


def _client_major_version() -> int | None:
    completed = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True)
    words = completed.stdout.split()
    try:  # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
        return int(words[2].split(".")[0])
    except (IndexError, ValueError):
        return None


def _run(command: list[str], environment: dict[str, str], tool: str) -> None:
    completed = subprocess.run(command, env=environment, capture_output=True)
    if completed.returncode != 0:
        raise BackupError(_tool_failure(tool, completed.stderr))


def _tool_failure(tool: str, stderr: bytes) -> str:
    detail = stderr.decode("utf-8", "replace").strip().splitlines()
    last = detail[-1] if detail else "sans message"
    return (
        f"{tool} a échoué ({last}) : rien n'a été modifié dans la base. Vérifiez que le "
        "serveur PostgreSQL répond et que le compte de DATABASE_URL a les droits, puis recommencez."
    )


# Journal -------------------------------------------------------------------------------------


def _journal(data: dict, by) -> None:
    """A backup copies every record, a restore replaces them: the journal keeps both."""
    programme = Programme.current()
    if programme is None:
        return
    LogEntry.objects.log_create(
        programme,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by,
        additional_data=data,
    )
