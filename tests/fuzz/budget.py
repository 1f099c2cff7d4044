"""How many sendings each fuzz test makes.

The normal suite runs a few per form, so that the whole of tests/fuzz stays within about a
minute; `-m fuzz` (the full run, docs/security.md « Fuzzing ») runs enough for at least
10,000 inputs in all. PLIE_FUZZ_EXAMPLES (a number per test) overrides both."""

import os

QUICK_PER_FORM = 4
QUICK_PER_IMPORT = 6
FULL_PER_FORM = 400
FULL_PER_IMPORT = 250

full_run = False  # set by tests/fuzz/conftest.py when the run selects the `fuzz` marker


def _chosen(quick: int, full: int) -> int:
    if "PLIE_FUZZ_EXAMPLES" in os.environ:
        return int(os.environ["PLIE_FUZZ_EXAMPLES"])
    return full if full_run else quick


def examples_per_form() -> int:
    return _chosen(QUICK_PER_FORM, FULL_PER_FORM)


def examples_per_import() -> int:
    return _chosen(QUICK_PER_IMPORT, FULL_PER_IMPORT)
