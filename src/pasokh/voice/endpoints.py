"""What the voice endpoints share: the signed-in user behind ``login_required``, and a refusal
answered as JSON with its translated reason (409 for a call request that cannot be done, 403
for a user who may not supervise)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

from django.http import HttpRequest, JsonResponse

from pasokh.tenancy.models import User
from pasokh.voice.controls import CallControlError

P = ParamSpec("P")


def signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required
    return user


def refusal(error: Exception, status: int) -> JsonResponse:
    return JsonResponse({"error": str(error)}, status=status)


def refuses_calls(view: Callable[P, JsonResponse]) -> Callable[P, JsonResponse]:
    """A ``CallControlError`` of the view is answered 409 with its reason."""

    @wraps(view)
    def answered(*args: P.args, **kwargs: P.kwargs) -> JsonResponse:
        try:
            return view(*args, **kwargs)
        except CallControlError as error:
            return refusal(error, 409)

    return answered


def refuses_non_supervisors(view: Callable[P, JsonResponse]) -> Callable[P, JsonResponse]:
    """A ``PermissionError`` of the view (not a supervisor) is answered 403 with its reason."""

    @wraps(view)
    def answered(*args: P.args, **kwargs: P.kwargs) -> JsonResponse:
        try:
            return view(*args, **kwargs)
        except PermissionError as error:
            return refusal(error, 403)

    return answered
