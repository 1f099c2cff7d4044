"""`plie test`: the Debian packages the test suite needs, installed when missing, then pytest.

The browser tests drive Debian's Chromium; the PDF documents are laid out by WeasyPrint
with Pango, in DejaVu. A fresh Debian machine may have none of them. `plie test` looks
for each one (files only: no apt call when everything is there), installs what is missing
with apt-get, as root or through sudo without a password prompt, then runs pytest with the
arguments given and returns its exit status. When it cannot install, it says in French
which command to run by hand.
"""

from __future__ import annotations

import ctypes.util
import dataclasses
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

CANNOT_INSTALL = 1  # exit status of `plie test` when a package is missing and stays missing
RERUN = "uv run plie test"


@dataclasses.dataclass(frozen=True)
class SystemPackage:
    name: str  # the Debian package
    present: Callable[[], bool]


def _chromium_present() -> bool:
    # The browser tests launch $CHROMIUM when it is set (tests/browser/conftest.py).
    return Path(os.environ.get("CHROMIUM", "/usr/bin/chromium")).exists()


def _library(name: str) -> Callable[[], bool]:
    # WeasyPrint opens Pango by its library name, as the dynamic linker finds it.
    return lambda: ctypes.util.find_library(name) is not None


def _file(path: str) -> Callable[[], bool]:
    return lambda: Path(path).exists()


PACKAGES = (
    SystemPackage("chromium", _chromium_present),
    SystemPackage("libpango-1.0-0", _library("pango-1.0")),
    SystemPackage("libpangoft2-1.0-0", _library("pangoft2-1.0")),
    SystemPackage("fonts-dejavu-core", _file("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")),
    # python-magic reads a document's type from its content with libmagic (core/uploads.py).
    SystemPackage("libmagic1", _library("magic")),
)


@dataclasses.dataclass(frozen=True)
class Machine:
    """What decides how packages can be installed here."""

    is_root: bool
    has_apt_get: bool
    has_sudo: bool

    @classmethod
    def current(cls) -> Machine:
        return cls(
            is_root=os.geteuid() == 0,
            has_apt_get=shutil.which("apt-get") is not None,
            has_sudo=shutil.which("sudo") is not None,
        )


@dataclasses.dataclass(frozen=True)
class Plan:
    """The commands that install the missing packages, or, when there are none that can,
    the French message that says what to do instead."""

    commands: tuple[tuple[str, ...], ...] = ()
    refusal: str = ""


def missing_packages(packages: Iterable[SystemPackage] = PACKAGES) -> tuple[str, ...]:
    return tuple(package.name for package in packages if not package.present())


def _names(missing: Sequence[str]) -> str:
    if len(missing) == 1:
        return missing[0]
    return f"{', '.join(missing[:-1])} et {missing[-1]}"


def manual_command(missing: Sequence[str], machine: Machine) -> str:
    """What a person types to install the packages themselves."""
    prefix = "" if machine.is_root else "sudo "
    return f"{prefix}apt-get install {' '.join(missing)}"


def plan(missing: Sequence[str], machine: Machine) -> Plan:
    """How to install `missing` on `machine`: apt-get, quiet and without questions."""
    if not missing:
        return Plan()
    if not machine.has_apt_get:
        return Plan(
            refusal=f"Les tests ont besoin des paquets Debian {_names(missing)}, absents de "
            "cette machine, et apt-get est introuvable : installez leurs équivalents avec le "
            f"gestionnaire de paquets du système, puis relancez « {RERUN} »."
        )
    if machine.is_root:
        prefix: tuple[str, ...] = ()
    elif machine.has_sudo:
        prefix = ("sudo", "-n")  # -n: fails at once instead of waiting for a password
    else:
        return Plan(
            refusal=f"Les tests ont besoin des paquets Debian {_names(missing)}, absents de "
            "cette machine, et seul l'administrateur peut les installer : lancez en root "
            f"« apt-get install {' '.join(missing)} », puis relancez « {RERUN} »."
        )
    # sudo resets the environment: the frontend is set by `env`, on the root side.
    quiet = (*prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get")
    return Plan(
        commands=(
            (*quiet, "update", "-qq"),
            (*quiet, "install", "-y", "-qq", *missing),
        )
    )


def _run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def ensure_packages(
    packages: Sequence[SystemPackage] = PACKAGES,
    *,
    machine: Machine | None = None,
    run: Callable[[Sequence[str]], subprocess.CompletedProcess[str]] = _run,
) -> str:
    """Install the missing packages; '' when all are there, else what to do, in French."""
    missing = missing_packages(packages)
    if not missing:
        return ""
    machine = machine or Machine.current()
    decided = plan(missing, machine)
    if decided.refusal:
        return decided.refusal
    print(
        f"Installation des paquets Debian qui manquent aux tests : {_names(missing)}…",
        file=sys.stderr,
        flush=True,
    )
    for command in decided.commands:
        completed = run(command)
        if completed.returncode != 0:
            said = (completed.stderr or completed.stdout).strip().splitlines()
            return (
                f"L'installation de {_names(missing)} a échoué (apt-get, code "
                f"{completed.returncode}{' : ' + said[-1] if said else ''}). Lancez "
                f"« {manual_command(missing, machine)} » puis relancez « {RERUN} »."
            )
    still = missing_packages(packages)
    if still:
        return (
            f"apt-get a terminé, mais {_names(still)} reste introuvable : vérifiez "
            f"l'installation (« {manual_command(still, machine)} ») et la variable CHROMIUM "
            f"si vous l'avez définie, puis relancez « {RERUN} »."
        )
    return ""


def run_tests(pytest_arguments: Sequence[str]) -> int:
    """`plie test [pytest arguments…]`: the packages first, then the test suite."""
    problem = ensure_packages()
    if problem:
        print(problem, file=sys.stderr)
        return CANNOT_INSTALL
    try:
        import pytest
    except ImportError:
        print(
            "pytest n'est pas installé : les outils de développement viennent avec "
            f"« uv sync » (groupe dev) ; relancez ensuite « {RERUN} ».",
            file=sys.stderr,
        )
        return CANNOT_INSTALL
    return int(pytest.main(list(pytest_arguments)))
