"""The fuzz budget (tests/fuzz/budget.py): the full one when the run selects `-m fuzz`;
the number of inputs sent, added up at the end of the run (across xdist workers)."""

import re

from tests.fuzz import budget


def pytest_configure(config):
    if re.search(r"(?<!not )\bfuzz\b", config.getoption("markexpr", "") or ""):
        budget.full_run = True


def pytest_terminal_summary(terminalreporter):
    sent = failed = 0
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            inputs = dict(getattr(report, "user_properties", ())).get("fuzz_inputs")
            if inputs is not None and report.when == "call":
                sent += inputs
                failed += outcome == "failed"
    if sent:
        terminalreporter.write_line(f"fuzz : {sent} entrées envoyées, {failed} test(s) en échec")
