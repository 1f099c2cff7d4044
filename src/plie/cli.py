"""The `plie` console command: the project's own commands plus Django's management commands.

`plie demo` prepares the embedded SQLite database, generates the demonstration PLIE and
serves it; `plie serve` runs the production server; anything else (`plie migrate`,
`plie createsuperuser`, `plie check --deploy`...) goes to Django's manage.py machinery.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    if command == "demo":
        # The demo runs in development mode on the embedded database unless told otherwise.
        os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plie.settings")
    from django.core.management import execute_from_command_line

    argv[0] = "plie"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
