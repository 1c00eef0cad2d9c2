"""The wire desk in Wagtail's admin: its menu (the desk and the ingest rules), the kill banner on a
story's edit page, and the desk's audit-log action types."""

from django.contrib import messages
from wagtail import hooks

from .desk import LOG_ACTIONS
from .models import WireItem
from .viewsets import WireViewSetGroup


@hooks.register("register_admin_viewset")
def register_wire_desk():
    return WireViewSetGroup()


@hooks.register("register_log_actions")
def register_desk_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("before_edit_page")
def kill_banner(request, page):
    """Until an editor acknowledges it on the desk, a killed story says so on its edit page."""
    if request.method == "GET":
        item = WireItem.objects.filter(page_id=page.pk, kill_acknowledged=False).first()
        if item is not None:
            messages.error(
                request,
                "KILL: the agency withdrew this story; it has been taken off the site and every cache. "
                "Do not publish it again. Acknowledge the kill on the Wire desk.",
            )
