"""Confirmed disability worsening and improvement in MS, typed as RAW or PIRA.

An independent implementation of the semantics of pymsprog's MSprog()
(Montobbio et al., Mult Scler 2024;30(9):1185-1192), linear in the visits.
"""

from .engine import assess_arrays, assess_course, assess_in_batches, detect_events
from .options import Options, RelapseFreeWindows
from .records import Event, Relapse, SubjectCourse, Visit
from .tables import RESULT_COLUMNS, results_table, summary_table

__all__ = [
    "RESULT_COLUMNS",
    "Event",
    "Options",
    "Relapse",
    "RelapseFreeWindows",
    "SubjectCourse",
    "Visit",
    "assess_arrays",
    "assess_course",
    "assess_in_batches",
    "detect_events",
    "results_table",
    "summary_table",
]
