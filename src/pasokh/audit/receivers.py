"""Sign-in events from django.contrib.auth, written to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from pasokh.audit.actions import record


@receiver(user_logged_in, dispatch_uid="audit-signed-in")
def _signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(action="auth.signed_in", tenant=user.tenant, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit-signed-out")
def _signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(action="auth.signed_out", tenant=user.tenant, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The username is recorded (it is what an attacker tried); the password never is.
    record(
        action="auth.sign_in_failed",
        request=request,
        changes={"username": str(credentials.get("username", ""))[:150]},
    )
