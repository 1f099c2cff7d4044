"""One monthly extraction, alone in its process so that the process's peak memory is the
extraction's: run.py starts it once per database and per format and reads the peak
resident memory of the finished process (`os.wait4`).

    uv run --group bench python bench/extract.py --database sqlite|postgresql --format xlsx|csv

Calls `plie.reporting.extraction.write_extraction` on the last complete month of the data,
sensitive columns included (the largest file). Exits with status 3 and says so when the
application has no extraction module yet.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import resource
import sys
import time

from environment import DATABASES, OUTPUT_DIR, start_django
from generate import REFERENCE_DAY

MODULE = "plie.reporting.extraction"
MISSING = 3  # exit status: nothing to measure yet
MONTH_END = REFERENCE_DAY.replace(day=1) - datetime.timedelta(days=1)
MONTH = (MONTH_END.replace(day=1), MONTH_END)
SUFFIX = {"xlsx": "xlsx", "csv": "zip"}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=sorted(DATABASES), required=True)
    parser.add_argument("--format", choices=sorted(SUFFIX), required=True)
    args = parser.parse_args(argv)
    start_django(DATABASES[args.database])
    if importlib.util.find_spec(MODULE) is None:
        print(f"{MODULE} n'existe pas encore : extraction non mesurée.", file=sys.stderr)
        sys.exit(MISSING)
    from plie.reporting.extraction import write_extraction

    before = _peak_mb()  # Django and the application loaded, nothing extracted yet
    path = OUTPUT_DIR / f"extraction-{args.database}.{SUFFIX[args.format]}"
    started = time.perf_counter()
    rows = write_extraction(
        path,
        file_format=args.format,
        date_from=MONTH[0],
        date_to=MONTH[1],
        include_sensitive=True,
    )
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "format": args.format,
                "month": [MONTH[0].isoformat(), MONTH[1].isoformat()],
                "rows": rows,
                "seconds": round(seconds, 2),
                "bytes": path.stat().st_size,
                "peak_before_mb": round(before, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
