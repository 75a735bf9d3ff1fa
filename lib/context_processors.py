from django.conf import settings


def ui_languages(request):
    """The languages the staff pages' switcher offers (those with a catalogue)."""
    return {"UI_LANGUAGES": settings.UI_LANGUAGES}
