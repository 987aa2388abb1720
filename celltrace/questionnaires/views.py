"""The patient's questionnaires in the portal: what is due, what comes next, what is done."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from celltrace.accounts import site_time
from celltrace.accounts.access import role_required
from celltrace.clinical.questionnaires import CLOSED, DONE, DUE, UPCOMING, open_window
from celltrace.questionnaires import access, actions
from celltrace.questionnaires.forms import patient_form, title, when
from celltrace.questionnaires.queries import questionnaires_for
from celltrace.refusal import Refused, show_refusal


def _shown(questionnaire) -> dict:
    return {
        "q": questionnaire,
        "title": title(questionnaire.instrument),
        "when": when(questionnaire.timepoint),
    }


@role_required(*access.ANSWER)
def mine(request):
    patient = access.get_own_patient(request.user)
    found = questionnaires_for(patient)
    by_status = {status: [] for status in (DUE, UPCOMING, DONE, CLOSED)}
    for questionnaire in found:
        by_status[questionnaire.status].append(_shown(questionnaire))
    context = {
        "patient": patient,
        "due": by_status[DUE],
        "upcoming": by_status[UPCOMING],
        "done": by_status[DONE],
        "closed": by_status[CLOSED],
    }
    return render(request, "questionnaires/mine.html", context)


@role_required(*access.ANSWER)
def answer(request, code):
    patient = access.get_own_patient(request.user)
    try:
        form = patient_form(code, request.POST or None)
    except KeyError:
        raise Http404("No such questionnaire.") from None
    due = open_window(questionnaires_for(patient), code)
    if request.method == "POST" and form.is_valid():
        answers = {name: request.POST.get(name) for name in form.fields}
        try:
            actions.answer_questionnaire(patient, request.user, code, answers)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("Thank you: your answers were saved."))
            return redirect("questionnaires:mine")
    context = {
        "patient": patient,
        "code": code,
        "title": title(code),
        "form": form,
        "due": due,
        "today": site_time.today(patient.site),
    }
    return render(request, "questionnaires/answer.html", context)
