# Transition moved to the desk app and ArticleSearch to the search app, with their tables
# kept (desk/0001, search/0001). Here they leave the articles app's state only.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0004_article_search"),
        ("desk", "0001_initial"),
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Transition"),
                migrations.DeleteModel(name="ArticleSearch"),
            ],
            database_operations=[],
        ),
    ]
