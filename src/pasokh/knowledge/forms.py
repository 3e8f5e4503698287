"""Forms of the knowledge pages; team, queue and category choices stay in the tenant."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pasokh.knowledge.models import Article, ArticleCategory, CannedAnswer
from pasokh.router.models import Queue
from pasokh.tenancy.access import visible_to
from pasokh.tenancy.models import Team


class CannedAnswerForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    shortcut = forms.CharField(
        max_length=40, label=_("Shortcut"), widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    body = forms.CharField(
        max_length=5000, label=_("Text"), widget=forms.Textarea(attrs={"rows": 6})
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        label=_("Only for team"),
        empty_label=_("Every team"),
    )
    queue = forms.ModelChoiceField(
        queryset=Queue.objects.none(),
        required=False,
        label=_("Only for queue"),
        empty_label=_("Every queue"),
    )
    is_active = forms.BooleanField(required=False, initial=True, label=_("Active"))

    def __init__(
        self, user: Any, *args: Any, instance_values: CannedAnswer | None = None, **kwargs: Any
    ) -> None:
        if instance_values is not None:
            kwargs["initial"] = {
                "title": instance_values.title,
                "shortcut": instance_values.shortcut,
                "body": instance_values.body,
                "team": instance_values.team_id,
                "queue": instance_values.queue_id,
                "is_active": instance_values.is_active,
            }
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["team"].queryset = visible_to(user, Team)
        fields["queue"].queryset = visible_to(user, Queue)


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=300, label=_("Title"))
    category = forms.ModelChoiceField(queryset=ArticleCategory.objects.none(), label=_("Category"))
    visibility = forms.ChoiceField(choices=Article.Visibility.choices, label=_("Visibility"))
    body = forms.CharField(
        max_length=50000, label=_("Text"), widget=forms.Textarea(attrs={"rows": 14})
    )

    def __init__(
        self, user: Any, *args: Any, article: Article | None = None, **kwargs: Any
    ) -> None:
        if article is not None and article.current_version is not None:
            kwargs["initial"] = {
                "title": article.current_version.title,
                "category": article.category_id,
                "visibility": article.visibility,
                "body": article.current_version.body,
            }
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["category"].queryset = visible_to(user, ArticleCategory)
