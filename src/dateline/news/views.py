"""Error pages in the site's style."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors here: the failure may be in one of them.
    return HttpResponseServerError(loader.get_template("500.html").render({"site_name": "Dateline"}))
