"""Steps that ask for a second look: removing an agenda item (kept while it
has views), feedback said to be taken into account before the decision, and
attendance counted for a meeting that has not started. Forms are posted as
the browser sends them (tests/formreader.py)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from audit.models import AuditEvent
from consultations.models import AgendaItem, Feedback, View
from tests.formreader import submissions


def forms_on(client, url, action):
    """The forms on the page at ``url`` that post to ``action``, as the browser would send them."""
    page = client.get(url)
    assert page.status_code == 200, url
    return [s for s in submissions(url, page.content) if s.action == action]


def the_form(client, url, action=None):
    found = forms_on(client, url, action or url)
    assert len(found) == 1, f"{url}: {len(found)} forms post to {action or url}"
    return found[0]


def text_of(response) -> str:
    return response.content.decode()


def swedish(message: str) -> str:
    """A message as the Swedish page shows it (the English text until it is translated)."""
    with translation.override("sv"):
        return gettext(message)


# --- Removing an agenda item ------------------------------------------------------------


def test_an_item_with_views_is_kept_and_the_page_says_why(world):
    client = world.client("contact_a")
    url = reverse("consultations:item_delete", args=[world.item.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = text_of(page)
    assert "Fler brobyggare behövs i söderort." in text  # the view that keeps it
    assert not [s for s in submissions(url, page.content) if s.action == url]  # nothing to click
    # A POST crafted anyway is refused, and nothing is removed.
    events = AuditEvent.objects.count()
    response = client.post(url, follow=True)
    assert AgendaItem.objects.filter(pk=world.item.pk).exists()
    assert View.objects.filter(pk=world.view.pk).exists()
    assert AuditEvent.objects.count() == events
    assert "message-error" in text_of(response)


def test_the_detail_page_asks_before_removing_an_item(world):
    """No one-click removal: the consultation page links to the confirmation page."""
    client = world.client("coordinator")
    detail = reverse("consultations:detail", args=[world.consultation.pk])
    url = reverse("consultations:item_delete", args=[world.item.pk])
    page = client.get(detail)
    assert not forms_on(client, detail, url)
    assert f'href="{url}"' in text_of(page)


def test_a_mistaken_view_is_removed_then_the_item(world):
    client = world.client("contact_a")
    trace = reverse("consultations:trace", args=[world.view.pk])
    remove_url = reverse("consultations:view_delete", args=[world.view.pk])
    assert f'href="{remove_url}"' in text_of(client.get(trace))  # the trace links to the confirmation page
    remove_view = the_form(client, remove_url)
    assert client.post(remove_view.action, remove_view.data).status_code == 302
    assert not View.objects.filter(pk=world.view.pk).exists()

    url = reverse("consultations:item_delete", args=[world.item.pk])
    confirm = the_form(client, url)
    response = client.post(confirm.action, confirm.data)
    assert response.status_code == 302
    assert not AgendaItem.objects.filter(pk=world.item.pk).exists()
    event = AuditEvent.objects.latest("pk")
    assert event.changes == {"item": ["Hur når vi fler familjer?", None]}


def test_an_answered_view_offers_no_removal(world):
    Feedback.objects.create(view=world.view, status=Feedback.Status.TAKEN, reasoning="Ja.", unit=world.unit_a)
    client = world.client("coordinator")
    trace = reverse("consultations:trace", args=[world.view.pk])
    url = reverse("consultations:view_delete", args=[world.view.pk])
    assert not forms_on(client, trace, url) and f'href="{url}"' not in text_of(client.get(trace))


# --- Feedback before the decision -------------------------------------------------------

BEFORE_DECISION = (
    "The feedback was saved, but the decision is dated %(date)s, after today. If the decision has not been "
    "taken yet, “under preparation” may be the right status."
)


def give_feedback(world, status: str):
    client = world.client("contact_a")
    url = reverse("consultations:feedback", args=[world.view.pk])
    form = the_form(client, url)
    data = form.data | {"status": [status], "reasoning": ["Nämnden anställer två brobyggare till."]}
    return client.post(url, data, follow=True)


def test_taken_into_account_before_the_decision_is_saved_with_a_warning(world):
    decided = timezone.localdate() + timedelta(days=30)
    world.item.decision_date = decided
    world.item.save()
    response = give_feedback(world, Feedback.Status.TAKEN)
    assert Feedback.objects.get(view=world.view).status == Feedback.Status.TAKEN  # saved
    text = text_of(response)
    assert "message-warning" in text
    assert swedish(BEFORE_DECISION).split("%(date)s")[0] in text
    assert decided.isoformat() in text


def test_under_preparation_before_the_decision_gets_no_warning(world):
    world.item.decision_date = timezone.localdate() + timedelta(days=30)
    world.item.save()
    text = text_of(give_feedback(world, Feedback.Status.PREPARING))
    assert Feedback.objects.get(view=world.view).status == Feedback.Status.PREPARING
    assert "message-warning" not in text


def test_taken_into_account_after_the_decision_gets_no_warning(world):
    world.item.decision_date = timezone.localdate()
    world.item.save()
    text = text_of(give_feedback(world, Feedback.Status.TAKEN))
    assert Feedback.objects.get(view=world.view).status == Feedback.Status.TAKEN
    assert "message-warning" not in text


# --- Attendance before the meeting -------------------------------------------------------

FUTURE_ATTENDANCE = (
    "The consultation was saved with attendance figures, but the meeting starts %(date)s, after now. Check the "
    "date and the figures."
)


def edit_consultation(world, **values):
    client = world.client("coordinator")
    url = reverse("consultations:edit", args=[world.consultation.pk])
    form = the_form(client, url)
    return client.post(url, form.data | {k: [v] for k, v in values.items()}, follow=True)


def move_meeting(world, days: int):
    world.consultation.starts_at = timezone.now() + timedelta(days=days)
    world.consultation.ends_at = world.consultation.starts_at + timedelta(hours=2)
    world.consultation.save()


def test_attendance_for_a_future_meeting_is_saved_with_a_warning(world):
    move_meeting(world, 7)
    response = edit_consultation(world, attendance_total="12")
    world.consultation.refresh_from_db()
    assert world.consultation.attendance_total == 12  # saved
    text = text_of(response)
    assert "message-warning" in text
    assert swedish(FUTURE_ATTENDANCE).split("%(date)s")[0] in text


def test_a_future_meeting_without_attendance_gets_no_warning(world):
    move_meeting(world, 7)
    text = text_of(edit_consultation(world, place="Biblioteket"))
    world.consultation.refresh_from_db()
    assert world.consultation.place == "Biblioteket"
    assert "message-warning" not in text


def test_attendance_for_a_past_meeting_gets_no_warning(world):
    move_meeting(world, -1)
    text = text_of(edit_consultation(world, attendance_total="12", att_vuxna_kvinnor="5"))
    world.consultation.refresh_from_db()
    assert world.consultation.attendance == {"vuxna": {"kvinnor": 5}}
    assert "message-warning" not in text


def test_a_form_missing_a_hidden_field_says_so_instead_of_an_empty_error_summary(world):
    """The cause of the unsaveable "Redigera samråd" form: the page must say
    what went wrong, not only "correct the errors below" with nothing below."""
    client = world.client("coordinator")
    url = reverse("consultations:edit", args=[world.consultation.pk])
    data = dict(the_form(client, url).data)
    assert "version" in data
    del data["version"]
    response = client.post(url, data)
    assert response.status_code == 400
    world.consultation.refresh_from_db()
    assert world.consultation.version == 1  # nothing saved
    message = swedish(
        "Part of the form was missing or had been changed (%(name)s). Reload the page and make your changes again."
    ) % {"name": "version"}
    assert message in text_of(response)
