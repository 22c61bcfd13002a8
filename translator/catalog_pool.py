"""Worker processes fed through two queues. Lighter than ``multiprocessing.Pool`` for
this job (its bookkeeping threads cost the run process about a quarter of a worker on
NDJSON), and a worker that dies is noticed instead of waited for forever."""
from __future__ import annotations

import multiprocessing
import queue as queues
from typing import Any, Callable, Iterator

from .catalog_work import FileResult, Options, Tally, Worker

# -- in each worker process: one Worker ----------------------------------------------------------

_WORKER: Worker | None = None
_STOP = None  # with --strict: set by the worker whose file failed, so the others stop at their next file


def init_worker(options: Options, stop=None) -> None:
    global _WORKER, _STOP
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C and stops the pool
    _WORKER, _STOP = Worker(options), stop


def run_files(tasks: list[tuple[str, str | None, bool, str | None]]) -> tuple[list[FileResult], Tally]:
    """The results of the files of a chunk, in order; with --strict, only those converted
    before a failure (here or in another worker): the run names the others not converted."""
    tally, results = Tally(), []
    for task in tasks:
        if _STOP is not None and _STOP.is_set():
            break
        path, rel, follow, linked_from = task
        results.append(_WORKER.process_file(path, rel, follow, tally, linked_from))
        if _STOP is not None and results[-1].failed:
            _STOP.set()
            break
    return results, tally


def run_block(label: str, first: int, block: bytes) -> tuple[bytes, Tally]:
    from .catalog_stream import translate_block
    return translate_block(_WORKER, label, first, block)


def run_links(written: list, *args) -> list:
    from .catalog_links import links_to_failed
    return links_to_failed(written, *args)


_FUNCTIONS = {"files": run_files, "block": run_block, "links": run_links}


def _serve(options: Options, tasks, results, stop) -> None:
    init_worker(options, stop)
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
        self.stop = ctx.Event() if options.strict else None
        self.processes = [ctx.Process(target=_serve, args=(options, self.tasks, self.results, self.stop),
                                      daemon=True)
                          for _ in range(jobs)]
        self.jobs = jobs
        self.stopped = False
        for process in self.processes:
            process.start()

    def submit(self, number: int, name: str, *args: Any) -> None:
        self.tasks.put((number, name, args))

    def in_order(self, next_task: Callable[[], tuple | None], idle: Callable[[], None] | None = None, *,
                 busy: int = 4, most: int = 4) -> Iterator[Any]:
        """The result of each task ``next_task()`` gives (``(name, *args)``, or None when it has
        none to give now), in the order it gave them, with *busy* tasks per worker at work and at
        most *most* per worker sent and not yet yielded (a result waits for those before it).
        next_task is asked again after each result is yielded, so a task may come of what the
        caller did with an earlier result (the links a catalog run follows); the iteration ends
        when it gives none and nothing is at work. *idle* is called while waiting. No other task
        may be pending: the results are known by their place."""
        sent = done = 0
        waiting: dict[int, Any] = {}  # results that came back before their turn
        while True:
            while sent - done - len(waiting) < self.jobs * busy and sent - done < self.jobs * most:
                task = next_task()
                if task is None:
                    break
                self.submit(sent, *task)
                sent += 1
            if done == sent:
                return
            try:
                number, value = self.next_result(timeout=0.25)
            except queues.Empty:
                if idle is not None:
                    idle()
                continue
            waiting[number] = value
            while done in waiting:
                yield waiting.pop(done)
                done += 1

    def map_in_order(self, name: str, chunks: list, *args: Any, idle=None) -> Iterator[Any]:
        """The result of ``name(chunk, *args)`` for each chunk, in the order of *chunks*."""
        pending = iter(chunks)

        def next_task() -> tuple | None:
            chunk = next(pending, None)
            return None if chunk is None else (name, chunk, *args)
        return self.in_order(next_task, idle)

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
