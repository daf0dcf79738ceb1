"""`faqbot serve` as a real subprocess on a free loopback port, for the benchmarks that load it.

Shared by soak.py, server_faults.py and http_throughput.py, so every one starts,
waits for and stops the server the same way.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from measure import ROOT

HOST = "127.0.0.1"  # loopback only, always


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def faqbot_server(kb: Path | None = None, *flags: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`python -m faqbot serve` on a free loopback port; yields (base URL, process)."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "faqbot",
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--rate-limit",
        "off",
        *flags,
    ]
    if kb is not None:
        command += ["--kb", str(kb)]
    with serving(command, port) as running:
        yield running


@contextmanager
def serving(
    command: list[str], port: int, environ: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`command` (a server on `port`) running until healthy; yields (base URL, process)."""
    url = f"http://{HOST}:{port}"
    # A file, not a pipe: nobody reads the log during the run, and a full pipe stalls the server.
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=log, stderr=log)
        process.log = log  # what the server has printed so far (see `printed`)
        try:
            wait_until_healthy(url, process, log)
            yield url, process
        finally:
            stop(process)


def printed(process: subprocess.Popen) -> str:
    """Everything a server started by `serving` has printed so far."""
    # pread: the server writes through the same file offset, which a seek would move.
    descriptor = process.log.fileno()
    return os.pread(descriptor, os.fstat(descriptor).st_size, 0).decode("utf-8", "replace")


def wait_until_healthy(url: str, process: subprocess.Popen, log, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"server exited: {log.read()[-2000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not become healthy")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def children(pid: int) -> list[int]:
    """Direct child processes of `pid` (uvicorn's workers, under its supervisor)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


REDIS_SERVER = "redis-server"


@contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway `redis-server` on a free loopback port (no disk); yields its URI.

    Raises FileNotFoundError when redis-server is not installed.
    """
    import shutil

    binary = shutil.which(REDIS_SERVER)
    if binary is None:
        raise FileNotFoundError(
            f"{REDIS_SERVER} is not installed (Debian: apt-get install redis-server)"
        )
    port = free_port()
    command = [binary, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"]
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL)
        try:
            _wait_for_port(port, process)
            yield f"redis://{HOST}:{port}"
        finally:
            stop(process)


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{REDIS_SERVER} exited with {process.returncode}")
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{REDIS_SERVER} did not start listening")
