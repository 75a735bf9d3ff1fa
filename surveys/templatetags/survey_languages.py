from django import template

from surveys.languages import MissingTexts, missing_texts
from surveys.models import Survey

register = template.Library()


@register.simple_tag
def survey_missing_texts(survey: Survey) -> list[MissingTexts]:
    """Per language the survey offers, the texts nobody has written yet (surveys.languages)."""
    return missing_texts(survey)
