"""Processes a benchmark starts (a Celery worker, later a web server): started with their
output in a log file, their peak memory read, stopped by their own process id."""

import signal
import subprocess  # only to start our own command lines (below)  # nosec B404
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

STOP_TIMEOUT_SECONDS = 30


@contextmanager
def running(
    command: list[str], *, env: dict[str, str], log_path: Path
) -> Iterator[subprocess.Popen]:
    """``command`` running, stdout and stderr to ``log_path``; stopped on the way out."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own command line  # nosec B603
            command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM (a Celery worker's warm shutdown), then SIGKILL if it does not end."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def peak_rss_bytes(pid: int) -> int:
    """The process's high-water mark of resident memory (Linux: VmHWM); elsewhere, its
    resident memory now."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return psutil.Process(pid).memory_info().rss
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return psutil.Process(pid).memory_info().rss


def tree_peak_rss(pid: int) -> list[int]:
    """Peak resident memory of ``pid``, then of each of its descendants."""
    parent = psutil.Process(pid)
    return [peak_rss_bytes(p.pid) for p in [parent, *parent.children(recursive=True)]]


def log_tail(log_path: Path, lines: int = 30) -> str:
    return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
