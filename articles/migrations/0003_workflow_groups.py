"""The four groups of the editorial desk, with the model permissions each needs for the admin.

The workflow rules themselves (who may submit, approve, place, publish) are in
articles/workflow.py; these permissions only open the admin pages each group works in.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_PEOPLE = [("people", "person", ["view"])]
READ_ARTICLES = [
    ("articles", "article", ["view"]),
    ("articles", "byline", ["view"]),
    ("articles", "photo", ["view"]),
    ("articles", "correction", ["view"]),
]
READ_ISSUES = [
    ("issues", "publication", ["view"]),
    ("issues", "issue", ["view"]),
    ("issues", "page", ["view"]),
]

PERMISSIONS = {
    "通讯员": [
        ("articles", "article", ["add", "change", "view"]),
        ("articles", "byline", ["add", "change", "delete", "view"]),
        ("articles", "photo", ["add", "change", "delete", "view"]),
        *VIEW_PEOPLE,
    ],
    "编辑": [
        ("articles", "article", ["add", "change", "view"]),
        ("articles", "byline", ["add", "change", "delete", "view"]),
        ("articles", "photo", ["add", "change", "delete", "view"]),
        ("articles", "correction", ["view"]),
        ("people", "person", ["add", "change", "view"]),
        *READ_ISSUES,
    ],
    "组版": [
        *READ_ARTICLES,
        ("issues", "publication", ["view"]),
        ("issues", "issue", ["view"]),
        ("issues", "page", ["add", "change", "view"]),
        *VIEW_PEOPLE,
    ],
    "责任编辑": [
        *READ_ARTICLES,
        ("issues", "publication", ["view"]),
        ("issues", "issue", ["add", "change", "view"]),
        ("issues", "page", ["add", "change", "view"]),
        *VIEW_PEOPLE,
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, actions in grants:
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_history_and_transitions"),
        ("issues", "0001_initial"),
        ("people", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
