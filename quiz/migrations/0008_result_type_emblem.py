"""A type's emblem (icon and colour), and the editor group's permissions on types: 0005 made the
type tables without granting them, so only superusers could edit a type (or its emblem)."""

from django.db import migrations, models

TYPE_MODELS = ["resulttype", "resulttypecitation"]


def let_editors_edit_types(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="editor")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="quiz", content_type__model__in=TYPE_MODELS
        )
    )


def stop_editors_editing_types(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="editor"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="quiz", content_type__model__in=TYPE_MODELS
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('quiz', '0007_rule_weight_orders_warnings'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalresulttype',
            name='colour',
            field=models.CharField(default='#0b5c4a', help_text='白い文字をのせても読める濃い色にします（白との明暗比 4.5:1 以上）。ほかのタイプと見分けやすい色を選んでください。', max_length=7, verbose_name='エンブレムの色'),
        ),
        migrations.AddField(
            model_name='historicalresulttype',
            name='icon',
            field=models.CharField(default='circle-user-round', help_text='Lucide のアイコンです。エンブレムでは、タイプの色の上に白で描きます。', max_length=64, verbose_name='エンブレムのアイコン'),
        ),
        migrations.AddField(
            model_name='resulttype',
            name='colour',
            field=models.CharField(default='#0b5c4a', help_text='白い文字をのせても読める濃い色にします（白との明暗比 4.5:1 以上）。ほかのタイプと見分けやすい色を選んでください。', max_length=7, verbose_name='エンブレムの色'),
        ),
        migrations.AddField(
            model_name='resulttype',
            name='icon',
            field=models.CharField(default='circle-user-round', help_text='Lucide のアイコンです。エンブレムでは、タイプの色の上に白で描きます。', max_length=64, verbose_name='エンブレムのアイコン'),
        ),
        migrations.RunPython(let_editors_edit_types, stop_editors_editing_types),
    ]
