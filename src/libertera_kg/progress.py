"""Progress of the long commands (``build``, ``draw``): the library tells a callback each step it starts;
the command line shows the current step on a terminal, once a command has run for a second or so.

>>> steps = []
>>> report = steps.append
>>> report("loading the graph")
>>> steps
['loading the graph']
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import TextIO

#: Told the step a long job starts, in a few words ("drawing the view cases").
Progress = Callable[[str], None]

#: Seconds a command runs before its progress shows: a quick one prints nothing.
SHOW_AFTER = 1.0


@contextlib.contextmanager
def terminal_progress(
    command: str, *, file: TextIO | None = None, delay: float = SHOW_AFTER
) -> Iterator[Progress]:
    """A :data:`Progress` that shows ``command: step [steps done, time]`` on one line of ``file`` (standard
    error) when it is a terminal, after ``delay`` seconds, and clears it at the end; elsewhere, nothing."""
    from tqdm import tqdm

    output = file if file is not None else sys.stderr
    columns, lines = _size(output)
    bar = tqdm(
        desc=f"{command}: starting",
        bar_format="{desc} [{n} steps, {elapsed}]",
        file=output,
        disable=not output.isatty(),
        delay=delay,
        leave=False,
        mininterval=0,  # a step is shown as it starts: there are a few dozen at most
        miniters=1,
        ncols=columns,
        nrows=lines,
    )

    def report(step: str) -> None:
        bar.set_description_str(f"{command}: {step}", refresh=False)
        bar.update(1)

    try:
        yield report
    finally:
        bar.close()


def _size(output: TextIO) -> tuple[int, int]:
    """The terminal's columns and lines, or 100 by 24 where it reports none (a terminal of size 0, as
    some give), which would make tqdm show nothing."""
    try:
        size = os.get_terminal_size(output.fileno())
    except (OSError, ValueError, AttributeError):
        return 100, 24
    return size.columns or 100, size.lines or 24
