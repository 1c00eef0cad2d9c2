from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "dateline.reader"
    label = "reader"
    verbose_name = "Reader tools"
    default_auto_field = "django.db.models.BigAutoField"
