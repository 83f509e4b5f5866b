
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('town', '0005_ortsgemeinde_inhabitants'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('actor_id', models.BigIntegerField(blank=True, null=True)),
                ('actor_name', models.CharField(blank=True, max_length=200)),
                ('action', models.CharField(max_length=60)),
                ('target_type', models.CharField(blank=True, max_length=60)),
                ('target_id', models.CharField(blank=True, max_length=64)),
                ('target_label', models.CharField(blank=True, max_length=200)),
                ('changes', models.JSONField(blank=True, default=dict)),
                ('ip_address', models.CharField(blank=True, max_length=45)),
                ('request_id', models.CharField(blank=True, max_length=64)),
            ],
            options={
                'verbose_name': 'audit log entry',
                'ordering': ('-created_at', '-id'),
                'abstract': False,
                'indexes': [models.Index(fields=['action', 'created_at'], name='town_audit_action_idx'), models.Index(fields=['actor_id', '-created_at'], name='town_audit_actor_idx')],
            },
        ),
        # Append-only (core.audit): the database refuses UPDATE and DELETE on the log, whoever asks.
        # One statement per entry: Citus forwards each to the worker holding the town and refuses several
        # in one string ("cannot insert multiple commands into a prepared statement").
        migrations.RunSQL(
            sql=[
                """CREATE OR REPLACE FUNCTION town_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END;
        $$""",
                """CREATE TRIGGER town_auditentry_no_change BEFORE UPDATE OR DELETE ON town_auditentry
            FOR EACH ROW EXECUTE FUNCTION town_auditentry_append_only()""",
            ],
            reverse_sql=[
                "DROP TRIGGER IF EXISTS town_auditentry_no_change ON town_auditentry",
                "DROP FUNCTION IF EXISTS town_auditentry_append_only()",
            ],
        ),
    ]
