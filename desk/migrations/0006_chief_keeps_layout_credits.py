"""责任编辑 keeps the masthead's layout credits in the issue form: until the issue is published,
and by a correction afterwards (desk/page_services.py decides; this only opens the rows).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "责任编辑": [("issues", "layoutcredit", ["add", "change", "delete", "view"])],
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
        ("desk", "0005_chief_corrects_bylines_and_photos"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
