"""Testing a confirmation page (lib/confirm.py): open it, read what it says,
check that opening it changed nothing, then post its form as the browser sends it."""

from django.utils.translation import gettext, override
from lxml import html as lxml_html

from audit.models import AuditEvent
from outbox.models import OutgoingMail
from tests.formreader import submissions


def sv(text: str) -> str:
    with override("sv"):
        return gettext(text)


def main_text(response) -> str:
    """The page's main content as a reader hears it, whitespace collapsed."""
    document = lxml_html.document_fromstring(response.content.decode())
    return " ".join(document.xpath("//main")[0].text_content().split())


def open_confirmation(client, url):
    """GET the confirmation page: it answers 200, records nothing and sends nothing.
    Returns (the main text, the page's form as the browser would send it)."""
    events, mails = AuditEvent.objects.count(), OutgoingMail.objects.count()
    response = client.get(url)
    assert response.status_code == 200, url
    assert (AuditEvent.objects.count(), OutgoingMail.objects.count()) == (events, mails), "GET changed something"
    path = url.split("?")[0]
    forms = [f for f in submissions(url, response.content) if f.action.split("?")[0] == path]
    assert len(forms) == 1, f"one form posting to {path}"
    document = lxml_html.document_fromstring(response.content.decode())
    cancel = document.xpath("//main//form//div[contains(@class, 'actions')]/a")
    assert cancel and cancel[0].text_content().strip() == sv("Cancel"), "an Avbryt link back"
    return main_text(response), forms[0]


def post_form(client, form):
    return client.post(form.action, form.data)
