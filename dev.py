#!/usr/bin/env python3
"""The two commands of the README, needing nothing but Python 3.11:

    python3 dev.py run    # set up, load the plan, the divisions and the demo data, serve on :8000
    python3 dev.py test   # set up and run the whole test suite

Both create ``.venv`` beside this file and install the pinned requirements into it (again only
when a requirements file changed). ``run`` uses the embedded default: SQLite under ``var/``,
Celery eager. ``test`` uses whatever DATABASE_URL / CELERY_BROKER_URL say (CI: PostgreSQL, Redis).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def say(msg: str) -> None:
    print(f"==> {msg}", flush=True)


def ensure_venv(requirements: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036  (this file may be started by an older python3)
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    if not PY.exists():
        say(f"creating {VENV.name}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    reqs = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in reqs) + requirements.encode()).hexdigest()[:16]
    stamp = VENV / f".installed-{requirements}-{digest}"
    if not stamp.exists():
        say(f"installing {requirements}")
        subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", str(ROOT / requirements)], check=True)
        for old in VENV.glob(".installed-*"):
            old.unlink()
        stamp.touch()


def manage(*args: str, env: dict | None = None) -> None:
    subprocess.run([str(PY), str(ROOT / "manage.py"), *args], check=True, cwd=ROOT, env=env)


def cmd_run(args: argparse.Namespace) -> None:
    ensure_venv("requirements.txt")
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(DJANGO_SETTINGS_MODULE="ankang_jobs.settings.dev", DEMO_MODE="1")
    say("migrating the embedded database (var/db.sqlite3)")
    manage("migrate", "--no-input", "-v0", env=env)
    say("loading Ankang's divisions (NBS 2023), the 2022 plan and the demo accounts")
    manage("load_divisions", env=env)
    manage("load_plan", env=env)
    manage("seed_demo", env=env)
    url = f"http://127.0.0.1:{args.port}/"
    say(f"open {url}  (admin: {url}admin/)  —  stop with Ctrl-C")
    os.chdir(ROOT)
    os.execve(str(PY), [str(PY), "manage.py", "runserver", f"127.0.0.1:{args.port}"], env)


def cmd_test(args: argparse.Namespace) -> None:
    ensure_venv("requirements-dev.txt")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="ankang_jobs.settings.test")
    result = subprocess.run([str(PY), "-m", "pytest", *args.pytest_args], cwd=ROOT, env=env)
    sys.exit(result.returncode)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="set up and serve the platform with the demo dataset")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    run.set_defaults(func=cmd_run)
    test = sub.add_parser("test", help="set up and run the whole test suite (extra args go to pytest)")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    test.set_defaults(func=cmd_test)
    if sys.argv[1:2] == ["test"]:  # everything after "test" goes to pytest exactly as given (-k, -x, -p …)
        cmd_test(argparse.Namespace(pytest_args=sys.argv[2:]))
        return
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
