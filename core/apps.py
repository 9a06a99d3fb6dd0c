from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Cairn"

    def ready(self):
        from config.celery import ensure_filesystem_broker_folders

        # Web, worker and scheduler all start Django, so each makes sure the embedded
        # broker's folders exist before it sends or receives a message.
        ensure_filesystem_broker_folders()
