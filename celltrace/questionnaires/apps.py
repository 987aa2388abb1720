from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "celltrace.questionnaires"
    verbose_name = "Questionnaires (patient-reported outcomes)"
