# The site-wide search (modules/groups/search.py) filters groups and posts on these expressions.
# Plain CREATE INDEX inside each town's schema: towns migrate one by one, each on its own small tables.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("groups", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="group",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.search.SearchVector("name", "description", config="german"),
                name="groups_group_search_gin",
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.search.SearchVector("text", config="german"), name="groups_post_search_gin"
            ),
        ),
    ]
