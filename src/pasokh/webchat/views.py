"""The widget's public HTTP endpoints: script, config, start, offline message, upload, files.

They are called cross-origin from the tenant's websites, so each answers CORS only to the
origins the tenant allowed; they use no cookies (the conversation token is the credential), so
CSRF does not apply; each is rate-limited per IP and per tenant key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.templatetags.static import static
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from pasokh.contacts.models import ContactIdentity
from pasokh.interactions.access import access_attachment
from pasokh.interactions.actions import (
    ChatError,
    do_post_message,
    do_record_offline_message,
    do_start_chat,
    do_store_attachment,
)
from pasokh.interactions.attachments import AttachmentError
from pasokh.interactions.models import Attachment, Message
from pasokh.interactions.serialize import message_dict
from pasokh.tenancy.calendars import business_calendar
from pasokh.webchat import ratelimit, tokens
from pasokh.webchat.access import conversation_for_token, origin_allowed, widget_for_key
from pasokh.webchat.models import ChatWidget, EntryPoint
from pasokh.webchat.offline import open_ticket_for
from pasokh.webchat.routing import enqueue_chat
from pasokh.webchat.strings import WIDGET_STRINGS

MAX_JSON_BYTES = 8 * 1024


def _language(value: object, widget: ChatWidget | None) -> str:
    if value in ("fa", "en"):
        return str(value)
    return widget.tenant.default_language if widget else "fa"


def _cors(request: HttpRequest, response: HttpResponseBase, widget: ChatWidget | None) -> Any:
    origin = request.headers.get("Origin")
    response["Vary"] = "Origin"
    if origin and origin_allowed(widget, origin):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type, X-Conversation-Token"
        response["Access-Control-Max-Age"] = "600"
    return response


def _refuse(request: HttpRequest, widget: ChatWidget | None, status: int, code: str) -> Any:
    return _cors(request, JsonResponse({"error": code}, status=status), widget)


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _guard(request: HttpRequest, widget: ChatWidget | None, scope: str) -> Any:
    """The common refusals, or None when the request may go on."""
    if widget is None:
        return _refuse(request, None, 404, "unknown_widget")
    if not origin_allowed(widget, request.headers.get("Origin")):
        return _refuse(request, None, 403, "origin_not_allowed")
    if not ratelimit.allow_all(scope, f"ip:{_client_ip(request)}", f"key:{widget.pk}"):
        return _refuse(request, widget, 429, "rate_limited")
    return None


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > MAX_JSON_BYTES:
        raise ValueError("too large")
    data = json.loads(request.body or b"{}")
    if not isinstance(data, dict):
        raise ValueError("not an object")
    return data


@require_GET
def widget_script(request: HttpRequest) -> HttpResponse:
    """The one script tag's target: a static file, served from here so the tag stays short."""
    path = finders.find("webchat/widget.js")
    if not path:
        raise Http404
    response = HttpResponse(
        Path(str(path)).read_bytes(), content_type="text/javascript; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"  # public code, no credentials
    response["Cache-Control"] = "public, max-age=300"
    return response


@csrf_exempt
def widget_config(request: HttpRequest) -> Any:
    widget = widget_for_key(request.GET.get("key"))
    if request.method == "OPTIONS":
        return _cors(request, HttpResponse(status=204), widget)
    refusal = _guard(request, widget, "config")
    if refusal is not None:
        return refusal
    assert widget is not None
    language = _language(request.GET.get("lang"), widget)
    with translation.override(language):
        strings = {key: str(text) for key, text in WIDGET_STRINGS.items()}
        topics = [
            {"code": e.code, "name": e.label(language)}
            for e in EntryPoint.objects.filter(tenant=widget.tenant, is_active=True)
        ]
    payload = {
        "tenant": widget.tenant.name,
        "language": language,
        "dir": "rtl" if language == "fa" else "ltr",
        "open": business_calendar(widget.tenant).is_open(timezone.now()),
        "topics": topics,
        "strings": strings,
        "max_attachment_bytes": widget.max_attachment_bytes,
        "max_message_chars": Message.MAX_LENGTH,
        "stylesheet": request.build_absolute_uri(static("webchat/widget.css")),
    }
    return _cors(request, JsonResponse(payload), widget)


def _prechat(widget: ChatWidget, data: dict[str, Any]) -> tuple[str, str, str, EntryPoint]:
    name = str(data.get("name", "")).strip()[:80]
    contact = str(data.get("contact", "")).strip()[:120]
    entry = EntryPoint.objects.filter(
        tenant=widget.tenant, code=str(data.get("topic", ""))[:40], is_active=True
    ).first()
    if not name or not contact or entry is None:
        raise ChatError(WIDGET_STRINGS["missing"])
    kind = ContactIdentity.Kind.EMAIL if "@" in contact else ContactIdentity.Kind.PHONE
    return name, kind, contact, entry


@csrf_exempt
def start_chat(request: HttpRequest) -> Any:
    widget = widget_for_key(request.GET.get("key"))
    if request.method == "OPTIONS":
        return _cors(request, HttpResponse(status=204), widget)
    if request.method != "POST":
        return _refuse(request, widget, 405, "method_not_allowed")
    refusal = _guard(request, widget, "start")
    if refusal is not None:
        return refusal
    assert widget is not None
    if not business_calendar(widget.tenant).is_open(timezone.now()):
        return _refuse(request, widget, 409, "closed")  # the widget offers /offline instead
    try:
        data = _json_body(request)
        with translation.override(_language(data.get("lang"), widget)):
            name, kind, contact, entry = _prechat(widget, data)
            interaction = do_start_chat(
                tenant=widget.tenant,
                customer_name=name,
                identity_kind=kind,
                identity_value=contact,
                queue=entry.queue,
                subject=entry.name,
            )
    except ValueError as error:
        detail = str(error) if isinstance(error, ChatError) else "bad_request"
        return _cors(request, JsonResponse({"error": detail}, status=400), widget)
    enqueue_chat(interaction, entry.queue.code)
    token = tokens.issue(widget.tenant_id, interaction.pk)
    return _cors(request, JsonResponse({"token": token, "conversation": interaction.pk}), widget)


@csrf_exempt
def offline_message(request: HttpRequest) -> Any:
    widget = widget_for_key(request.GET.get("key"))
    if request.method == "OPTIONS":
        return _cors(request, HttpResponse(status=204), widget)
    if request.method != "POST":
        return _refuse(request, widget, 405, "method_not_allowed")
    refusal = _guard(request, widget, "offline")
    if refusal is not None:
        return refusal
    assert widget is not None
    try:
        data = _json_body(request)
        with translation.override(_language(data.get("lang"), widget)):
            name, kind, contact, entry = _prechat(widget, data)
            body = str(data.get("body", ""))
            if not body.strip() or len(body) > Message.MAX_LENGTH:
                raise ChatError(WIDGET_STRINGS["error"])
            interaction = do_start_chat(
                tenant=widget.tenant,
                customer_name=name,
                identity_kind=kind,
                identity_value=contact,
                queue=entry.queue,
                subject=entry.name,
            )
            reference = open_ticket_for(interaction, body)
            do_record_offline_message(
                interaction=interaction, body=body, ticket_opened=reference is not None
            )
    except ValueError as error:
        detail = str(error) if isinstance(error, ChatError) else "bad_request"
        return _cors(request, JsonResponse({"error": detail}, status=400), widget)
    return _cors(request, JsonResponse({"ok": True, "ticket": reference}), widget)


@csrf_exempt
def upload(request: HttpRequest) -> Any:
    token = request.headers.get("X-Conversation-Token") or request.GET.get("token")
    interaction = conversation_for_token(token)
    widget = widget_for_key(interaction.tenant.public_key) if interaction else None
    if request.method == "OPTIONS":
        return _cors(request, HttpResponse(status=204), widget)
    if request.method != "POST":
        return _refuse(request, widget, 405, "method_not_allowed")
    if interaction is None:
        return _refuse(request, widget, 403, "bad_token")
    refusal = _guard(request, widget, "upload")
    if refusal is not None:
        return refusal
    assert widget is not None
    upload = request.FILES.get("file")
    if upload is None:
        return _refuse(request, widget, 400, "no_file")
    with translation.override(_language(request.GET.get("lang"), widget)):
        try:
            if upload.size is None or upload.size > widget.max_attachment_bytes:
                raise AttachmentError(WIDGET_STRINGS["too_large"])
            attachment = do_store_attachment(
                interaction=interaction,
                data=upload.read(),
                name=upload.name or "",
                max_bytes=widget.max_attachment_bytes,
            )
            message = do_post_message(
                interaction=interaction,
                sender=Message.Sender.CUSTOMER,
                body="",
                attachment=attachment,
            )
        except (AttachmentError, ChatError) as refusal_reason:
            return _cors(request, JsonResponse({"error": str(refusal_reason)}, status=400), widget)
    return _cors(request, JsonResponse({"message": message_dict(message)}), widget)


def attachment_file(request: HttpRequest, attachment_id: int) -> Any:
    """The conversation's parties only: the customer's token, or a signed-in user of the
    tenant through the access chokepoint."""
    attachment: Attachment | None = None
    interaction = conversation_for_token(request.GET.get("token"))
    if interaction is not None:
        attachment = Attachment.objects.filter(pk=attachment_id, interaction=interaction).first()
    elif request.user.is_authenticated:
        attachment = access_attachment(request.user, attachment_id)
    if attachment is None:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / "chat" / Path(attachment.path).name
    response = FileResponse(path.open("rb"), content_type=attachment.content_type)
    disposition = "inline" if attachment.content_type.startswith("image/") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="file.{path.suffix[1:]}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Cache-Control"] = "private, max-age=3600"
    return response
