"""A real PostgreSQL server for one test module: Debian's initdb and pg_ctl, in a temporary folder.

The server listens on a unix socket in its own folder only (no TCP port to collide with anything
else on the machine), trusts local connections, and runs as an unprivileged user, since the
tests run as root and PostgreSQL refuses to run as root.
"""
from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

SERVER_USERS = ("postgres", "nobody")   # Debian's package creates `postgres`


def server_bin() -> Path:
    """The folder of initdb and pg_ctl: Debian keeps them in /usr/lib/postgresql/<version>/bin,
    off PATH; the newest version installed wins."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError("PostgreSQL's initdb is not installed (Debian: apt-get install postgresql)")


def _server_user() -> pwd.struct_passwd:
    for name in SERVER_USERS:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError(f"none of the users {SERVER_USERS} exists to run PostgreSQL as")


class PostgresServer:
    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "server.log"

    def _as_server_user(self, *argv) -> None:
        command = list(map(str, argv))
        if os.geteuid() == 0:
            user = _server_user()
            command = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}{log}")

    def start(self) -> None:
        self.data.mkdir()
        self.log.touch()
        if os.geteuid() == 0:
            user = _server_user()
            for path in (self.data, self.log):
                os.chown(path, user.pw_uid, user.pw_gid)
        binaries = server_bin()
        self._as_server_user(binaries / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                             "-E", "UTF8", "--no-sync", "--no-instructions")
        # no TCP, the socket in the data folder; durability is not what a test needs
        options = f"-c listen_addresses='' -c unix_socket_directories='{self.data}' -c fsync=off"
        self._as_server_user(binaries / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._as_server_user(server_bin() / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def admin(self, *statements: str) -> None:
        """Run SQL as the superuser (CREATE ROLE / DATABASE cannot run in a transaction)."""
        with psycopg.connect(host=str(self.data), user="postgres", dbname="postgres", autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def create_gradebook(self, database: str, role: str) -> str:
        """What a course's administrator does once: a role for the graders and a database it owns.
        Returns the db_url the course puts in nbgrader_config.py."""
        self.admin(f"CREATE ROLE {role} LOGIN", f"CREATE DATABASE {database} OWNER {role}")
        return f"postgresql+psycopg://{role}@/{database}?host={self.data}"


@contextlib.contextmanager
def postgres_server():
    folder = Path(tempfile.mkdtemp(prefix="kit-postgres-"))
    os.chmod(folder, 0o755)   # the server's user reaches its data folder through it
    server = PostgresServer(folder)
    try:
        server.start()
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
