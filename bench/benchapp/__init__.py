"""A bench-only tenant app: one model and two migrations, so bench/migrations.py can time one new migration."""
