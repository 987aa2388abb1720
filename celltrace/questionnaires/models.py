"""A questionnaire that came due: the record its one reminder is about.

The answers themselves are outcome measurements (outcomes.Measurement, source "patient");
this row only marks that a patient's questionnaire of one instrument at one time point
opened, so the sweep reminds once per questionnaire and time point, never once per sweep.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from celltrace.patients.models import Patient


class DueQuestionnaire(models.Model):
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="due_questionnaires"
    )
    instrument = models.CharField(max_length=30)  # an instrument code, e.g. "eq5d5l"
    timepoint = models.CharField(max_length=30)  # "baseline" or the plan's name, "3 months"
    opens_on = models.DateField()
    closes_on = models.DateField()
    noticed_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["opens_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "instrument", "timepoint"], name="one_due_questionnaire"
            )
        ]

    def __str__(self):
        return f"{self.instrument} at {self.timepoint} for {self.patient}, due {self.opens_on}"
