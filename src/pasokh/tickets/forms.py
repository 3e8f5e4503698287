"""Forms of the ticket pages; choices come only from the user's tenant."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pasokh.contacts.models import Contact
from pasokh.tenancy.access import visible_to
from pasokh.tenancy.models import Team, User
from pasokh.tickets.models import Priority, TicketComment, TicketType


class TicketForm(forms.Form):
    ticket_type = forms.ModelChoiceField(queryset=TicketType.objects.none(), label=_("Type"))
    priority = forms.ChoiceField(
        choices=Priority.choices, initial=Priority.NORMAL, label=_("Priority")
    )
    subject = forms.CharField(max_length=300, label=_("Subject"))
    description = forms.CharField(
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("Description"),
    )
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(), required=False, label=_("Contact")
    )
    assignee = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Assignee")
    )
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, label=_("Team"))

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["ticket_type"].queryset = visible_to(user, TicketType).filter(is_active=True)
        fields["contact"].queryset = visible_to(user, Contact)
        fields["assignee"].queryset = visible_to(user, User).filter(is_active=True)
        fields["team"].queryset = visible_to(user, Team)


class CommentForm(forms.Form):
    kind = forms.ChoiceField(
        choices=TicketComment.Kind.choices,
        initial=TicketComment.Kind.REPLY,
        widget=forms.RadioSelect,
        label=_("Kind"),
    )
    body = forms.CharField(
        max_length=10000, widget=forms.Textarea(attrs={"rows": 4}), label=_("Text")
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Assignee")
    )
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, label=_("Team"))

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["assignee"].queryset = visible_to(user, User).filter(is_active=True)
        fields["team"].queryset = visible_to(user, Team)
