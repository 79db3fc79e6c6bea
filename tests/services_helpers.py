"""Throw-away servers for the fault drills, on this machine's loopback only, each started and
stopped by process id: a Redis, a PostgreSQL cluster under /tmp, gunicorn, a Celery worker.
Never the shared PostgreSQL or Redis that other test runs use."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from django.conf import settings

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, what: str, timeout: float = 30, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(interval)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


class OwnRedis:
    """``redis-server`` on a free port (or ``port``), keeping nothing on disk; stop() kills it by pid."""

    def __init__(self, port: int | None = None):
        self.port, self.process = port or free_port(), None

    def start(self) -> OwnRedis:
        assert shutil.which("redis-server"), "redis-server is not installed"
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        wait_for(lambda: _listening(self.port), "redis-server to listen")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        wait_for(lambda: not _listening(self.port), "redis-server to stop")

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


class HungBroker:
    """A TCP server on a free port that accepts every connection and never answers: a hung Redis
    (or a half-open connection through a firewall). A separate process; stop() kills it by pid."""

    SCRIPT = ("import socket, sys\n"
              "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
              "s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(128)\n"
              "held = []\n"
              "while True:\n"
              "    held.append(s.accept()[0])\n")

    def __init__(self):
        self.port, self.process = free_port(), None

    def start(self) -> HungBroker:
        self.process = subprocess.Popen([sys.executable, "-c", self.SCRIPT, str(self.port)])
        wait_for(lambda: _listening(self.port), "the hung broker to listen")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        wait_for(lambda: not _listening(self.port), "the hung broker to stop")

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


class OwnPostgres:
    """A PostgreSQL cluster initialised under /tmp on a free port (run as the postgres user when
    we are root, as initdb refuses root). stop() is ``pg_ctl stop -m fast`` on that cluster's
    postmaster only: the restart a database gets during maintenance."""

    def __init__(self):
        assert PG_BIN is not None, "PostgreSQL server binaries not found under /usr/lib/postgresql"
        self.port, self.dir = free_port(), Path(tempfile.mkdtemp(prefix="ankang-pg-"))
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        subprocess.run([*self._as, str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-A", "trust",
                        "-U", "postgres", "--no-sync"], check=True, stdout=subprocess.DEVNULL)

    def _ctl(self, *args: str) -> None:
        subprocess.run([*self._as, str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"),
                        "-w", "-t", "30", *args], check=True, stdout=subprocess.DEVNULL)

    def start(self) -> OwnPostgres:
        self._ctl("-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        return self

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        try:
            self._ctl("-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.dir, ignore_errors=True)


def shared_test_database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Gunicorn:
    """gunicorn serving the platform on a free loopback port, with the given environment."""

    def __init__(self, env: dict[str, str], workers: int = 1, threads: int = 1):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "ankang_jobs.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--threads", str(threads), "--timeout", "60"],
            cwd=settings.BASE_DIR, env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"
        wait_for(self._up, "gunicorn to answer", timeout=60)

    def _up(self) -> bool:
        assert self.process.poll() is None, self.output()
        try:
            httpx.get(self.base + "/healthz", timeout=2)
            return True
        except httpx.TransportError:
            return False

    def output(self, tail: int = 5000) -> str:
        return Path(self.log.name).read_text(errors="replace")[-tail:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        Path(self.log.name).unlink(missing_ok=True)


def login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    import re

    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return client.post("/accounts/login/", data={"csrfmiddlewaretoken": token, "username": username,
                                                  "password": password},
                       headers={"Referer": str(client.base_url) + "/accounts/login/"})


def csrf(client: httpx.Client, path: str) -> str:
    import re

    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(path).text).group(1)
