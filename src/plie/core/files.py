"""Files that hold personal data are the owner's only: the data folder (0700) and the SQLite
database with its WAL and shared-memory files (0600), whoever else logs in on the machine.

The folder is made private when the settings are read; the database files each time a
connection opens (`connection_created`), which covers a database that `plie demo` or
`plie migrate` has just created, and files copied in with looser rights.
"""

import os
import stat
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def _restrict(path: Path, mode: int) -> None:
    """chmod `path` to `mode` when it exists, belongs to this process's user and is looser."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    if status.st_uid != os.getuid():  # not ours to change (a folder mounted by root)
        return
    if stat.S_IMODE(status.st_mode) & ~mode:
        path.chmod(mode)


def make_private_folder(path: Path) -> None:
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    _restrict(path, PRIVATE_FOLDER)


def make_sqlite_files_private(database: str) -> None:
    """The database file and the files SQLite keeps beside it."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    for suffix in SQLITE_COMPANIONS:
        _restrict(Path(database + suffix), PRIVATE_FILE)


def on_connection_created(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        make_sqlite_files_private(str(connection.settings_dict["NAME"]))
