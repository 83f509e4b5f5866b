"""What a typical module migration touches: a table that gains a column with a default and an index."""

from django.db import models


class BenchNote(models.Model):
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    # Added by 0002, the migration bench/migrations.py times.
    pinned = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["pinned", "-created_at"], name="benchapp_note_pinned_idx")]

    def __str__(self) -> str:
        return self.title
