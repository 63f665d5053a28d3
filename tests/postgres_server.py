"""A real PostgreSQL server for the tests: Debian's binaries, `initdb` into a temporary folder,
a free port on 127.0.0.1, password authentication over TCP, stopped by PID.

PostgreSQL refuses to run as root: as root (a container, CI), `initdb` and `postgres` run as the
`postgres` user that Debian's package creates, in a folder it owns.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from itertools import count
from pathlib import Path

INSTALL = "apt-get install postgresql (or `make system-deps`)"
USER = "apytest"
PASSWORD = "pg-test-Pa55word-7f3c9e"
"""The server's superuser password: what the tests check never leaks."""
_databases = count(1)


def binaries() -> Path | None:
    """The newest `/usr/lib/postgresql/<version>/bin` with initdb and postgres, or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found and (found[-1].parent / "initdb").exists() else None


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user() -> tuple[list[str], int | None, int | None]:
    """The command prefix that runs a server binary as a user PostgreSQL accepts, and the
    user's ids to own its folder (None: the current user, who is not root)."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError(
            f"running as root without a `postgres` user to run PostgreSQL as: {INSTALL}"
        ) from None
    prefix = [
        "setpriv",
        f"--reuid={user.pw_uid}",
        f"--regid={user.pw_gid}",
        "--clear-groups",
        "--",
    ]
    return prefix, user.pw_uid, user.pw_gid


@dataclass
class Server:
    """One running server; `url(database)` connects as the superuser (password separate)."""

    process: subprocess.Popen[bytes]
    folder: Path
    port: int
    bin: Path

    def url(self, database: str = "postgres", *, password: bool = False) -> str:
        secret = f":{PASSWORD}" if password else ""
        return f"postgresql://{USER}{secret}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL with the server's own client; its output, unaligned."""
        done = subprocess.run(
            [
                str(self.bin / "psql"),
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
                self.url(database),
            ],
            env={**os.environ, "PGPASSWORD": PASSWORD, "PGCONNECT_TIMEOUT": "10"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"psql {sql!r}: {done.stderr.strip()}")
        return done.stdout.strip()

    def new_database(self) -> str:
        """A fresh, empty database; its name."""
        name = f"memory_{os.getpid()}_{next(_databases)}"
        self.psql(f"CREATE DATABASE {name}")
        return name

    def stop(self) -> None:
        """Fast shutdown (SIGINT) by PID, SIGKILL if it does not end; then the folder."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


def _run(command: Sequence[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)}: {done.stderr.strip() or done.stdout.strip()}")


def start(bin_folder: Path) -> Server:
    """initdb into a new temporary folder and start the server on a free port."""
    prefix, uid, gid = _as_server_user()
    folder = Path(tempfile.mkdtemp(prefix="apytest-pg-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    password_file = folder / "password"
    password_file.write_text(PASSWORD + "\n")
    if uid is not None and gid is not None:
        for path in (folder, sockets, password_file):
            os.chown(path, uid, gid)
    _run(
        [
            *prefix,
            str(bin_folder / "initdb"),
            "-D",
            str(data),
            "-U",
            USER,
            f"--pwfile={password_file}",
            "--auth-host=scram-sha-256",
            "--auth-local=scram-sha-256",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ]
    )
    port = free_port()
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [
            *prefix,
            str(bin_folder / "postgres"),
            "-D",
            str(data),
            "-p",
            str(port),
            "-k",
            str(sockets),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
            "-c",
            "max_connections=100",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    server = Server(process, folder, port, bin_folder)
    _wait_ready(server)
    return server


def _wait_ready(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            log = (server.folder / "server.log").read_text(errors="replace")
            server.stop()
            raise RuntimeError(f"postgres exited with {server.process.returncode}: {log[-2000:]}")
        ready = subprocess.run(
            [str(server.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(server.port)],
            capture_output=True,
            check=False,
        )
        if ready.returncode == 0:
            return
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"postgres did not accept connections within {timeout:g} s")
        time.sleep(0.1)


def serve(bin_folder: Path) -> Iterator[Server]:
    server = start(bin_folder)
    try:
        yield server
    finally:
        server.stop()
