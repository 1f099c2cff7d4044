"""The `plie` console command: the project's own commands plus Django's management commands.

`plie demo` prepares the embedded SQLite database, generates the demonstration PLIE and
serves it; `plie serve` runs the production server; `plie test [pytest arguments…]`
installs the Debian packages the tests need when they are missing, then runs pytest
(system_packages.py); anything else (`plie migrate`,
`plie createsuperuser`, `plie check --deploy`...) goes to Django's manage.py machinery.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    if command == "test":  # pytest, not Django's test runner
        from plie.system_packages import run_tests

        sys.exit(run_tests(argv[2:]))
    if command == "demo":
        # The demo is served over plain http on this machine: cookies cannot be https-only.
        os.environ.setdefault("SECURE_COOKIES", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plie.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    argv[0] = "plie"
    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:  # a setting to correct: its French message suffices
        sys.stderr.write(f"Configuration à corriger : {error}\n")
        sys.exit(2)
    except BrokenPipeError:  # `plie exits | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
