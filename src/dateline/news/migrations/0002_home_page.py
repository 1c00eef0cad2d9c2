"""Replace Wagtail's placeholder 'Welcome' page with the newsroom's HomePage, and point the
default site at it, so a freshly migrated install already has a front page."""

from django.db import migrations


def create_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("news.HomePage")

    if HomePage.objects.exists():
        return
    placeholder_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    if placeholder_type:
        Page.objects.filter(content_type=placeholder_type, depth=2, slug="home").delete()
    root = Page.objects.get(depth=1)
    # Leave a hand-made tree alone: the home page is then the editors' to create.
    if Page.objects.filter(depth=2).exists():
        return
    home_type, _ = ContentType.objects.get_or_create(app_label="news", model="homepage")
    locale = Locale.objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="Home",
        draft_title="Home",
        slug="home",
        content_type=home_type,
        path=root.path + "0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
    )
    root.numchild = 1
    root.save(update_fields=["numchild"])
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Dateline")


def remove_home(apps, schema_editor):
    apps.get_model("news.HomePage").objects.filter(depth=2, slug="home").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home, remove_home)]
