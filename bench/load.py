"""The load run, in one command: twenty users for five minutes against `plie serve` on this
machine, with the demo data, and the time of each page.

    uv run --group bench python bench/load.py [--engine sqlite|postgresql] [--duration 5m]

1. The demo PLIE is prepared once per engine (`plie demo --no-serve`: migrations, territory,
   about 1,200 people a year), in its own data folder bench/output/load-<engine>/ (SQLite),
   or in the PostgreSQL database `plie_bench_load` (`PLIE_BENCH_POSTGRES` + `_load`);
   `--reset` starts it anew.
2. `plie serve` is started on 127.0.0.1 (production settings: DEBUG off, gunicorn with two
   processes of four threads, the background worker beside it), in its own process group.
3. Locust runs headless (bench/locustfile.py: users by role, logging in through the real
   login page), then the server is stopped, whatever happened.
4. The per-page table (requests, failures, median, p95, max) is printed and written to
   bench/output/load-summary.md, the raw figures to bench/output/load-results.json.
The run fails if any request failed. Traffic goes to 127.0.0.1 only, and stops by itself.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from environment import BENCH_DIR, DATABASES, ENVIRONMENT, OUTPUT_DIR, recreate_database

HOST = "127.0.0.1"  # never anything but this machine
READY_TIMEOUT_S = 300
STOP_TIMEOUT_S = 30


def database_url(engine: str) -> str | None:
    """None: the embedded SQLite database of the data folder (as `plie demo` makes it)."""
    return None if engine == "sqlite" else DATABASES["postgresql"] + "_load"


def server_environment(engine: str) -> dict[str, str]:
    environment = {
        **os.environ,
        **ENVIRONMENT,
        "PLIE_DATA_DIR": str(OUTPUT_DIR / f"load-{engine}"),
        "ALLOWED_HOSTS": HOST,
        "SECURE_COOKIES": "0",  # served over plain http on this machine, as `plie demo` is
        "LOG_LEVEL": "WARNING",
    }
    environment.pop("PLIE_CACHE")  # the server's own cache on disk, shared with its worker
    environment.pop("DATABASE_URL", None)
    url = database_url(engine)
    if url:
        environment["DATABASE_URL"] = url
    return environment


def plie(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "plie.cli", *arguments]


def prepare(engine: str, participants: int, reset: bool) -> None:
    environment = server_environment(engine)
    if reset:
        shutil.rmtree(environment["PLIE_DATA_DIR"], ignore_errors=True)
        if database_url(engine):
            recreate_database(database_url(engine))
    elif database_url(engine):
        _create_if_absent(database_url(engine))
    print(f"[{engine}] données de démonstration", file=sys.stderr, flush=True)
    subprocess.run(
        plie("demo", "--no-serve", "--participants", str(participants)),
        env=environment,
        stdout=subprocess.DEVNULL,
        check=True,
    )


def _create_if_absent(url: str) -> None:
    from environment import database_exists

    if not database_exists(url):
        recreate_database(url)


def start_server(engine: str, port: int, log, log_path) -> subprocess.Popen:
    process = subprocess.Popen(
        plie("serve", "--bind", f"{HOST}:{port}"),
        env=server_environment(engine),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: the worker it starts is stopped with it
    )
    started = time.monotonic()
    while time.monotonic() - started < READY_TIMEOUT_S:
        if process.poll() is not None:
            raise SystemExit(f"Le serveur s'est arrêté au démarrage : voir {log_path}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/comptes/connexion/", timeout=5):
                return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
    stop_server(process)
    raise SystemExit(f"Le serveur n'a pas répondu en {READY_TIMEOUT_S} s : voir {log_path}")


def stop_server(process: subprocess.Popen) -> None:
    """Stop the server's process group (gunicorn, its workers, the background worker)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_locust(port: int, users: int, spawn_rate: float, duration: str, results_path) -> dict:
    """Locust's run; the figures its locustfile writes when every user has stopped."""
    results_path.unlink(missing_ok=True)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "--locustfile",
            str(BENCH_DIR / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(spawn_rate),
            "--run-time",
            duration,
            "--stop-timeout",
            "10",
            "--host",
            f"http://{HOST}:{port}",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={**os.environ, "PLIE_LOAD_RESULTS": str(results_path)},
    )
    if not results_path.exists():
        raise SystemExit(f"Locust s'est arrêté sans résultats (code {completed.returncode}).")
    return json.loads(results_path.read_text(encoding="utf-8"))


# Results -------------------------------------------------------------------------------------


def server_errors(log_path) -> int:
    """Tracebacks and gunicorn's errors (a worker timed out or killed) in the server's log:
    none expected."""
    with open(log_path, encoding="utf-8", errors="replace") as file:
        return sum(
            1
            for line in file
            if line.startswith("Traceback") or "] [ERROR] " in line or "] [CRITICAL] " in line
        )


def summary(results: dict) -> str:
    lines = [
        f"Essai de charge du {results['started']} : {results['users']} utilisateurs pendant "
        f"{results['duration']}, base {results['engine']}, `plie serve` sur {HOST} "
        f"(charge de la machine au départ {results['load_before']}, à la fin "
        f"{results['load_after']}).",
        "",
        "| Page | Requêtes | Échecs | Médiane (ms) | p95 (ms) | Max (ms) |",
        "|---|---|---|---|---|---|",
    ]
    for row in results["pages"]:
        total = row["page"] == "Ensemble"
        label = "**Ensemble**" if total else f"{row['page']} ({row['method']})"
        p95 = "—" if row["p95_ms"] is None else f"{row['p95_ms']:.0f}"
        lines.append(
            f"| {label} | {row['requests']} | {row['failures']} | {row['median_ms']:.0f} | "
            f"{p95} | {row['max_ms']:.0f} |"
        )
    lines += [
        "",
        f"Échecs : {results['failures']} ; erreurs du serveur (traces, erreurs de gunicorn) : "
        f"{results['server_errors']}.",
    ]
    for error in results["errors"]:
        lines.append(
            f"- {error['method']} {error['page']} : {error['error']} ({error['count']} fois)"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=sorted(DATABASES), default="sqlite")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=1, help="utilisateurs par seconde")
    parser.add_argument("--duration", default="5m", help="durée (Locust : 30s, 5m…)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--participants", type=int, default=1200, help="taille de la démo")
    parser.add_argument("--reset", action="store_true", help="refaire les données de démo")
    args = parser.parse_args(argv)
    OUTPUT_DIR.mkdir(exist_ok=True)
    prepare(args.engine, args.participants, args.reset)
    locust_path = OUTPUT_DIR / f"load-{args.engine}-locust.json"
    log_path = OUTPUT_DIR / f"load-{args.engine}-server.log"
    started = datetime.datetime.now().astimezone()
    load_before = os.getloadavg()[0]
    print(f"[{args.engine}] serveur et {args.users} utilisateurs", file=sys.stderr, flush=True)
    with open(log_path, "w", encoding="utf-8") as log:
        server = start_server(args.engine, args.port, log, log_path)
        try:
            measured = run_locust(
                args.port, args.users, args.spawn_rate, args.duration, locust_path
            )
        finally:
            stop_server(server)
    pages = measured["pages"]
    results = {
        "started": started.isoformat(timespec="minutes"),
        "engine": args.engine,
        "users": args.users,
        "duration": args.duration,
        "load_before": round(load_before, 1),
        "load_after": round(os.getloadavg()[0], 1),
        "cpus": os.cpu_count(),
        "pages": pages,
        "failures": sum(row["failures"] for row in pages if row["page"] != "Ensemble"),
        "errors": measured["errors"],
        "server_errors": server_errors(log_path),
    }
    (OUTPUT_DIR / "load-results.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    table = summary(results)
    (OUTPUT_DIR / "load-summary.md").write_text(table, encoding="utf-8")
    print(table)
    return 1 if results["failures"] or results["server_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
