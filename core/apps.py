from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Cairn"

    def ready(self):
        from django.db.backends.signals import connection_created

        from config.celery import ensure_filesystem_broker_folders

        from . import freshness

        # Every statement written through Django is seen, so a kept page knows when what it
        # showed has changed (core/freshness.py).
        connection_created.connect(freshness.watch, dispatch_uid="core.freshness.watch")

        # Web, worker and scheduler all start Django, so each makes sure the embedded
        # broker's folders exist before it sends or receives a message.
        ensure_filesystem_broker_folders()
