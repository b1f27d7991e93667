"""Tool work off the server's event loop.

A tool call's store reads, searches, pydantic validation and rendering are ordinary blocking Python. Run inside an
`async` handler they hold the event loop, so one HTTP server process answers its callers one after another.
`off_loop` runs such a coroutine method on a worker thread, with an event loop of that thread's own (connectors'
async HTTP runs there too), and relays progress reports back to the caller's loop. Calls made from inside one (the
chain running its earlier steps) run in place.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

_T = TypeVar("_T")
_worker = threading.local()  # per worker thread: its event loop (kept between calls), and whether a call runs on it


def _relay(progress: Callable[..., Coroutine[Any, Any, None]], loop: asyncio.AbstractEventLoop) -> Callable[..., Awaitable[None]]:
    """A progress callback that runs on `loop` (the caller's), awaited from the worker thread's loop."""

    async def relayed(*args: Any) -> None:
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(progress(*args), loop))

    return relayed


def off_loop(method: Callable[..., Coroutine[Any, Any, _T]]) -> Callable[..., Coroutine[Any, Any, _T]]:
    @functools.wraps(method)
    async def call(*args: Any, **kwargs: Any) -> _T:
        if getattr(_worker, "inside", False):
            return await method(*args, **kwargs)
        if kwargs.get("progress") is not None:
            kwargs["progress"] = _relay(kwargs["progress"], asyncio.get_running_loop())

        def work() -> _T:
            runner = getattr(_worker, "runner", None)
            if runner is None:
                runner = _worker.runner = asyncio.Runner()
            _worker.inside = True
            try:
                return runner.run(method(*args, **kwargs))
            finally:
                _worker.inside = False

        import anyio.to_thread

        return await anyio.to_thread.run_sync(work)

    return call
