"""Settings of the real worker in test_broker_outage: the test settings, mails written to files the test reads."""

import os

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["TEST_WORKER_MAIL_DIR"]
