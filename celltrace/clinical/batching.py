"""Helpers for engines that answer many records in one run."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a batch builds its results."""
    # Batch inputs and results are trees (decoded JSON, records), never cycles: reference
    # counting frees them, and each collector pass only walks the growing results again
    # (a sixth to a fifth of the run time at 100,000 records).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
