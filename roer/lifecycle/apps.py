from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "roer.lifecycle"
    verbose_name = _("Scan life and background work")
