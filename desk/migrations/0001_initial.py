# Transition moved here from the articles app. Its table, articles_transition, stays as it
# is: this migration only tells Django's state where the model now lives, and
# articles/0005 removes it from the articles app's state. See tests/desk/test_upgrade.py.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("articles", "0004_article_search"),
        ("issues", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Transition",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("action", models.CharField(max_length=30, verbose_name="action")),
                        ("from_state", models.CharField(max_length=20, verbose_name="from")),
                        ("to_state", models.CharField(max_length=20, verbose_name="to")),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="at")),
                        ("article", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="transitions", to="articles.article", verbose_name="article")),
                        ("by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="transitions", to=settings.AUTH_USER_MODEL, verbose_name="by")),
                        ("issue", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="transitions", to="issues.issue", verbose_name="issue")),
                    ],
                    options={
                        "verbose_name": "transition",
                        "verbose_name_plural": "transitions",
                        "db_table": "articles_transition",
                        "ordering": ["-at", "-id"],
                        "indexes": [models.Index(fields=["article", "-at"], name="transition_article_at"), models.Index(fields=["issue", "-at"], name="transition_issue_at")],
                        "constraints": [models.CheckConstraint(condition=models.Q(models.Q(("article__isnull", False), ("issue__isnull", True)), models.Q(("article__isnull", True), ("issue__isnull", False)), _connector="OR"), name="transition_article_xor_issue")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
