"""Reading an upload where a bad file cannot take the caller down: a child process per file.

The web process must survive any file: a reader that runs out of memory may abort the whole
process (a failed allocation in the Rust reader is not an exception), and a slow file would tie up
a worker until gunicorn kills it. So the dashboard reads and checks each upload in a child:

- the child bounds its own address space (TARGETS_MAX_UPLOAD_MEMORY_MB above what it holds
  after start) and its time (TARGETS_MAX_FILE_SECONDS), and turns either into a located refusal;
- the parent waits at most that time plus a grace, then kills the child; a child that dies
  (an abort on a failed allocation, the kernel's OOM killer) is a refusal too, never an outage;
- the parent gets back only the checked result: the rows to store (the reader's working memory
  stays in the child and is returned to the system when it exits) or the first errors.

Children are forked from a small server process that has imported the reader once (the
multiprocessing "forkserver" method): a child is ready in tens of milliseconds, and it inherits
no thread, lock or database connection of the web process.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import pickle
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.machinery import ModuleSpec
from multiprocessing.connection import Connection
from typing import Any

from targets.ingest import bounds
from targets.ingest.pipeline import ParsedUpload, read_upload, refused
from targets.ingest.resolve import CatalogueLike, RegionsLike

GRACE_SECONDS = 5  # the child's own alarm should fire first; then the parent kills it
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["targets.ingest.pipeline"])
_STARTING = threading.Lock()


def read_upload_isolated(
    data: bytes,
    file_name: str,
    catalogue: CatalogueLike,
    regions: RegionsLike,
    *,
    year: int | None = None,
    lang: str = "en",
) -> ParsedUpload:
    """`read_upload` in a child process under the memory and time bounds of targets.config."""
    limits = bounds.Limits.current()
    receive, send = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(
        target=_child,
        args=(send, limits, data, file_name, catalogue, regions, year, lang),
        name=f"targets-check-{file_name[:40]}",
        daemon=True,
    )
    with _STARTING, _main_left_alone():
        child.start()
    send.close()
    result: Any = None
    try:
        if receive.poll(limits.max_file_seconds + GRACE_SECONDS):
            try:
                result = receive.recv()
            except (EOFError, OSError, pickle.UnpicklingError):
                result = None  # the child died before it could answer
        else:
            result = bounds.too_slow(limits.max_file_seconds)
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if isinstance(result, ParsedUpload):
        return result
    sha = hashlib.sha256(data).hexdigest()
    if isinstance(result, bounds.Refusal):
        return refused(file_name, sha, result, lang)
    return refused(file_name, sha, _death(child.exitcode, limits), lang)


@contextmanager
def _main_left_alone() -> Iterator[None]:
    """Start a child without re-running the parent's main script in it.

    multiprocessing runs a script-started parent's main file again in each child so that
    functions defined there can be found; ours is a function of this package, and a script
    without an `if __name__ == "__main__"` guard would start its whole work again in the child.
    A main module whose spec is named __main__ is left alone.
    """
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    main.__spec__ = ModuleSpec("__main__", None)
    try:
        yield
    finally:
        main.__spec__ = None


# How readers die when an allocation fails under the limit: the Rust reader aborts, pandas' C
# tokenizer dereferences the failed pointer, the kernel's OOM killer sends SIGKILL.
_OUT_OF_MEMORY = (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL)


def _death(exitcode: int | None, limits: bounds.Limits) -> bounds.Refusal:
    """Why a child ended without an answer, in the words of a refusal."""
    if exitcode is not None and exitcode < 0 and -exitcode in _OUT_OF_MEMORY:
        refusal = bounds.too_much_memory(limits.max_upload_memory_mb)
        refusal.message += f" (the reader stopped with {signal.Signals(-exitcode).name})"
        return refusal
    return bounds.Refusal(
        "file-unreadable", f"the reader stopped on this file without an answer (exit {exitcode})"
    )


def _child(
    send: Connection,
    limits: bounds.Limits,
    data: bytes,
    file_name: str,
    catalogue: CatalogueLike,
    regions: RegionsLike,
    year: int | None,
    lang: str,
) -> None:
    limits.install()
    answer: ParsedUpload | bounds.Refusal
    try:
        with bounds.memory_limit(limits.max_upload_memory_mb):
            answer = read_upload(
                data, file_name, catalogue, regions, year=year, lang=lang, whole_process=True
            )
    except MemoryError:
        answer = bounds.too_much_memory(limits.max_upload_memory_mb)
    try:
        send.send(answer)
    finally:
        send.close()
