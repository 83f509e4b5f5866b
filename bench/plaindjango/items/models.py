from django.db import models


class Item(models.Model):
    """An article-like row: what Dorfkern's news list shows per entry, without the town around it."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    teaser = models.TextField()
    published_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title
