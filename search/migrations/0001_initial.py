# ArticleSearch moved here from the articles app. Its table, articles_articlesearch, and its
# GIN index (made by articles/0004 on PostgreSQL) stay as they are: this migration only tells
# Django's state where the model now lives, and articles/0005 removes it from the articles
# app's state. See tests/desk/test_upgrade.py.

import django.contrib.postgres.search
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("articles", "0004_article_search"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ArticleSearch",
                    fields=[
                        ("article", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="search", serialize=False, to="articles.article", verbose_name="article")),
                        ("document", models.TextField(blank=True, verbose_name="searchable text")),
                        ("date", models.DateField(blank=True, null=True, verbose_name="date")),
                        ("vector", django.contrib.postgres.search.SearchVectorField(blank=True, null=True)),
                        ("indexed_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="indexed at")),
                    ],
                    options={
                        "verbose_name": "search index entry",
                        "verbose_name_plural": "search index entries",
                        "db_table": "articles_articlesearch",
                        "indexes": [models.Index(fields=["date", "article"], name="articlesearch_date")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
