from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(using, **_):
    """The shared cache's table (settings.CACHES, a DatabaseCache) on the database just migrated: `migrate` is then
    the one set-up step every deployment runs, on a new database and on one migrated before the cache was shared.
    createcachetable leaves an existing table alone."""
    call_command("createcachetable", database=using, verbosity=0)


class AnnotatorConfig(AppConfig):
    name = "annotator"
    verbose_name = "Slant annotator"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="annotator.create_cache_table")
        # Services queue no task themselves (tasks import services, never the other way): wire the figures
        # refresh's queue here, where the app starts.
        from annotator.services.figures import figures_set_enqueue
        from annotator.services.gamma import gamma_set_enqueue
        from annotator.tasks import enqueue_gamma_job, enqueue_refresh_figures

        figures_set_enqueue(enqueue_refresh_figures)
        gamma_set_enqueue(enqueue_gamma_job)
