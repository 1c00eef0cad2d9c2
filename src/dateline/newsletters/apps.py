from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "dateline.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import suppression

        suppression.connect()
