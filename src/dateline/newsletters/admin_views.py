"""An editor's export of what is kept about one subscriber (their right to see it), as a JSON file."""

import json

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from . import subscribing
from .models import Subscriber


@permission_required("newsletters.view_subscriber", raise_exception=True)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    subscriber = get_object_or_404(Subscriber, pk=pk)
    data = subscribing.export(subscriber)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False) + "\n", content_type="application/json")
    name = "".join(c if c.isalnum() or c in ".-" else "-" for c in data["email"])
    response["Content-Disposition"] = f'attachment; filename="subscriber-{name}.json"'
    return response
