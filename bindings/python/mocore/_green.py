"""Blocking mocore calls as awaitables: greenlets over the C library's wait function.

Most of the API has non-blocking ``_start`` forms (capi/mocore/async.h) that mocore.aio
drives directly. The managers (and LOAD DATA, and anything else without one) are ordinary
blocking C calls. An asyncio client installs :func:`wait` as its config's wait function
(``mo_config_set_wait_function``): when such a call must wait for the socket, the C library
calls it instead of poll(). Run inside a greenlet made by :func:`run` (or by SQLAlchemy's
``greenlet_spawn``, which speaks the same protocol), it switches to the parent greenlet with
an awaitable for the socket; the parent — a coroutine on the event loop — awaits it and
switches back with the events. The C stack of the call stays suspended in between, so the
loop runs other tasks while a manager waits; no threads are involved.

Cancelling the awaiting task throws the CancelledError into the suspended call: the wait
function answers "cancel", the C library closes that connection (the client or session is
poisoned, exactly as for any cancelled statement), and the call raises the same
CancelledError, so ``asyncio.wait_for`` and ``task.cancel()`` behave as with any coroutine.
"""

import asyncio
import weakref

try:
    import greenlet as _greenlet
except ImportError:  # pragma: no cover - greenlet ships with SQLAlchemy; mocore[aio] asks for it
    _greenlet = None

from . import mocore_core as _core

_READ = _core.MO_WAIT_READ
_WRITE = _core.MO_WAIT_WRITE
_TIMEOUT = _core.MO_WAIT_TIMEOUT

# The exception thrown into a suspended call, kept until the call raises (see error()).
_thrown = weakref.WeakKeyDictionary()


async def ready(fd, events, timeout_ms):
    """Wait in the running loop until ``fd`` is ready for ``events`` (MO_WAIT_* bits) or,
    when ``events`` has MO_WAIT_TIMEOUT, ``timeout_ms`` passed. Returns the events that
    happened. The one readiness wait of mocore.aio."""
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def happened(ev):
        if not fut.done():
            fut.set_result(ev)

    timer = None
    if events & _READ:
        loop.add_reader(fd, happened, _READ)
    if events & _WRITE:
        loop.add_writer(fd, happened, _WRITE)
    if events & _TIMEOUT:
        timer = loop.call_later(timeout_ms / 1000.0, happened, _TIMEOUT)
    try:
        return await fut
    finally:
        if events & _READ:
            loop.remove_reader(fd)
        if events & _WRITE:
            loop.remove_writer(fd)
        if timer is not None:
            timer.cancel()


def _bridged(g):
    """Whether the greenlet's parent awaits what it is switched (ours, or SQLAlchemy's)."""
    return isinstance(g, _Bridge) or getattr(g, "__sqlalchemy_greenlet_provider__", False)


def wait(fd, events, timeout_ms):
    """The wait function of asyncio clients (called by the C library, GIL held)."""
    g = _greenlet.getcurrent() if _greenlet else None
    if g is None or not _bridged(g):
        # A blocking call made outside run() (an on_connect hook inside a connect, a call
        # from plain code): it blocks, as it would without a wait function.
        return _core.MO_WAIT_USE_POLL
    try:
        return g.parent.switch(ready(fd, events, timeout_ms))
    except BaseException as exc:  # thrown in by the awaiting side: cancel the call
        _thrown[g] = exc
        on_cancel = getattr(g, "on_cancel", None)
        if on_cancel is not None and isinstance(exc, asyncio.CancelledError):
            async def kill_then_wait():
                await on_cancel()
                return await ready(fd, events, timeout_ms)

            try:
                # Stop the statement on the server (the parent awaits the kill), then go on
                # waiting for its answer: the connection stays in sync, the call fails
                # with the interruption and raises exc (see error()).
                return g.parent.switch(asyncio.wait_for(kill_then_wait(), KILL_GRACE))
            except BaseException:
                pass  # the kill failed or took too long: close the connection
        return -1


def error(exc):
    """The exception a failed call raises: the one thrown into it while it waited (the
    cancellation that made it fail), else ``exc``. Used by the error factory."""
    if _greenlet is None:
        return exc
    thrown = _thrown.pop(_greenlet.getcurrent(), None)
    if thrown is None:
        return exc
    thrown.__cause__ = exc
    return thrown


if _greenlet is not None:
    class _Bridge(_greenlet.greenlet):
        """A greenlet whose parent awaits the awaitables it is switched (see run())."""
else:  # pragma: no cover
    class _Bridge:
        pass


#: Seconds a kill-on-cancel waits for the kill, then for the killed statement's answer.
KILL_GRACE = 5.0


async def run(fn, *args, **kwargs):
    """``await run(fn, ...)``: call the blocking ``fn(...)`` so that its waits go to the
    running loop (see the module doc). Returns what fn returns, raises what it raises."""
    return await run_with(None, fn, args, kwargs)


async def run_with(on_cancel, fn, args, kwargs):
    """run(fn, *args, **kwargs); when the awaiting task is cancelled while fn waits,
    ``on_cancel()`` (a coroutine: KILL QUERY of the statement) is awaited and the statement's
    answer read instead of closing the connection (mocore.aio's ``cancel="kill"``)."""
    if _greenlet is None:
        raise ImportError("awaiting mocore managers needs the greenlet package "
                          "(pip install 'mocore[aio]' or pip install greenlet)")
    parent = _greenlet.getcurrent()
    g = _Bridge(fn, parent)
    g.gr_context = parent.gr_context  # the caller's contextvars, as in the caller
    g.on_cancel = on_cancel
    cancelled = None
    result = g.switch(*args, **kwargs)
    while not g.dead:
        try:
            value = await result
        except BaseException as exc:
            cancelled = cancelled or exc
            result = g.throw(exc)
        else:
            result = g.switch(value)
    if cancelled is not None:
        # The call finished anyway (its statement ended before the kill landed): the task
        # was still cancelled.
        _thrown.pop(g, None)
        raise cancelled
    return result
