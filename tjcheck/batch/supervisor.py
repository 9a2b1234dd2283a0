"""Worker processes for `tjcheck batch`, watched so that one person cannot stall the batch.

A multiprocessing Pool cannot interrupt a task that hangs (an unreadable file, a library
that never returns), and Windows, where most users are, has no SIGALRM. So the batch runs
its own small supervisor:

- each worker is a fresh ("spawn") process with its own pipe; it loads the ruleset and the
  face model once, says "ready", then takes one person at a time from the main process,
  saying "started i" when it begins and sending "done i" with the record when it ends;
- the main process hands the next person to whichever worker is free, and kills a worker
  whose current person has run longer than the time limit: that person gets an "unusable"
  record saying so, a new worker takes the dead one's place, and the batch goes on. A worker
  that dies on its own (killed by the system, a crash in a native library) costs likewise
  only its current person's row;
- records are yielded in the order of the profiles, as soon as each one's turn comes.

A pipe per worker (not a shared queue) means killing a worker can never leave a lock held
or half a message in a channel that the others use. ``--jobs 1`` runs one worker process
too: the limit then works the same everywhere, for about a second of start-up.

Test-only: the worker reads the environment variable ``TJCHECK_TEST_WORKER``, a ``;``-list of
``hang:FOLDER`` (that person's check sleeps for an hour) and ``crash:FOLDER`` (the worker
kills itself when it reaches that person), FOLDER being the person's folder relative to
the batch folder. It exists so that the tests can make a hang and a crash on purpose;
nothing else sets it.
"""
from __future__ import annotations

import os
import signal
import time
from collections import deque
from pathlib import Path
from typing import Callable, Iterator

from .records import PersonResult

START_LIMIT = 120.0      # seconds a worker may take to load the ruleset and the face model
START_FAILURES = 3       # workers in a row that die or hang while starting: a broken installation
STOP_GRACE = 2.0         # seconds a finished worker gets to exit before it is killed
TEST_HOOK = "TJCHECK_TEST_WORKER"


class WorkersFailed(RuntimeError):
    """Workers die or hang before they can check anyone: not a person's fault, a bug or a
    broken installation (exit code 3)."""


def worker_main(conn, start: Callable[[], None], check: Callable[[Path], PersonResult],
                folder_of: Callable[[Path], str]) -> None:
    """A worker process: start once, then check the people the main process sends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the main process's to handle
    start()
    hooks = _test_hooks()
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):   # the main process is gone
            return
        if job is None:
            return
        i, profile = job
        conn.send(("started", i))
        if hooks:
            _run_test_hook(hooks.get(folder_of(profile)))
        conn.send(("done", i, check(profile)))


def _test_hooks() -> dict[str, str]:
    hooks = {}
    for item in os.environ.get(TEST_HOOK, "").split(";"):
        what, _, folder = item.partition(":")
        if folder:
            hooks[folder] = what
    return hooks


def _run_test_hook(what: str | None) -> None:
    if what == "hang":
        time.sleep(3600)
    elif what == "crash":
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


class _Worker:
    def __init__(self, context, target, args):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=target, args=(child, *args), daemon=True)
        self.process.start()
        child.close()
        self.born = time.monotonic()
        self.ready = False
        self.job: int | None = None          # the person it was given
        self.started: float | None = None    # when it said it began that person

    def give(self, i: int, profile: Path) -> bool:
        try:
            self.conn.send((i, profile))
        except OSError:                      # it has just died: noticed on the next round
            return False
        self.job, self.started = i, None
        return True

    def read(self, done: dict[int, PersonResult]) -> tuple[bool, bool]:
        """Take every message the worker has sent: (it became ready, its pipe is closed)."""
        became_ready = False
        try:
            while self.conn.poll():
                message = self.conn.recv()
                if message[0] == "ready":
                    self.ready = became_ready = True
                elif message[0] == "started":
                    self.started = time.monotonic()
                else:
                    done[message[1]] = message[2]
                    self.job = self.started = None
        except (EOFError, OSError):
            return became_ready, True
        return became_ready, False

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        """Let an idle worker end by itself; kill it if it does not."""
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(STOP_GRACE)
        self.kill()


def supervise(profiles: list[Path], jobs: int, timeout: float, start: Callable[[], None],
              check: Callable[[Path], PersonResult], folder_of: Callable[[Path], str],
              unchecked: Callable[[Path, dict[str, str], float], PersonResult]) -> Iterator[PersonResult]:
    """Records for ``profiles`` in their order, from ``jobs`` watched worker processes.
    ``start``, ``check`` and ``folder_of`` run in the workers (picklable: module-level
    functions or partials of them); ``unchecked(profile, problem, seconds)`` makes the
    record of a person who timed out or whose worker died."""
    import multiprocessing
    from multiprocessing.connection import wait

    # "spawn": fresh interpreters. A forked child would inherit the face model's graphs
    # without the threads that run them (if this process has used them) and hang.
    context = multiprocessing.get_context("spawn")

    def new_worker() -> _Worker:
        return _Worker(context, worker_main, (start, check, folder_of))

    todo = deque(range(len(profiles)))
    done: dict[int, PersonResult] = {}
    turn = 0                      # the next record to yield
    failed_starts = 0             # workers in a row that died or hung before they were ready
    workers = [new_worker() for _ in range(max(1, min(jobs, len(profiles))))]
    try:
        while True:
            for w in workers:
                if w.ready and w.job is None and todo:
                    i = todo.popleft()
                    if not w.give(i, profiles[i]):
                        todo.appendleft(i)
            while turn in done:
                yield done.pop(turn)
                turn += 1
            if turn >= len(profiles):
                return
            wait([w.conn for w in workers] + [w.process.sentinel for w in workers],
                 timeout=_next_deadline(workers, timeout))
            now = time.monotonic()
            for n, w in enumerate(workers):
                became_ready, closed = w.read(done)
                if became_ready:
                    failed_starts = 0
                if closed or not w.process.is_alive():
                    w.process.join(1)                 # its exit code, for the row
                    problem = _died(w.process.exitcode)
                elif w.started is not None and now - w.started > timeout:
                    problem = _timed_out(timeout)
                elif not w.ready and now - w.born > START_LIMIT:
                    problem = None
                else:
                    continue
                w.kill()
                if not w.ready:
                    failed_starts += 1
                    if failed_starts >= START_FAILURES:
                        raise WorkersFailed(f"{failed_starts} batch worker processes in a row died or hung while "
                                            f"starting (the last one's exit code: {w.process.exitcode})")
                if w.job is not None:
                    done[w.job] = unchecked(profiles[w.job], problem, now - (w.started or now))
                workers[n] = new_worker() if todo else None   # a new one only if someone is left
            workers = [w for w in workers if w is not None]
    finally:
        finished = turn >= len(profiles)
        for w in workers:
            if finished:
                w.stop()
            else:                                     # interrupted: no need to wait for anyone
                w.kill()


def _next_deadline(workers: list[_Worker], timeout: float) -> float:
    """Seconds until the earliest moment a worker may have to be killed."""
    now = time.monotonic()
    ends = [w.started + timeout for w in workers if w.started is not None] + \
        [w.born + START_LIMIT for w in workers if not w.ready]
    return max(0.0, min(ends) - now) + 0.05 if ends else START_LIMIT


def _seconds(value: float) -> str:
    return f"{value:g}"


def _timed_out(timeout: float) -> dict[str, str]:
    s = _seconds(timeout)
    return {"zh": f"检查超时（超过 {s} 秒），未能检查；可能有文件无法读取，请单独运行 tjcheck verify 查看。",
            "en": f"timed out (over {s} s), not checked; a file may be unreadable: run tjcheck verify on this "
                  "profile alone to see why."}


def _died(exitcode: int | None) -> dict[str, str]:
    if exitcode is not None and exitcode < 0:
        try:
            how = signal.Signals(-exitcode).name
        except ValueError:
            how = f"signal {-exitcode}"
        zh_how, en_how = f"信号 {how}", f"signal {how}"
    else:
        zh_how, en_how = f"退出码 {exitcode}", f"exit code {exitcode}"
    return {"zh": f"检查进程意外退出（{zh_how}，可能是内存不足或被系统终止），未能检查；请单独运行 tjcheck verify 查看。",
            "en": f"the checking process ended unexpectedly ({en_how}: out of memory, or stopped by the system?), "
                  "not checked; run tjcheck verify on this profile alone to see why."}
