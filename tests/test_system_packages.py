"""`plie test` installs what the tests need and nothing else: which packages are missing,
which commands install them on which machine, and what a person reads when it cannot.
No test here calls apt-get: the commands go to a recorder."""

import subprocess

import pytest

from plie import cli
from plie.system_packages import (
    CANNOT_INSTALL,
    PACKAGES,
    Machine,
    Plan,
    SystemPackage,
    ensure_packages,
    missing_packages,
    plan,
)

ROOT = Machine(is_root=True, has_apt_get=True, has_sudo=False)
USER_WITH_SUDO = Machine(is_root=False, has_apt_get=True, has_sudo=True)
USER_WITHOUT_SUDO = Machine(is_root=False, has_apt_get=True, has_sudo=False)
NOT_DEBIAN = Machine(is_root=True, has_apt_get=False, has_sudo=True)
QUIET_APT = ("env", "DEBIAN_FRONTEND=noninteractive", "apt-get")


def there(name: str) -> SystemPackage:
    return SystemPackage(name, lambda: True)


def absent(name: str) -> SystemPackage:
    return SystemPackage(name, lambda: False)


class Recorder:
    """Stands for subprocess.run: keeps the commands, answers with the codes given."""

    def __init__(self, *codes: int, stderr: str = "", installs: list | None = None):
        self.commands: list[tuple[str, ...]] = []
        self.codes = list(codes)
        self.stderr = stderr
        self.installs = installs  # the packages' presence flags, set when install succeeds

    def __call__(self, command):
        self.commands.append(tuple(command))
        code = self.codes.pop(0) if self.codes else 0
        if code == 0 and "install" in command and self.installs is not None:
            self.installs[:] = [True] * len(self.installs)
        return subprocess.CompletedProcess(command, code, stdout="", stderr=self.stderr)


def test_the_suite_needs_chromium_pango_dejavu_and_libmagic():
    assert [package.name for package in PACKAGES] == [
        "chromium",
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "fonts-dejavu-core",
        "libmagic1",
    ]


def test_only_the_absent_packages_are_missing_in_their_order():
    packages = [absent("chromium"), there("libpango-1.0-0"), absent("fonts-dejavu-core")]
    assert missing_packages(packages) == ("chromium", "fonts-dejavu-core")


def test_chromium_is_looked_for_where_the_browser_tests_launch_it(monkeypatch, tmp_path):
    chromium = PACKAGES[0]
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "chromium"))
    assert not chromium.present()
    (tmp_path / "chromium").touch()
    assert chromium.present()


def test_nothing_missing_plans_no_command():
    assert plan((), ROOT) == Plan()


def test_root_updates_then_installs_only_what_is_missing_without_questions():
    assert plan(("chromium", "fonts-dejavu-core"), ROOT).commands == (
        (*QUIET_APT, "update", "-qq"),
        (*QUIET_APT, "install", "-y", "-qq", "chromium", "fonts-dejavu-core"),
    )


def test_another_user_goes_through_sudo_that_never_waits_for_a_password():
    assert plan(("libpango-1.0-0",), USER_WITH_SUDO).commands == (
        ("sudo", "-n", *QUIET_APT, "update", "-qq"),
        ("sudo", "-n", *QUIET_APT, "install", "-y", "-qq", "libpango-1.0-0"),
    )


def test_without_root_or_sudo_the_message_gives_the_command_to_run_as_root():
    decided = plan(("chromium", "fonts-dejavu-core"), USER_WITHOUT_SUDO)
    assert decided.commands == ()
    assert "chromium et fonts-dejavu-core" in decided.refusal
    assert "lancez en root « apt-get install chromium fonts-dejavu-core »" in decided.refusal
    assert "relancez « uv run plie test »" in decided.refusal


def test_without_apt_get_the_message_says_to_use_the_systems_package_manager():
    decided = plan(("chromium",), NOT_DEBIAN)
    assert decided.commands == ()
    assert "apt-get est introuvable" in decided.refusal
    assert "gestionnaire de paquets du système" in decided.refusal


def test_when_everything_is_there_apt_is_never_called():
    recorder = Recorder()
    packages = [there(package.name) for package in PACKAGES]
    assert ensure_packages(packages, machine=ROOT, run=recorder) == ""
    assert recorder.commands == []


def test_missing_packages_are_installed_and_looked_for_again(capsys):
    present = [False, True]
    packages = [
        SystemPackage("chromium", lambda: present[0]),
        SystemPackage("fonts-dejavu-core", lambda: present[1]),
    ]
    recorder = Recorder(installs=present)

    assert ensure_packages(packages, machine=ROOT, run=recorder) == ""
    assert recorder.commands == list(plan(("chromium",), ROOT).commands)
    assert "Installation des paquets Debian qui manquent aux tests : chromium" in (
        capsys.readouterr().err
    )


def test_a_failed_install_says_why_and_what_to_type(capsys):
    recorder = Recorder(0, 1, stderr="sudo: a password is required\n")
    message = ensure_packages([absent("chromium")], machine=USER_WITH_SUDO, run=recorder)
    assert "L'installation de chromium a échoué (apt-get, code 1 : sudo: a password is" in message
    assert "Lancez « sudo apt-get install chromium » puis relancez « uv run plie test »" in message


def test_a_failed_update_stops_before_installing():
    recorder = Recorder(100)
    assert ensure_packages([absent("chromium")], machine=ROOT, run=recorder)
    assert recorder.commands == [plan(("chromium",), ROOT).commands[0]]


def test_a_package_still_absent_after_apt_is_reported():
    message = ensure_packages([absent("chromium")], machine=ROOT, run=Recorder())
    assert "chromium reste introuvable" in message
    assert "« apt-get install chromium »" in message


def test_plie_test_stops_with_the_message_and_runs_no_test(monkeypatch, capsys):
    monkeypatch.setattr("plie.system_packages.ensure_packages", lambda: "Il manque chromium.")
    monkeypatch.setattr("pytest.main", lambda arguments: pytest.fail("pytest ran"))
    with pytest.raises(SystemExit) as stopped:
        cli.main(["plie", "test"])
    assert stopped.value.code == CANNOT_INSTALL
    assert "Il manque chromium." in capsys.readouterr().err


def test_plie_test_passes_its_arguments_to_pytest_and_returns_its_status(monkeypatch):
    received = []
    monkeypatch.setattr("plie.system_packages.ensure_packages", lambda: "")
    monkeypatch.setattr("pytest.main", lambda arguments: received.append(arguments) or 5)
    with pytest.raises(SystemExit) as finished:
        cli.main(["plie", "test", "tests/core", "-n", "0"])
    assert finished.value.code == 5
    assert received == [["tests/core", "-n", "0"]]
