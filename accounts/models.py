import re

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.managers import UserManager
from core.permissions import Role

# Outward part of a UK postcode: "B1", "B23", "ST4", "WS13", "EC1A".
POSTCODE_DISTRICT_RE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


def normalise_postcode_district(value: str) -> str:
    return value.strip().upper().replace(" ", "")


class Team(models.Model):
    """A keyworker team and the area it covers; referrals are routed to it by area."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    postcode_districts = ArrayField(
        models.CharField(max_length=4),
        verbose_name=_("postcode districts"),
        default=list,
        blank=True,
        help_text=_("Outward codes this team covers, such as B1, B23 or ST4."),
    )
    local_authorities = ArrayField(
        models.CharField(max_length=80),
        verbose_name=_("local authorities"),
        default=list,
        blank=True,
        help_text=_("Council areas this team covers, such as Birmingham or Stoke-on-Trent."),
    )
    is_default = models.BooleanField(
        _("default team"),
        default=False,
        help_text=_("Receives referrals from areas no team covers. Only one team can be it."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="team_single_default",
            )
        ]
        indexes = [
            GinIndex(fields=["postcode_districts"], name="team_districts_gin"),
            GinIndex(fields=["local_authorities"], name="team_authorities_gin"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.postcode_districts = sorted(
            {normalise_postcode_district(d) for d in self.postcode_districts if d.strip()}
        )
        self.local_authorities = sorted({a.strip() for a in self.local_authorities if a.strip()})
        bad = [d for d in self.postcode_districts if not POSTCODE_DISTRICT_RE.match(d)]
        if bad:
            raise ValidationError(
                {
                    "postcode_districts": _("These are not postcode districts: %(bad)s")
                    % {"bad": ", ".join(bad)}
                }
            )


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Women who refer themselves never get an account."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    is_staff = models.BooleanField(
        _("Django admin access"),
        default=False,
        help_text=_("May sign in to the technical Django admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def roles(self) -> frozenset[Role]:
        """The user's roles, read from group membership (cached per instance)."""
        if not hasattr(self, "_roles_cache"):
            names = {group.name for group in self.groups.all()}
            self._roles_cache = frozenset(role for role in Role if role.group_name in names)
        return self._roles_cache

    def has_role(self, role: Role) -> bool:
        return role in self.roles
