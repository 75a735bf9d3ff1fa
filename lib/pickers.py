"""Long pickers (the goals an activity serves, the activities an event is part
of): the unit's own choices first, in groups ("The unit's goals" / "Other
goals"), and a filter box that site.js adds above the list
(``[data-filter-picker]``, written by templates/form_field.html from the
widget's ``filter_picker``). Without JavaScript the plain list stays.

    field.choices = own_first(goal_choices(goals), own_goal_ids(plan, unit_ids), GOALS)
    field.widget = FilterCheckboxSelectMultiple(nouns=GOALS)
"""

from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Nouns:
    own: Promise  # the group of the unit's own choices
    other: Promise  # the group of the rest
    filter_label: Promise  # the filter box's label
    count: Promise  # "{shown} of {total} goals shown" ({shown} and {total} are filled in by site.js)


GOALS = Nouns(
    own=_("The unit's goals"),
    other=_("Other goals"),
    filter_label=_("Filter the goals"),
    count=_("{shown} of {total} goals shown"),
)
ACTIVITIES = Nouns(
    own=_("The unit's activities"),
    other=_("Other activities"),
    filter_label=_("Filter the activities"),
    count=_("{shown} of {total} activities shown"),
)

UNITS = Nouns(
    own=_("The unit's own"),
    other=_("Other units"),
    filter_label=_("Filter the units"),
    count=_("{shown} of {total} units shown"),
)


def own_first(choices, own_ids, nouns: Nouns) -> list:
    """The choices with the own ones first, as two groups; the flat list when
    every choice is own or none is (a coordinator, a unit without goals)."""
    choices = list(choices)
    own = [(value, label) for value, label in choices if value in own_ids]
    if not own or len(own) == len(choices):
        return choices
    other = [(value, label) for value, label in choices if value not in own_ids]
    return [(nouns.own, own), (nouns.other, other)]


class FilterPickerMixin:
    filter_picker = True

    def __init__(self, attrs=None, *, nouns: Nouns = GOALS, **kwargs):
        super().__init__(attrs, **kwargs)
        self.nouns = nouns

    @property
    def filter_label(self):
        return self.nouns.filter_label

    @property
    def filter_count(self):
        return self.nouns.count


class FilterCheckboxSelectMultiple(FilterPickerMixin, forms.CheckboxSelectMultiple):
    """Checkboxes with a filter box; groups as fieldsets with a legend."""

    template_name = "home/widgets/picker_checkboxes.html"


class FilterSelect(FilterPickerMixin, forms.Select):
    """A select with a filter box; groups as optgroups."""


class FilterSelectMultiple(FilterPickerMixin, forms.SelectMultiple):
    pass
