"""Confirmation pages for irreversible steps (docs/confirmations.md).

The object's page links (GET) to the step's URL; the GET answers with this page,
which says what will happen and what follows from it, and posts back to the same
URL, where the view does the step. A POST straight to the URL still works (no
JavaScript is involved), so the access checks stay those of the POST.

    if request.method == "GET":
        return confirmation(
            request,
            title=_("Delete the progress note?"),
            what=_("The note … is deleted."),
            consequences=[...],
            button=_("Yes, delete the note"),
            cancel_url=back,
            danger=True,
        )
"""

from collections.abc import Iterable, Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def confirmation(
    request: HttpRequest,
    *,
    title: str,
    what: str,
    button: str,
    cancel_url: str,
    consequences: Iterable[str] = (),
    subject: str = "",
    irreversible: bool = True,
    danger: bool = False,
    breadcrumbs: Sequence[tuple[str, str]] = (),
    hidden: Sequence[tuple[str, str]] = (),
    form=None,
    status: int = 200,
) -> HttpResponse:
    """The confirmation page of one irreversible step (``templates/confirm.html``).

    ``title`` is the question in the heading ("Delete the activity?"), ``subject``
    names the object, ``what`` says what happens, ``consequences`` who gets e-mail,
    what becomes public, counts; ``irreversible`` adds "This cannot be undone.";
    ``danger`` makes the button red (deleting). ``hidden`` are fields the step's POST
    needs (``name``, ``value``), ``form`` a form the step asks for (a date).
    """
    context = {
        "title": title,
        "subject": subject,
        "what": what,
        "consequences": [c for c in consequences if c],
        "irreversible": irreversible,
        "button": button,
        "danger": danger,
        "cancel_url": cancel_url,
        "breadcrumbs": list(breadcrumbs),
        "hidden": list(hidden),
        "form": form,
    }
    return render(request, "confirm.html", context, status=status)
