"""责任编辑 corrects the bylines and photos of published articles (and the photo news of
published issues) on the Byline and Photo pages; every desk group reads issue corrections.

Whether a change is allowed is decided by desk/workflow.py; these permissions only open the
pages (see articles/0003_workflow_groups).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "责任编辑": [
        ("articles", "byline", ["add", "change", "delete"]),
        ("articles", "photo", ["add", "change", "delete"]),
        ("issues", "issuecorrection", ["view"]),
    ],
    "编辑": [("issues", "issuecorrection", ["view"])],
    "组版": [("issues", "issuecorrection", ["view"])],
}


def _grants(apps):
    """(group, its new permissions) for each group that exists."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app_label, model, actions in grants:
            yield group, Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    for group, permissions in _grants(apps):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    for group, permissions in _grants(apps):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0004_scheduled_publication_caption_snapshot"),
        ("articles", "0003_workflow_groups"),
        ("issues", "0006_issue_correction"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
