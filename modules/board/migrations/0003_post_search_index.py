# The site-wide search (modules/board/search.py) filters posts on this expression. A plain
# CREATE INDEX inside each town's schema: towns migrate one by one, each on its own small table.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("board", "0002_term_colour_icon"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.search.SearchVector("text", config="german"), name="board_post_search_gin"
            ),
        ),
    ]
