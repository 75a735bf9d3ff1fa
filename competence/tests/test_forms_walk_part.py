"""tests/test_forms_walk.py for this app's pages alone (quick to run): every
form is posted back unchanged and must save without changing a value."""

from django.urls import reverse

from tests.formreader import submissions
from tests.test_access import EXPECTED, app_urls, kwargs_for
from tests.test_forms_walk import WALK_ROLES, listed, post_back, signed_in


def test_every_form_saves_what_it_shows(world):
    failures, offered = [], set()
    for name, params in app_urls():
        if not name.startswith("competence:"):
            continue
        url = reverse(name, kwargs=kwargs_for(name, params, world))
        for role in WALK_ROLES:
            if EXPECTED[name][role] != 200:
                continue
            client = signed_in(world, role)
            page = client.get(url)
            assert page.status_code == 200
            for sub in submissions(url, page.content):
                offered.add(sub.name)
                if not listed(sub.name) and (problem := post_back(client, sub)):
                    failures.append(f"{role} on {name} → {sub.name}: {problem}")
    assert not failures, "\n".join(failures)
    assert {"competence:edit", "competence:occasion_edit", "competence:headcounts"} <= offered
    assert {"competence:staff_groups", "competence:share_settings"} <= offered
