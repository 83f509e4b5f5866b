
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='PlatformAuditEntry',
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
                'ordering': ('-created_at', '-id'),
                'abstract': False,
                'indexes': [models.Index(fields=['action', 'created_at'], name='platform_audit_action_idx'), models.Index(fields=['actor_id', '-created_at'], name='platform_audit_actor_idx')],
            },
        ),
        # Append-only (core.audit): the database refuses UPDATE and DELETE on the log, whoever asks.
        migrations.RunSQL(
            sql="""CREATE OR REPLACE FUNCTION core_platformauditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END;
        $$;
        CREATE TRIGGER core_platformauditentry_no_change BEFORE UPDATE OR DELETE ON core_platformauditentry
            FOR EACH ROW EXECUTE FUNCTION core_platformauditentry_append_only();""",
            reverse_sql="DROP TRIGGER IF EXISTS core_platformauditentry_no_change ON core_platformauditentry; DROP FUNCTION IF EXISTS core_platformauditentry_append_only();",
        ),
    ]
