from django.conf import settings


def site(request):
    return {"site_name": settings.DATELINE_SITE_NAME, "site_url": settings.DATELINE_SITE_URL}
