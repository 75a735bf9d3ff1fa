"""One row per searchable object of a municipality (docs/search.md).

The text is kept as written (for the title and the snippet) and as keys
(``search.text.document``) for the database's full-text index: on SQLite an
FTS5 table kept current by triggers, on PostgreSQL a generated tsvector column
with a GIN index (both made in migration 0001, not in the model)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        # In the order the results page shows them.
        GOAL = "goal", _("Goals")
        ACTIVITY = "activity", _("Activities")
        CONSULTATION = "consultation", _("Consultations")
        VIEW = "view", _("Views")
        REPORT = "report", _("Reports to the council")
        INVENTORY = "inventory", _("Needs inventories")
        DECISION = "decision", _("Decisions")
        TRAINING = "training", _("Trainings")
        EXAMPLE = "example", _("Practice examples")
        PERSON = "person", _("People")

    class Audience(models.TextChoices):
        STAFF = "staff", _("the municipality's staff")
        COORDINATORS = "coordinators", _("coordinators")
        # A practice example shared with every municipality (practice.PracticeExample.is_published):
        # one row, found by the staff of every municipality (search.query), gone everywhere when unshared.
        SHARED = "shared", _("the staff of every municipality")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveIntegerField()
    # Who may open the object's page: mirrors the object pages' access rules.
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.STAFF)
    title = models.TextField()
    context = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    title_keys = models.TextField(blank=True)
    body_keys = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")]
        indexes = [
            # The counts and pages of one municipality's hits by kind (search.query).
            models.Index(fields=["municipality", "kind"], name="search_entry_muni_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title[:60]}"


class IndexState(models.Model):
    """Which rules the index was last made by (search.index.INDEX_VERSION), one row:
    after an upgrade that indexes more (a new kind, a new field), ``migrate`` makes
    the index again once (search.index.rebuild_if_outdated), so objects saved
    before the upgrade are found too."""

    version = models.PositiveIntegerField(default=0)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"search index version {self.version}"
