"""The overdue follow-up list and completing an item."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from celltrace.accounts.access import role_required
from celltrace.followup import access, actions
from celltrace.followup.access import get_item_for_user
from celltrace.followup.forms import CompleteForm
from celltrace.followup.queries import overdue_items
from celltrace.refusal import Refused


@role_required(*access.VIEW)
def overdue(request):
    context = {
        "rows": overdue_items(request.user),
        "can_complete": request.user.role in access.COMPLETE,
    }
    return render(request, "followup/overdue.html", context)


@require_POST
@role_required(*access.COMPLETE)
def complete(request, pk):
    item = get_item_for_user(request.user, pk)
    form = CompleteForm(request.POST)
    notes = form.cleaned_data["notes"] if form.is_valid() else ""
    try:
        actions.complete_follow_up_item(item, request.user, notes=notes)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Done: {item.title} for {item.patient}.")
    return redirect("followup:overdue")
