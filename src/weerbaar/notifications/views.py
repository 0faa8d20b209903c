from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from weerbaar.core.http import current_user

from . import actions
from .models import Notification


def inbox(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    messages = Notification.objects.for_user(user)[:100]
    return render(request, "notifications/inbox.html", {"notifications": messages})


@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    actions.mark_all_read(current_user(request))
    return redirect("notifications:inbox")
