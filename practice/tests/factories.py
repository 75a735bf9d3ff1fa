from practice.models import PracticeExample
from practice.services import example_create, example_publish


def make_example(municipality, *, title="Stötta föräldranätverk", published=False, areas=("utbildning",), **fields):
    values = {
        "title": title,
        "organisation": "Haninge kommun",
        "summary": "Kommunens samordnare samlade föräldrarna till ett möte med skolan.",
        "prerequisites": "Förtroende mellan föräldrar och skola.",
        "tips": "Var tydlig med vad föräldranätverkets funktion är.",
        "goal_kinds": ["resultatmal"],
        "target_groups": ["foraldrar", "barn_unga"],
        "contact": "Samordnaren för romsk inkludering",
    }
    example = example_create(municipality=municipality, by=None, fields=values | fields, rights_areas=areas)
    if published:
        example_publish(example=example, by=None)
    return PracticeExample.objects.get(pk=example.pk)
