"""Driving a socket scenario from a test."""

import asyncio
import threading
from concurrent.futures import Future

# How long the sockets a scenario leaves open may take to end once it has its answer.
LEFTOVER_SECONDS = 10


def run(scenario, *args):
    """``scenario(*args)`` to its end on a thread and event loop of its own, where no other
    event loop (a browser test's, left by Playwright in this process) is running; its sync
    work runs on asgiref's thread: tests that use it commit their data
    (``transaction=True``).

    The answer comes back as soon as the scenario has it. The consumers it leaves running
    are then cancelled on that thread, which waits for them a bounded time: a consumer
    that will not end (a channel layer's receive loop caught in its clean-up) cannot hold
    the test, or the whole run, forever."""
    answer: Future = Future()

    def main() -> None:
        loop = asyncio.new_event_loop()
        try:
            try:
                answer.set_result(loop.run_until_complete(scenario(*args)))
            except BaseException as error:
                answer.set_exception(error)
            leftovers = asyncio.all_tasks(loop)
            for task in leftovers:
                task.cancel()
            if leftovers:
                loop.run_until_complete(asyncio.wait(leftovers, timeout=LEFTOVER_SECONDS))
            if not asyncio.all_tasks(loop):
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()
        finally:
            if not answer.done():
                answer.set_exception(RuntimeError("the scenario's loop ended without an answer"))

    threading.Thread(target=main, name="socket-scenario", daemon=True).start()
    return answer.result()
