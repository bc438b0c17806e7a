"""Keep MediaPipe's start-up log lines off the terminal.

MediaPipe's C++ graph and TensorFlow Lite write status lines straight to file
descriptor 2 when a graph starts and first finds a person ("Created TensorFlow
Lite XNNPACK delegate", absl "W0000 ... Feedback manager requires a model with
a single signature ..."). They are not about the user's video and read like
errors to a clinician, and absl ignores the logging settings made from Python
before its own initialisation. `quiet_native_log` sends fd 2 to a temporary
file while such a call runs, then writes back everything except those known
lines, so a real error message from the native code is never lost.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator

#: Informational lines of MediaPipe, absl and TensorFlow Lite (anywhere in a
#: line: a progress bar may precede them on the terminal's line).
NATIVE_NOISE = re.compile(
    r"INFO: Created TensorFlow Lite XNNPACK delegate for CPU\.\n"
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called are written to "
    r"STDERR\n"
    r"|[IW]\d{4} \d\d:\d\d:[\d.]+ +\d+ [\w.]+:\d+\] [^\n]*\n")


@contextlib.contextmanager
def quiet_native_log() -> Iterator[None]:
    """Drop MediaPipe's informational lines written to fd 2 inside the block.

    Everything else the block writes to fd 2 (errors and fatal messages of the
    native code, Python's own writes) is written back to ``sys.stderr`` when
    the block ends. Where fd 2 cannot be redirected (closed), the block runs
    unchanged.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        yield
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            kept = NATIVE_NOISE.sub("", sink.read().decode("utf-8", errors="replace"))
            if kept:
                sys.stderr.write(kept)
                sys.stderr.flush()
