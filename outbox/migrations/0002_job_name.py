"""The Celery job's name is a ``job``: in this platform "task" means a task of the plan."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("outbox", "0001_outbox_message"),
    ]

    operations = [
        migrations.RenameField(model_name="outboxmessage", old_name="task", new_name="job"),
    ]
