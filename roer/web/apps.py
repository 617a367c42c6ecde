from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The HTTP face of Roer: every page and the admin. It sits on top of every other app and may call
    all of them; nothing imports it."""

    name = "roer.web"
    verbose_name = _("Pages")
