"""The bench measures data that can exist: what its generator writes is what the
application's own checks accept, so that an export of it re-imports with no row rejected.

The importer's checks are the reference (48 h of work a week, an exit reason, no date in
the future, dates in order…). A few hundred people give every kind of story in seconds;
the bench itself is never run here.
"""

import datetime

import time_machine

from plie.exchange.exporter import export_path
from plie.exchange.importer import import_path

from generate import REFERENCE_DAY, SEED, fill

PEOPLE = 300


def test_an_export_of_the_bench_dataset_re_imports_with_no_row_rejected(territory, tmp_path):
    noon = datetime.datetime.combine(REFERENCE_DAY, datetime.time(12))
    with time_machine.travel(noon, tick=False):
        counts, _ = fill(PEOPLE, seed=SEED, today=REFERENCE_DAY, timings={})
        exported = export_path(tmp_path / "export")
        report = import_path(tmp_path / "export", dry_run=True)

    assert report.ok, "\n".join(report.summary()[:20])
    assert exported.rows["participants"] == counts["participants_participant"] == PEOPLE
    assert exported.rows["etapes"] == counts["pathways_step"]
    assert report.rows == exported.rows
    assert report.states_changed == 0
