from django.conf import settings

from .identity import current


def site(request):
    identity = current()
    return {"site_name": identity.name, "site_url": settings.DATELINE_SITE_URL, "identity": identity}
