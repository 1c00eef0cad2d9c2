"""The wire desk in Wagtail's admin: its menu item, views and audit-log action types."""

from wagtail import hooks

from .desk import LOG_ACTIONS


@hooks.register("register_log_actions")
def register_desk_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
