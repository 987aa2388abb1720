"""A patient's EDSS course read from the database for the course engine."""

from celltrace.clinical.edss_course import EdssCourse, EdssPoint, edss_course


def patient_edss_course(patient) -> EdssCourse:
    """Return the patient's EDSS readings, relapse onsets and confirmed events (two queries)."""
    readings = patient.measurements.filter(instrument="edss").values_list("measured_on", "value")
    onsets = patient.relapses.values_list("onset", flat=True)
    return edss_course([EdssPoint(on, value) for on, value in readings], list(onsets))
