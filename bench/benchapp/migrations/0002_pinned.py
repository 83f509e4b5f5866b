from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("benchapp", "0001_initial")]

    operations = [
        migrations.AddField(model_name="benchnote", name="pinned", field=models.BooleanField(default=False)),
        migrations.AddIndex(
            model_name="benchnote",
            index=models.Index(fields=["pinned", "-created_at"], name="benchapp_note_pinned_idx"),
        ),
    ]
