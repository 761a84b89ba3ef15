"""The patient's chat pages in the app: the family's conversations with clinics (消息),
one conversation that updates live over the WebSocket, and its pictures."""

from django.contrib import messages as flash
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError, InvalidInput, NotFound
from yachi.core.pages import patient_required
from yachi.messaging.chat import directory, selectors, services
from yachi.messaging.chat.access import access_conversation_by_id, access_image_message, side_of


@patient_required
def conversations_page(request):
    rows = selectors.conversations_of_owner(user=request.user)
    return render(
        request,
        "messaging/chat/conversations.html",
        {
            "rows": rows,
            "clinics": directory.clinics.clinics_open(),
            "members": directory.families.members_of(request.user),
            "tab": "me",
        },
    )


@patient_required
@require_POST
def conversation_start(request):
    try:
        opened = services.conversation_open(
            actor=request.user,
            clinic_id=request.POST.get("clinic") or "",
            patient_id=request.POST.get("patient") or None,
        )
    except NotFound as error:
        flash.error(request, error.message)
        return redirect("web:chat")
    return redirect("web:chat_conversation", opened.conversation.public_id)


def _page_context(request, conversation, *, before=None) -> dict:
    page, next_before = selectors.history_page(conversation=conversation, before=before)
    shown = selectors.messages_shown(list(reversed(page)))
    return {
        "conversation": conversation,
        "row": selectors.conversation_row(conversation=conversation, side=side_of(request.user)),
        "shown": shown,
        "next_before": next_before,
        "me": side_of(request.user),
    }


@patient_required
def conversation_page(request, conversation_id):
    conversation = access_conversation_by_id(actor=request.user, conversation_id=conversation_id)
    before = request.GET.get("before")
    if before is not None:
        # The older page, for "earlier messages".
        context = _page_context(request, conversation, before=_int(before))
        return render(request, "messaging/chat/partials/history.html", context)
    services.conversation_read(actor=request.user, conversation=conversation)
    context = _page_context(request, conversation)
    context.update(
        {
            "cards": directory.appointments.upcoming(
                [m.pk for m in directory.families.members_of(request.user)],
                conversation.clinic_id,
            ),
            "tab": "me",
        }
    )
    return render(request, "messaging/chat/conversation.html", context)


def _int(raw) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise InvalidInput(_("Not a message number.")) from None
    if value < 1:
        raise InvalidInput(_("Not a message number."))
    return value


def send_answer(request, conversation, back):
    """A message from a page's form: JSON for the page's script, else back to the page."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        message = services.message_send(
            actor=request.user,
            conversation=conversation,
            text=request.POST.get("text", ""),
            image=request.FILES.get("image"),
            appointment_id=request.POST.get("appointment") or None,
        )
    except DomainError as error:
        if wants_json:
            return JsonResponse(
                {"code": error.code, "message": str(error.message)}, status=error.status
            )
        flash.error(request, error.message)
        return redirect(back)
    if wants_json:
        return JsonResponse(selectors.messages_shown([message])[0], status=201)
    return redirect(back)


@patient_required
@require_POST
def conversation_send(request, conversation_id):
    conversation = access_conversation_by_id(actor=request.user, conversation_id=conversation_id)
    return send_answer(request, conversation, request.path.rsplit("send/", 1)[0])


def read_answer(request, conversation):
    raw = request.POST.get("seq")
    seq = _int(raw) if raw else None
    services.conversation_read(actor=request.user, conversation=conversation, seq=seq)
    return JsonResponse(
        {
            "patient_read_seq": conversation.patient_read_seq,
            "staff_read_seq": conversation.staff_read_seq,
        }
    )


@patient_required
@require_POST
def conversation_read(request, conversation_id):
    conversation = access_conversation_by_id(actor=request.user, conversation_id=conversation_id)
    return read_answer(request, conversation)


def chat_image(request, message_id):
    """A picture of a conversation, for its family and its clinic's staff."""
    if not request.user.is_authenticated:
        raise NotFound(_("Picture not found."), code="image_not_found")
    message = access_image_message(actor=request.user, message_id=message_id)
    response = HttpResponse(
        services.image_content(message), content_type=message.image_content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
