"""The shell: sign-in, the role's home page and the language switch."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pasokh.contacts.models import Contact
from pasokh.interactions.models import Interaction
from pasokh.router.models import AgentProfile, Queue
from pasokh.tenancy.access import visible_to
from pasokh.tenancy.actions import do_change_user_language
from pasokh.tenancy.models import Role, User

SUPPORTED_LANGUAGES = {"fa", "en"}


class SignInView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # A language chosen on the sign-in page is the person's choice: keep it on the account.
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen in SUPPORTED_LANGUAGES:
            do_change_user_language(form.get_user(), chosen)
        return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    queues = visible_to(user, Queue)
    context: dict[str, object] = {"today": timezone.now(), "role": user.role}
    if user.role == Role.AGENT:
        profile = visible_to(user, AgentProfile).filter(user=user).first()
        context["agent_profile"] = profile
        context["agent_skills"] = profile.skills.select_related("skill") if profile else []
        context["agent_queues"] = (
            profile.routing_profile.entries.select_related("queue").order_by("-priority")
            if profile and profile.routing_profile
            else []
        )
        context["recent_interactions"] = (
            visible_to(user, Interaction).filter(agent=user).select_related("contact", "queue")[:8]
        )
    else:
        context["queues"] = queues.annotate(
            agent_count=Count("routingprofilequeue__profile__agentprofile")
        )
        context["agent_count"] = (
            visible_to(user, User).filter(role=Role.AGENT, is_active=True).count()
        )
        context["contact_count"] = visible_to(user, Contact).count()
        context["recent_interactions"] = visible_to(user, Interaction).select_related(
            "contact", "queue", "agent"
        )[:10]
    return render(request, "web/home.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language; for a signed-in user the choice is kept on their account."""
    language = request.POST.get("language", "")
    if language not in SUPPORTED_LANGUAGES:
        return HttpResponseBadRequest("Unsupported language")
    if request.user.is_authenticated:
        do_change_user_language(request.user, language)  # type: ignore[arg-type]
    next_url = request.POST.get("next") or reverse("web:home")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("web:home")
    translation.activate(language)
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
