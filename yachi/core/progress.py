"""A long command's progress (the demo build, a backup, a restore): a bar redrawn in
place on a terminal, plain lines elsewhere (a log file, a test's captured output)."""

import sys
import time


class Progress:
    WIDTH = 28

    def __init__(self, steps: int, *, out=None, log=print):
        self.steps, self.done = steps, 0
        self.out = out if out is not None else sys.stdout
        self.log = log
        isatty = getattr(self.out, "isatty", None)
        self.live = bool(isatty and isatty())
        self.started = time.monotonic()

    def _write(self, text: str) -> None:
        from django.core.management.base import OutputWrapper

        if isinstance(self.out, OutputWrapper):
            self.out.write(text, ending="")
        else:
            self.out.write(text)
        self.out.flush()

    def bar(self, label: str = "") -> str:
        filled = self.WIDTH * self.done // max(1, self.steps)
        seconds = time.monotonic() - self.started
        return (
            f"  [{'█' * filled}{'░' * (self.WIDTH - filled)}] "
            f"{self.done}/{self.steps} {seconds:4.0f} s {label}"
        )

    def start(self, label: str) -> None:
        """The step now running, shown on the bar."""
        if self.live:
            self._write("\r\033[K" + self.bar(label + "…"))

    def at(self, done: int, label: str = "") -> None:
        """Part of a step done (bytes of a file): only the bar moves, no line is kept."""
        self.done = max(0, min(self.steps, done))
        if self.live:
            self._write("\r\033[K" + self.bar(label))

    def advance(self, message: str) -> None:
        """A step is done: its line, then the bar below it."""
        self.done = min(self.steps, self.done + 1)
        if self.live:
            self._write("\r\033[K" + message + "\n" + self.bar())
        else:
            self.log(message)

    def finish(self) -> None:
        if self.live:
            self._write("\r\033[K")


def progress_bar(stderr):
    """A bar on stderr (stdout carries only the path, for scripts), redrawn when the
    percentage moves; plain, not in the colour of errors."""
    stderr.style_func = None
    bar = Progress(100, out=stderr, log=lambda message: None)
    shown = [-1, ""]

    def update(done: int, total: int, label: str) -> None:
        percent = 100 * done // max(total, 1)
        if [percent, label] != shown:
            shown[:] = [percent, label]
            bar.at(percent, f"{label} {done / 2**20:.1f}/{total / 2**20:.1f} MB")

    return bar, update
