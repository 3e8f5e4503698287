"""The widget's words, translated on the server and sent to the widget with its config."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

WIDGET_STRINGS = {
    "title": _("Chat with us"),
    "subtitle": _("We usually answer within a minute."),
    "open": _("Chat"),
    "close": _("Close"),
    "name": _("Your name"),
    "contact": _("Mobile number or e-mail"),
    "topic": _("Topic"),
    "start": _("Start chat"),
    "placeholder": _("Type your message…"),
    "send": _("Send"),
    "attach": _("Attach a file"),
    "waiting": _("Waiting for an agent to join…"),
    "joined": _("{name} joined the conversation"),
    "typing": _("{name} is typing…"),
    "ended": _("The conversation has ended."),
    "rate_question": _("How was your conversation?"),
    "rate_comment": _("Anything you would like to add? (optional)"),
    "rate_send": _("Send rating"),
    "rated": _("Thank you for your feedback!"),
    "closed": _("We are closed right now. Leave a message and we will get back to you."),
    "leave_message": _("Your message"),
    "send_message": _("Send message"),
    "message_left": _("Your message was received. We will contact you soon."),
    "sent": _("Sent"),
    "delivered": _("Delivered"),
    "read": _("Read"),
    "reconnecting": _("Connection lost; reconnecting…"),
    "missing": _("Please give your name and a mobile number or e-mail address."),
    "too_large": _("The file is larger than the allowed size."),
    "end": _("End chat"),
    "new_chat": _("Start a new conversation"),
    "you": _("You"),
    "agent": _("Agent"),
    "error": _("Something went wrong. Please try again."),
    "stars": _("{n} of 5"),
}
