"""The e-mail form under every story: /<section>/<slug>/email/ and /<section>/<slug>/email/sent/.

Mounted before Wagtail's page tree, so the story's own routes (in ``news``) need not know of it.
"""

from django.urls import re_path

from . import views

app_name = "reader"

STORY = r"^(?P<story_path>(?:[-\w]+/)+)"

urlpatterns = [
    re_path(STORY + r"email/$", views.email_story, name="email-story"),
    re_path(STORY + r"email/sent/$", views.email_sent, name="email-sent"),
]
