"""A needs inventory (behovsinventering): its surveys, dialogue meetings, the
codebook of need themes, the coding of what people said to those themes, and
the ways forward (vägar framåt) it leads to.

Nothing here records who anyone is. A dialogue note counts participants by age
group; quotes carry no name and leave the internal view only when marked
publishable. A coding records which staff member confirmed it — staff work,
never a respondent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from organisations.models import Municipality, OrgUnit
from plans.models import Goal, Plan

DEFAULT_AGE_GROUPS = ["under 18", "18–30", "31–50", "51+"]

# Seed 000's five need themes, with bostad and hälsa added. Keywords are
# Swedish words matched on their stem; a word ending in * matches every word
# beginning so (see coding.py).
DEFAULT_THEMES = [
    ("Utbildning", "skola, skol*, läxhjälp, läx*, utbildning, studie*, lärare, modersmål*, förskola, elev*, betyg"),
    ("Arbete och försörjning", "arbete, jobb*, anställning, arbetslös*, cv, praktik, försörjning, lön, mentor"),
    ("Kultur och språk", "kultur*, romani, språk*, nationaldag*, festival*, historia, tradition*, musik, identitet"),
    ("Bemötande och tillit", "bemöt*, respekt*, diskrimin*, misstro, förtroende, tillit, fördom*, antiziganism"),
    ("Delaktighet och inflytande", "inflytande, delaktig*, dialog*, samråd*, lyssna*, påverka*, röst"),
    ("Bostad", "bostad*, hyreskontrakt, hyres*, lägenhet*, boende, trångbodd*, vräkning*, hemlös*"),
    ("Hälsa", "hälsa, hälso*, vård*, sjuk*, läkare, vårdcentral*, psykisk*, mående"),
]


class Inventory(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="inventories")
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inventories",
        verbose_name=_("unit"),
        help_text=_("The unit whose contact persons may also change the inventory."),
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inventories",
        verbose_name=_("plan to compare with"),
        help_text=_("The themes are compared with this plan's goals and activities."),
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    age_groups = models.JSONField(_("age groups"), default=list)
    published = models.BooleanField(
        _("results published"),
        default=False,
        help_text=_("Publishes the themes, age groups and publishable quotes, with small counts hidden."),
    )
    coders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coded_inventories",
        verbose_name=_("may read and code free text"),
        help_text=_(
            "Besides the coordinators, only these people read what respondents wrote in their own words, "
            "code it and remove personal details from it."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finalised_on = models.DateField(_("results finalised on"), null=True, blank=True, editable=False)
    # The protected result tables, frozen when the results were finalised
    # (inventories.release): theme ids, age-group keys and counts, never display text.
    release = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("needs inventory")
        verbose_name_plural = _("needs inventories")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="inventory_unique_name"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="inventory_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_finalised(self) -> bool:
        """The results are fixed (fastställda) and frozen in ``release``: what
        the results page, the downloads, the public page, the API and the
        council report show, and all they show."""
        return self.finalised_on is not None and self.release is not None

    def results_are_public(self) -> bool:
        """Published, and the results finalised."""
        return self.published and self.is_finalised


class Theme(models.Model):
    """A need theme (behovsområde) of the inventory's codebook."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_(
            "Swedish words, separated by commas. A word also matches its inflected forms "
            "(skola: skolan, skolor); a word ending in * matches every word beginning so (läx*: läxor, läxhjälp)."
        ),
    )
    position = models.PositiveSmallIntegerField(default=0)
    goals = models.ManyToManyField(Goal, blank=True, related_name="themes", verbose_name=_("goals in the plan"))

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["inventory", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["inventory", "name"], name="theme_unique_name")]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [w.strip().lower() for w in self.keywords.replace("\n", ",").split(",") if w.strip()]


class DialogueNote(models.Model):
    """Notes from a dialogue meeting (dialogmöte): when, what kind of place, how
    many took part by age group — never who."""

    class Place(models.TextChoices):
        ASSOCIATION = "forening", _("an association's premises")
        LIBRARY = "bibliotek", _("library")
        MEETING_PLACE = "motesplats", _("open meeting place")
        SCHOOL = "skola", _("school or preschool")
        MUNICIPAL = "kommunen", _("municipal premises")
        HOME_VISIT = "hembesok", _("home visit")
        ONLINE = "digitalt", _("online")
        OTHER = "annat", _("other")

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="notes")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("kind of place"), max_length=20, choices=Place.choices)
    participants = models.PositiveIntegerField(_("participants"))
    # {age group: count}; participants not counted by age are the difference.
    age_counts = models.JSONField(default=dict, blank=True)
    summary = models.TextField(_("summary"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("dialogue meeting")
        verbose_name_plural = _("dialogue meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_place_display()}"

    @property
    def age_unknown(self) -> int:
        return max(0, self.participants - sum(self.age_counts.values()))


class Quote(models.Model):
    note = models.ForeignKey(DialogueNote, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(_("quote"))
    publishable = models.BooleanField(
        _("may be published"),
        default=False,
        help_text=_("Only publishable quotes ever leave the internal pages; never one that could point someone out."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["note", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Coding(models.Model):
    """A theme confirmed for (or rejected from) a free-text answer, a dialogue
    note or a quote, and by whom."""

    class Decision(models.TextChoices):
        CONFIRMED = "bekraftad", _("confirmed")
        REJECTED = "avvisad", _("rejected")

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="codings")
    answer = models.ForeignKey(
        "surveys.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="codings"
    )
    note = models.ForeignKey(DialogueNote, null=True, blank=True, on_delete=models.CASCADE, related_name="codings")
    quote = models.ForeignKey(Quote, null=True, blank=True, on_delete=models.CASCADE, related_name="codings")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    matched_words = models.CharField(_("matched words"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )
    decided_on = models.DateField(_("decided on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("coding")
        verbose_name_plural = _("codings")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer__isnull=False, note__isnull=True, quote__isnull=True)
                | Q(answer__isnull=True, note__isnull=False, quote__isnull=True)
                | Q(answer__isnull=True, note__isnull=True, quote__isnull=False),
                name="coding_one_target",
            ),
            models.UniqueConstraint(fields=["theme", "answer"], name="coding_unique_answer"),
            models.UniqueConstraint(fields=["theme", "note"], name="coding_unique_note"),
            models.UniqueConstraint(fields=["theme", "quote"], name="coding_unique_quote"),
        ]

    def __str__(self) -> str:
        return f"{self.theme}: {self.get_decision_display()}"


class Recommendation(models.Model):
    """A way forward (väg framåt) drawn from the inventory; it can become a draft activity."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="recommendations")
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations", verbose_name=_("themes"))
    goals = models.ManyToManyField(Goal, blank=True, related_name="+", verbose_name=_("goals in the plan"))
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
        verbose_name=_("activity"),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("way forward")
        verbose_name_plural = _("ways forward")
        ordering = ["inventory", "position", "pk"]

    def __str__(self) -> str:
        return self.title
