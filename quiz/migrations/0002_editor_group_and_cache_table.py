"""The "editor" group: may edit the criteria and test cases, and see criteria versions; may not
touch users or groups. And the table of the database cache (settings.CACHES), made with the schema
so that no deploy step can forget it."""

from django.core.management import call_command
from django.db import migrations

CRITERIA_MODELS = [
    "dimension", "source", "section", "question", "choice", "choicescore", "displaycondition",
    "rule", "rulecondition", "strategy", "strategycitation", "warningsign", "warningcitation",
    "criteriatestcase",
]


def create_editor_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="editor")
    editable = Permission.objects.filter(
        content_type__app_label="quiz", content_type__model__in=CRITERIA_MODELS
    )
    viewable = Permission.objects.filter(
        content_type__app_label="quiz", codename="view_criteriaversion"
    )
    group.permissions.set([*editable, *viewable])


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="editor").delete()


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_editor_group, remove_editor_group),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
