"""Clean text stored before control characters were refused (people/validators.py).

Word's line and page breaks (U+000B, U+000C) become newlines; every other control character
is dropped. Prints what it changed, field by field. Rows are written with QuerySet.update(), so
afterwards run `manage.py rebuild_search_index` if anything was changed (it prints a reminder).
Safe to run twice: the second time it finds nothing.
"""

import re

from django.db import migrations

# A copy of people.validators as it was when this migration was written.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What the database can be asked for: PostgreSQL text cannot hold NUL, so leave it out.
_PATTERN = "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"


def strip_control_characters(text):
    return _CONTROL.sub("", text.replace("\x0b", "\n").replace("\x0c", "\n"))


TEXT_FIELDS = [
    ("people", "Person", ["name", "affiliation"]),
    ("issues", "Publication", ["name", "epaper_url", "submission_email"]),
    ("issues", "Issue", ["epaper_url", "submission_email"]),
    ("issues", "Page", ["name"]),
    ("articles", "Article", ["headline", "subheadline", "dateline", "body"]),
    ("articles", "Photo", ["caption", "alt_text"]),
    ("articles", "Correction", ["note"]),
    ("desk", "Transition", ["note"]),
]


def clean(apps, schema_editor):
    changed = []
    for app_label, model_name, fields in TEXT_FIELDS:
        model = apps.get_model(app_label, model_name)
        for field in fields:
            rows = model.objects.filter(**{f"{field}__regex": _PATTERN}).values_list("pk", field)
            count = 0
            for pk, value in rows.iterator():
                model.objects.filter(pk=pk).update(**{field: strip_control_characters(value)})
                count += 1
            if count:
                changed.append(f"{model_name}.{field}: {count}")
    for model_name in ("Publication", "Issue"):
        model = apps.get_model("issues", model_name)
        count = 0
        for pk, stored in model.objects.values_list("pk", "sponsors").iterator():
            sponsors = [strip_control_characters(str(s)) for s in stored or []]
            if sponsors != (stored or []):
                model.objects.filter(pk=pk).update(sponsors=sponsors)
                count += 1
        if count:
            changed.append(f"{model_name}.sponsors: {count}")
    if changed:
        print(
            "\n  Control characters removed from stored text (rows changed): "
            + ", ".join(changed)
            + ". Run `manage.py rebuild_search_index` next."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0002_text_without_control_characters"),
        ("people", "0002_text_without_control_characters"),
        ("issues", "0003_text_without_control_characters"),
        ("articles", "0006_text_without_control_characters"),
    ]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
