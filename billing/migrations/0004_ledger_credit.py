from django.db import migrations, models


def seed_plans(apps, schema_editor):
    from billing.catalogue import catalogue_seed

    catalogue_seed(apps.get_model("billing", "Product"))


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_catalogue")]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="credited_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(seed_plans, migrations.RunPython.noop),
    ]
