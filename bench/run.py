"""The benchmark at scale, side by side on SQLite and PostgreSQL, in one command:

    uv run --group bench python bench/run.py [--repeat 5] [--engine sqlite] [--skip-pages]

For each engine, one process after the other (never two at once on this shared machine):
the dataset is generated if absent (generate.py), the application is measured (measure.py:
key figures, caseload at a date, pages), the tables are exported and DuckDB computes the
same figures on the files (duck.py), and the monthly extraction is run once per format in
its own process (extract.py), whose peak memory is read when it ends. DuckDB's values must
equal the application's: any difference is printed and recorded, and the run fails.

Results: bench/output/results.json (raw, also kept with a timestamp) and
bench/output/summary.md (the tables that docs/performance.md reports).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time

from environment import BENCH_DIR, DATABASES, OUTPUT_DIR, process_environment

PAGE_TARGET_MS = 300
KEY_FIGURES_TARGET_RATIO = 2.0
EXTRACTION_TARGET_MB = 300
EXTRACTION_MISSING = 3  # extract.py's exit status when the module does not exist yet
COMPARED_FIGURES = [
    "people_accompanied",
    "pathways_accompanied",
    "carried_over",
    "entries",
    "exits",
    "positive_exits",
    "neutral_exits",
    "positive_exit_rate",
    "active_caseload",
    "without_step",
    "share_without_step",
    "women",
    "share_women",
    "rsa",
    "rsa_known",
    "share_rsa",
    "qpv",
    "share_qpv",
    "level_3_or_below",
    "education_level_known",
    "share_level_3_or_below",
    "average_length_months",
    "communes_reached",
    "contacts",
]
COMPARED_CASELOAD = ["people", "without_step", "share_without_step"]


def _command(script: str, *arguments: str) -> list[str]:
    return [sys.executable, str(BENCH_DIR / script), *arguments]


def run_json(engine: str, script: str, *arguments: str) -> dict:
    """Run a bench script for `engine` in its own process and read the JSON it prints."""
    completed = subprocess.run(
        _command(script, *arguments),
        env=process_environment(DATABASES[engine]),
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout)


def run_with_peak_memory(engine: str, script: str, *arguments: str) -> tuple[int, str, float]:
    """Run a bench script; its exit status, its output, and its peak resident memory in MB."""
    with subprocess.Popen(
        _command(script, *arguments),
        env=process_environment(DATABASES[engine]),
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, output, usage.ru_maxrss / 1024  # kB on Linux


def ensure_dataset(engine: str) -> dict:
    print(f"[{engine}] jeu de données", file=sys.stderr, flush=True)
    started = time.perf_counter()
    subprocess.run(
        _command("generate.py", "--database", engine, "--if-absent"),
        env=process_environment(DATABASES[engine]),
        check=True,
    )
    path = OUTPUT_DIR / f"generation-{engine}.json"
    generation = json.loads(path.read_text()) if path.exists() else {}
    if time.perf_counter() - started > 60:
        print(f"[{engine}] généré en {generation['timings']['total_s']} s", file=sys.stderr)
    return generation


def differences(app: list[dict], duck: list[dict]) -> list[str]:
    """Every figure on which the application and DuckDB disagree, period by period."""
    found = []
    for ours, theirs in zip(app, duck, strict=True):
        period = f"{ours['date_from']} → {ours['date_to']}"
        pairs = [(key, ours["figures"], theirs["figures"]) for key in COMPARED_FIGURES]
        pairs += [
            (f"caseload.{key}", ours["caseload"], theirs["caseload"]) for key in COMPARED_CASELOAD
        ]
        for label, left, right in pairs:
            key = label.split(".")[-1]
            if not _equal(left[key], right[key]):
                found.append(f"{period} {label} : application {left[key]!r}, DuckDB {right[key]!r}")
    return found


def _equal(left, right) -> bool:
    if left is None or right is None:
        return left is right
    if isinstance(left, float) or isinstance(right, float):
        return abs(left - right) <= 1e-9 * max(1.0, abs(left))
    return left == right


def measure_engine(engine: str, args) -> dict:
    result: dict = {"generation": ensure_dataset(engine)}
    print(f"[{engine}] application", file=sys.stderr, flush=True)
    measure_args = ["--database", engine, "--repeat", str(args.repeat)]
    if args.skip_pages:
        measure_args += ["--only", "figures"]
    result["app"] = run_json(engine, "measure.py", *measure_args)
    print(f"[{engine}] export et DuckDB", file=sys.stderr, flush=True)
    result["export"] = run_json(engine, "duck.py", "export", "--database", engine)
    result["duckdb"] = run_json(
        engine, "duck.py", "figures", "--database", engine, "--repeat", str(args.repeat + 2)
    )
    alternate_figures(engine, result, args.repeat)
    result["differences"] = differences(
        result["app"]["figures"]["checked"], result["duckdb"]["checked"]
    )
    result["extraction"] = {}
    for file_format in ("xlsx", "csv"):
        print(f"[{engine}] extraction {file_format}", file=sys.stderr, flush=True)
        status, output, peak = run_with_peak_memory(
            engine, "extract.py", "--database", engine, "--format", file_format
        )
        if status == EXTRACTION_MISSING:
            result["extraction"][file_format] = {"skipped": "module d'extraction absent"}
        elif status != 0:
            result["extraction"][file_format] = {"failed": f"code de sortie {status}"}
        else:
            result["extraction"][file_format] = {**json.loads(output), "peak_mb": round(peak, 1)}
    return result


ALTERNATIONS = 2  # more rounds of the application's key figures, then DuckDB's
TIMED = ("key_figures", "caseload_on")


def _pooled(timings: list[dict]) -> dict:
    runs = [run for timing in timings for run in timing["runs_ms"]]
    return {
        "median_ms": round(statistics.median(runs), 1),
        "max_ms": round(max(runs), 1),
        "runs_ms": runs,
    }


def alternate_figures(engine: str, result: dict, repeat: int) -> None:
    """Time the key figures again, the application then DuckDB, `ALTERNATIONS` more times,
    and pool each side's runs: the machine's load changes from one minute to the next
    (docs/performance.md, « Bruit »), and the first two measurements are minutes apart,
    with the pages between them. Taken in turns, both sides bear the same load."""
    app, duck = result["app"]["figures"], result["duckdb"]
    rounds = {key: ([app[key]], [duck[key]]) for key in TIMED}
    for round_number in range(ALTERNATIONS):
        print(f"[{engine}] chiffres clés, tour {round_number + 2}", file=sys.stderr, flush=True)
        again = run_json(
            engine, "measure.py", "--database", engine, "--repeat", str(repeat), "--only", "figures"
        )["figures"]
        duck_again = run_json(
            engine, "duck.py", "figures", "--database", engine, "--repeat", str(repeat + 2)
        )
        for key in TIMED:
            rounds[key][0].append(again[key])
            rounds[key][1].append(duck_again[key])
    for key, (ours, theirs) in rounds.items():
        app[key] = {**app[key], **_pooled(ours)}
        duck[key] = {**duck[key], **_pooled(theirs)}
    result["alternations"] = 1 + ALTERNATIONS


# Summary -----------------------------------------------------------------------------------


def _ms(timing: dict) -> str:
    return f"{timing['median_ms']:.0f} ({timing['max_ms']:.0f})"


def summary(results: dict) -> str:
    engines = [engine for engine in DATABASES if engine in results["engines"]]
    per = {engine: results["engines"][engine] for engine in engines}
    rounds = {per[engine].get("alternations", 1) for engine in engines}
    lines = [
        "## Chiffres clés (médiane et max, en ms)",
        "",
        f"Application et DuckDB mesurés tour à tour, {max(rounds)} tours ; toutes les "
        "exécutions de chaque côté comptent dans sa médiane.",
        "",
    ]
    header = (
        "| Mesure | "
        + " | ".join(f"{engine} | DuckDB ({engine}) | ratio" for engine in engines)
        + " |"
    )
    lines += [header, "|---" * (1 + 3 * len(engines)) + "|"]
    for label, key in [
        ("key_figures (année)", "key_figures"),
        ("caseload_on (fin d'année)", "caseload_on"),
    ]:
        cells = []
        for engine in engines:
            app, duck = per[engine]["app"]["figures"][key], per[engine]["duckdb"][key]
            cells += [_ms(app), _ms(duck), f"{app['median_ms'] / duck['median_ms']:.1f}×"]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    cells = []
    for engine in engines:
        app = sum(
            per[engine]["app"]["figures"][key]["median_ms"]
            for key in ("key_figures", "caseload_on")
        )
        duck = sum(
            per[engine]["duckdb"][key]["median_ms"] for key in ("key_figures", "caseload_on")
        )
        cells += [f"{app:.0f}", f"{duck:.0f}", f"**{app / duck:.1f}×**"]
    lines.append("| ensemble | " + " | ".join(cells) + " |")
    lines += ["", f"## Pages (médiane et max en ms, requêtes ; cible {PAGE_TARGET_MS} ms)", ""]
    if all("pages" in per[engine]["app"] for engine in engines):
        lines.append("| Page | " + " | ".join(f"{engine} | requêtes" for engine in engines) + " |")
        lines.append("|---" * (1 + 2 * len(engines)) + "|")
        pages = per[engines[0]]["app"]["pages"]
        for index, page in enumerate(pages):
            cells = []
            for engine in engines:
                row = per[engine]["app"]["pages"][index]
                mark = "" if row["median_ms"] <= PAGE_TARGET_MS else " ✗"
                cells += [_ms(row) + mark, str(row["queries"])]
            lines.append(f"| {page['page']} | " + " | ".join(cells) + " |")
        lines.append("")
        lines.append(
            "Contrôles de qualité des données, en arrière-plan (la page montre le dernier) : "
            + ", ".join(f"{engine} {per[engine]['app']['quality_run_s']} s" for engine in engines)
        )
    lines += [
        "",
        f"## Extraction mensuelle (cible {EXTRACTION_TARGET_MB} Mo de mémoire au plus)",
        "",
    ]
    lines += ["| Base | Format | Lignes | Durée (s) | Pic mémoire (Mo) |", "|---|---|---|---|---|"]
    for engine in engines:
        for file_format, row in per[engine]["extraction"].items():
            if "rows" not in row:
                lines.append(f"| {engine} | {file_format} | {next(iter(row.values()))} | | |")
            else:
                lines.append(
                    f"| {engine} | {file_format} | {row['rows']} | {row['seconds']} | {row['peak_mb']} |"
                )
    lines += ["", "## Export vers DuckDB (s)", ""]
    for engine in engines:
        export = per[engine]["export"]
        lines.append(
            f"- {engine} : base → CSV {export['database_to_csv_s']} s, CSV → Parquet "
            f"{export['csv_to_parquet_s']} s ({sum(export['rows'].values())} lignes)"
        )
    lines += ["", "## Égalité DuckDB = application", ""]
    for engine in engines:
        found = per[engine]["differences"]
        lines.append(f"- {engine} : " + ("identiques" if not found else "; ".join(found)))
    return "\n".join(lines) + "\n"


def machine() -> dict:
    import django
    import duckdb

    meminfo = pathlib.Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    postgres = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    import sqlite3

    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres,
        "duckdb": duckdb.__version__,
        "platform": platform.platform(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement")
    parser.add_argument("--engine", choices=sorted(DATABASES), action="append")
    parser.add_argument("--skip-pages", action="store_true")
    args = parser.parse_args(argv)
    OUTPUT_DIR.mkdir(exist_ok=True)
    started = datetime.datetime.now().astimezone()
    results = {
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "engines": {},
    }
    for engine in args.engine or list(DATABASES):
        results["engines"][engine] = measure_engine(engine, args)
    text = json.dumps(results, indent=2, ensure_ascii=False)
    (OUTPUT_DIR / "results.json").write_text(text, encoding="utf-8")
    (OUTPUT_DIR / f"results-{started:%Y%m%d-%H%M%S}.json").write_text(text, encoding="utf-8")
    table = summary(results)
    (OUTPUT_DIR / "summary.md").write_text(table, encoding="utf-8")
    print(table)
    if any(results["engines"][engine]["differences"] for engine in results["engines"]):
        sys.exit("DuckDB et l'application ne donnent pas les mêmes chiffres : voir ci-dessus.")


if __name__ == "__main__":
    main()
