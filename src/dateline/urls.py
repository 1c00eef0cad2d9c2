from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve as serve_file
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from dateline.news import routing
from dateline.news import views as news_views
from dateline.signin import UnlockingPasswordResetConfirmView

urlpatterns: list[URLPattern | URLResolver] = [
    path("favicon.ico", news_views.favicon, name="favicon"),
    path("theme.css", news_views.theme_css, name="theme_css"),
    path("", include("dateline.reader.urls")),
    path("", include("dateline.feeds.urls")),
    path("", include("dateline.topics.urls")),
    path("", include("dateline.search.urls")),
    path("newsletters/", include("dateline.newsletters.urls")),
    path("anymail/", include("dateline.newsletters.webhooks")),
    path("django-admin/", admin.site.urls),
    path(  # Wagtail's own step, which also lifts the editor's sign-in lockout
        "admin/password_reset/confirm/<uidb64>/<token>/",
        UnlockingPasswordResetConfirmView.as_view(),
        name="wagtailadmin_password_reset_confirm",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DATELINE_SERVE_MEDIA:
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve_file,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

# Wagtail's page tree answers everything else: /<section>/<slug>/ and the reader routes under it,
# through Wagtail's view with the page found in two queries (news/routing.py), under Wagtail's name.
urlpatterns += [pattern for pattern in wagtail_urls.urlpatterns if getattr(pattern, "name", "") != "wagtail_serve"]
urlpatterns.append(re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"))

handler404 = "dateline.news.views.not_found"
handler500 = "dateline.news.views.server_error"
