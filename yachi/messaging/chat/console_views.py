"""The clinic's chat inbox in the console: conversations waiting for an answer, mine,
being answered and closed; one conversation with the composer, quick replies, picking
up, handing over and closing; and the clinic's quick replies."""

from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError, NotFound
from yachi.core.pages import staff_required
from yachi.messaging.chat import directory, selectors, services
from yachi.messaging.chat.access import (
    DESK,
    access_conversation_by_id,
    access_inbox_clinic,
)
from yachi.messaging.chat.views import _int, _page_context, read_answer, send_answer


def _conversation_at(request, clinic, conversation_id):
    conversation = access_conversation_by_id(actor=request.user, conversation_id=conversation_id)
    if conversation.clinic_id != clinic.pk:
        raise NotFound(_("Conversation not found."), code="conversation_not_found")
    return conversation


@staff_required
def inbox_page(request, clinic_id):
    clinic = access_inbox_clinic(actor=request.user, clinic_id=clinic_id)
    view = request.GET.get("view", "waiting")
    if view not in selectors.INBOX_VIEWS:
        view = "waiting"
    return render(
        request,
        "messaging/console/chat/inbox.html",
        {
            "clinic": clinic,
            "section": "chat",
            "view": view,
            "rows": selectors.inbox_of(clinic_pk=clinic.pk, actor=request.user, view=view),
            "counts": selectors.inbox_counts(clinic_pk=clinic.pk, actor=request.user),
        },
    )


@staff_required
def conversation_page(request, clinic_id, conversation_id):
    clinic = access_inbox_clinic(actor=request.user, clinic_id=clinic_id)
    conversation = _conversation_at(request, clinic, conversation_id)
    before = request.GET.get("before")
    selectors.audit_staff_read(actor=request.user, conversation=conversation, how="console")
    if before is not None:
        context = _page_context(request, conversation, before=_int(before))
        return render(request, "messaging/chat/partials/history.html", context)
    services.conversation_read(actor=request.user, conversation=conversation)
    context = _page_context(request, conversation)
    desk = directory.clinics.may(request.user, clinic.pk, DESK)
    family = [m.pk for m in directory.families.members_of(conversation.owner)]
    context.update(
        {
            "clinic": clinic,
            "section": "chat",
            "desk": desk,
            "colleagues": directory.clinics.colleagues(clinic.pk) if desk else [],
            "quick_replies": selectors.quick_replies_of(clinic_pk=clinic.pk),
            "cards": directory.appointments.upcoming(family, clinic.pk),
        }
    )
    return render(request, "messaging/console/chat/conversation.html", context)


@staff_required
@require_POST
def conversation_send(request, clinic_id, conversation_id):
    clinic = access_inbox_clinic(actor=request.user, clinic_id=clinic_id)
    conversation = _conversation_at(request, clinic, conversation_id)
    back = reverse("console:chat_conversation", args=[clinic.public_id, conversation.public_id])
    return send_answer(request, conversation, back)


@staff_required
@require_POST
def conversation_read(request, clinic_id, conversation_id):
    clinic = access_inbox_clinic(actor=request.user, clinic_id=clinic_id)
    return read_answer(request, _conversation_at(request, clinic, conversation_id))


@staff_required
@require_POST
def conversation_assign(request, clinic_id, conversation_id):
    clinic = access_inbox_clinic(actor=request.user, clinic_id=clinic_id, duty=DESK)
    conversation = _conversation_at(request, clinic, conversation_id)
    back = reverse("console:chat_conversation", args=[clinic.public_id, conversation.public_id])
    try:
        services.conversation_assign(
            actor=request.user,
            conversation=conversation,
            assignee_id=request.POST.get("assignee") or None,
        )
    except DomainError as error:
        if error.status == 403:
            raise
        flash.error(request, error.message)
    return redirect(back)


@staff_required
@require_POST
def conversation_close(request, clinic_id, conversation_id):
    clinic = access_inbox_clinic(actor=request.user, clinic_id=clinic_id)
    conversation = _conversation_at(request, clinic, conversation_id)
    services.conversation_close(actor=request.user, conversation=conversation)
    flash.success(request, _("Closed. It opens again when the patient writes."))
    return redirect(reverse("console:chat_inbox", args=[clinic.public_id]))


@staff_required
def quick_replies_page(request, clinic_id):
    clinic = access_inbox_clinic(actor=request.user, clinic_id=clinic_id, duty=DESK)
    if request.method == "POST":
        try:
            services.quick_reply_save(
                clinic_pk=clinic.pk,
                title=request.POST.get("title", ""),
                text=request.POST.get("text", ""),
            )
            flash.success(request, _("Quick reply saved."))
            return redirect(reverse("console:chat_quick_replies", args=[clinic.public_id]))
        except DomainError as error:
            flash.error(request, error.message)
    return render(
        request,
        "messaging/console/chat/quick_replies.html",
        {
            "clinic": clinic,
            "section": "chat",
            "replies": selectors.quick_replies_of(clinic_pk=clinic.pk),
            "form": request.POST if request.method == "POST" else {},
        },
    )


@staff_required
def quick_reply_page(request, clinic_id, reply_id):
    clinic = access_inbox_clinic(actor=request.user, clinic_id=clinic_id, duty=DESK)
    reply = selectors.quick_reply_of(clinic_pk=clinic.pk, reply_id=reply_id)
    if reply is None:
        raise NotFound(_("Quick reply not found."), code="quick_reply_not_found")
    back = reverse("console:chat_quick_replies", args=[clinic.public_id])
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            services.quick_reply_delete(reply=reply)
            flash.success(request, _("Quick reply deleted."))
            return redirect(back)
        try:
            services.quick_reply_save(
                clinic_pk=clinic.pk,
                title=request.POST.get("title", ""),
                text=request.POST.get("text", ""),
                reply=reply,
            )
            flash.success(request, _("Quick reply saved."))
            return redirect(back)
        except DomainError as error:
            flash.error(request, error.message)
    return render(
        request,
        "messaging/console/chat/quick_reply.html",
        {"clinic": clinic, "section": "chat", "reply": reply},
    )
