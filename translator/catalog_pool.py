"""Worker processes fed through two queues. Lighter than ``multiprocessing.Pool`` for
this job (its bookkeeping threads cost the run process about a quarter of a worker on
NDJSON), and a worker that dies is noticed instead of waited for forever."""
from __future__ import annotations

import multiprocessing
import queue as queues
from typing import Any

from .catalog_work import Options, init_worker, run_block, run_files

_FUNCTIONS = {"files": run_files, "block": run_block}


def _serve(options: Options, tasks, results) -> None:
    init_worker(options)
    while True:
        task = tasks.get()
        if task is None:
            return
        number, name, args = task
        try:
            results.put((number, True, _FUNCTIONS[name](*args)))
        except Exception as exc:  # reported by the run; the worker goes on
            results.put((number, False, f"{type(exc).__name__}: {exc}"))


class WorkerFailed(RuntimeError):
    """A worker raised or died: the run cannot trust what is missing."""


class Workers:
    """``submit(number, name, *args)`` then ``next_result(timeout)`` → ``(number, value)``."""

    def __init__(self, jobs: int, options: Options):
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        ctx = multiprocessing.get_context(method)
        self.tasks = ctx.Queue()
        self.results = ctx.Queue()
        self.processes = [ctx.Process(target=_serve, args=(options, self.tasks, self.results), daemon=True)
                          for _ in range(jobs)]
        self.stopped = False
        for process in self.processes:
            process.start()

    def submit(self, number: int, name: str, *args: Any) -> None:
        self.tasks.put((number, name, args))

    def next_result(self, timeout: float) -> tuple[int, Any]:
        """Raises queue.Empty after *timeout* seconds without a result."""
        try:
            number, ok, value = self.results.get(timeout=timeout)
        except queues.Empty:
            dead = [p for p in self.processes if p.exitcode not in (None, 0)]
            if dead:
                raise WorkerFailed(f"a worker process died (exit code {dead[0].exitcode})") from None
            raise
        if not ok:
            raise WorkerFailed(f"a worker process failed: {value}")
        return number, value

    def close(self) -> None:
        if self.stopped:
            return
        for _ in self.processes:
            self.tasks.put(None)
        for process in self.processes:
            process.join()
        self._release()

    def terminate(self) -> None:
        if self.stopped:
            return
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join()
        self._release()

    def _release(self) -> None:
        self.stopped = True
        for q in (self.tasks, self.results):
            q.cancel_join_thread()  # never block the exit on data no one will read
            q.close()

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.terminate()
