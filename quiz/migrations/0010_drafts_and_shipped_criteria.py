"""Drafts: who published a version, the permission to publish, discard and restore, the shipped
file's states (ShippedCriteria) and uploads kept by digest (UploadedCriteria). The editor group
gets every permission an import needs (result types and their citations were missing, so an
import could change what the admin refused to show) and the new publish permission."""

from django.db import migrations, models

# Every table an import writes (quiz.criteria.write_tables), and the test cases.
EDITOR_MODELS = [
    "dimension", "source", "section", "question", "choice", "choicescore", "displaycondition",
    "rule", "rulecondition", "strategy", "strategycitation", "warningsign", "warningcitation",
    "resulttype", "resulttypecitation", "criteriatestcase",
]
EDITOR_EXTRA = ["view_criteriaversion", "publish_criteria", "view_shippedcriteria"]


def grant_editor_permissions(apps, schema_editor):
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
            content_type__app_label="quiz", content_type__model__in=EDITOR_MODELS
        ),
        *Permission.objects.filter(content_type__app_label="quiz", codename__in=EDITOR_EXTRA),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('quiz', '0009_result_outcome_fields'),
    ]

    operations = [
        migrations.CreateModel(
            name='ShippedCriteria',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(max_length=64, verbose_name='データの SHA-256')),
                ('data', models.JSONField(verbose_name='基準のデータ')),
                ('state', models.CharField(choices=[('seeded', '空のデータベースに読み込み、公開しました'), ('proposed', '提案中'), ('adopted', '下書きに取り込みました'), ('dismissed', '取り込まずに閉じました')], max_length=10, verbose_name='状態')),
                ('received_at', models.DateTimeField(auto_now_add=True, verbose_name='届いた日時')),
                ('decided_by', models.CharField(blank=True, max_length=150, verbose_name='判断した人')),
            ],
            options={
                'verbose_name': '出荷された基準',
                'verbose_name_plural': '出荷された基準',
                'ordering': ['-pk'],
            },
        ),
        migrations.CreateModel(
            name='UploadedCriteria',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(max_length=64, unique=True, verbose_name='データの SHA-256')),
                ('data', models.JSONField(verbose_name='基準のデータ')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='読み込んだ日時')),
            ],
            options={
                'verbose_name': '読み込んだファイル',
                'verbose_name_plural': '読み込んだファイル',
            },
        ),
        migrations.AlterModelOptions(
            name='criteriaversion',
            options={'get_latest_by': 'number', 'ordering': ['-number'], 'permissions': [('publish_criteria', '下書きを公開・破棄し、以前の版を戻せる')], 'verbose_name': '基準の版', 'verbose_name_plural': '基準の版'},
        ),
        migrations.AddField(
            model_name='criteriaversion',
            name='author',
            field=models.CharField(blank=True, max_length=150, verbose_name='公開した人'),
        ),
        migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop),
    ]
