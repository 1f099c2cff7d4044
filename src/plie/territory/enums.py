from django.db import models
from django.utils.translation import gettext_lazy as _


class IscedBand(models.TextChoices):
    ISCED_0_2 = "0-2", _("CITE 0 à 2")
    ISCED_3_4 = "3-4", _("CITE 3 à 4")
    ISCED_5_8 = "5-8", _("CITE 5 à 8")
