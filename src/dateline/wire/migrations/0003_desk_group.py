"""The "Wire desk" group (acts on the desk and edits the ingest rules); editors and moderators may look."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DESK = ["act_on_desk", "view_wireitem", "view_ingestrule", "add_ingestrule", "change_ingestrule", "delete_ingestrule"]


def groups(apps, schema_editor):
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    desk, _ = Group.objects.get_or_create(name="Wire desk")
    desk.permissions.add(*Permission.objects.filter(content_type__app_label="wire", codename__in=DESK))
    desk.permissions.add(*Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"))
    for name in ("Editors", "Moderators"):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="wire", codename__in=["view_wireitem"])
            )


class Migration(migrations.Migration):
    dependencies = [
        ("wire", "0002_desk"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(groups, migrations.RunPython.noop)]
