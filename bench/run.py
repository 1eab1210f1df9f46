"""The load benchmark in one command: `make bench` (or `python bench/run.py`).

1. Recreates the bench database (never any other) and fills it with a large plan.
2. Serves the portal with gunicorn and production settings (DEBUG off, static
   files by whitenoise after collectstatic) on 127.0.0.1 only.
3. Runs bench/load.py: 100 logged-in users for 60 s, then the saturation runs,
   and prints the figures. `--restart-db` restarts PostgreSQL during the run.

Every step has a time limit; gunicorn is stopped at the end whatever happens.
"""

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
CACHE = REPO / "var" / "bench-cache"
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def main():
    options = parse_options()
    if not options.database.startswith("portal_bench"):
        raise SystemExit("The bench database's name must start with portal_bench.")
    database_url = f"postgres://postgres@127.0.0.1:5432/{options.database}"
    environment = production_environment(database_url)
    RESULTS.mkdir(parents=True, exist_ok=True)

    if not options.reuse:
        step("Recreating the database", recreate_database, options.database)
        step("Migrating", manage, environment, "migrate", "--noinput")
        step("Filling", run, [PYTHON, "bench/fill.py"], environment, 900)
    step("Collecting static files", manage, environment, "collectstatic", "--noinput")
    # A refilled database may repeat the last one's fingerprints: start empty.
    shutil.rmtree(CACHE, ignore_errors=True)

    server = serve(options, environment)
    try:
        load = [
            PYTHON,
            "-u",
            "bench/load.py",
            f"--host=http://127.0.0.1:{options.port}",
            f"--database-url={database_url}",
            f"--users={options.users}",
            f"--duration={options.duration}",
            f"--json={RESULTS / time.strftime('%Y%m%d-%H%M%S.json')}",
        ]
        if options.restart_db:
            load.append(f"--restart-db={postgres_version()}")
        run(load, environment, options.duration + 900)
    finally:
        server.terminate()
        server.wait(timeout=30)


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="portal_bench")
    parser.add_argument("--port", type=int, default=8111)
    # One process per core, plus one so that a core never idles while a process
    # waits on PostgreSQL; two threads overlap the waits within a process. More
    # processes only fight locust and PostgreSQL for the same 2 cores, and more
    # threads only fight for a process's interpreter lock: on 2026-12-03, 3
    # workers served 270 to 300 dashboards a second with 4 threads each and 340
    # to 390 with 1 or 2 (wrk, 8 s each, alternating).
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the filled database of a last run"
    )
    parser.add_argument(
        "--restart-db",
        action="store_true",
        help="restart PostgreSQL a third of the way into the run",
    )
    return parser.parse_args()


def production_environment(database_url):
    """Production settings, except TLS: the traffic stays on 127.0.0.1 over HTTP."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(REPO / "var" / "bench-static"),
        # One readiness cache for all the workers, as production should have
        # (see CACHES in portal/settings.py), so that it is computed once.
        "CACHE_URL": f"filecache://{CACHE}",
        "LOG_LEVEL": "WARNING",
    }


def step(title, function, *args):
    print(f"{title}...", flush=True)
    began = time.time()
    function(*args)
    print(f"{title}: {time.time() - began:.0f} s", flush=True)


def run(command, environment, timeout=300):
    subprocess.run(command, cwd=REPO, env=environment, check=True, timeout=timeout)


def manage(environment, *arguments):
    run([PYTHON, "manage.py", *arguments, "--verbosity=0"], environment)


def recreate_database(name):
    with psycopg.connect(
        "postgres://postgres@127.0.0.1:5432/postgres", autocommit=True
    ) as connection:
        database = sql.Identifier(name)
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database)
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(database))


def postgres_version():
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    return versions[-1]


def serve(options, environment):
    log = (RESULTS / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "portal.wsgi",
            f"--bind=127.0.0.1:{options.port}",
            f"--workers={options.workers}",
            f"--threads={options.threads}",
            "--worker-class=gthread",
            "--timeout=30",
        ],
        cwd=REPO,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(  # noqa: S310 - our own 127.0.0.1 server
                f"http://127.0.0.1:{options.port}/healthz", timeout=2
            ):
                print(
                    f"gunicorn: {options.workers} workers of {options.threads} "
                    f"threads on port {options.port}"
                )
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer; see {RESULTS / 'gunicorn.log'}")


if __name__ == "__main__":
    main()
