"""The demo remisses: Stockholm's 2030 plan with Hägersten-Älvsjö's answer (seed 004)
and the 2018 strategy with Socialnämnden's (seed 003), loaded once."""

from django.core.management import call_command
from django.urls import reverse

from organisations.models import Municipality
from remiss.models import Answer, Comment, Remiss
from remiss.selectors import compilation


def test_the_demo_remisses_load_once_with_the_seeds_answers(db, settings, client):
    settings.DEBUG = True
    settings.MFA_REQUIRED_ROLES = []  # the demo coordinator has no authenticator app
    call_command("load_demo", "--quiet-logins")
    call_command("load_demo", "--quiet-logins")  # again: nothing doubled
    stockholm = Municipality.objects.get(code="0180")
    assert Remiss.objects.filter(municipality=stockholm).count() == 2
    remiss = Remiss.objects.get(dnr="E2025-02080-1")
    assert remiss.plan.title == "Handlingsplan för romsk inkludering 2030"
    answer = Answer.objects.get(body__remiss=remiss, body__unit__short_name="Hägersten-Älvsjö")
    assert (answer.dnr, answer.officer, answer.decided_by, answer.decided_on.isoformat(), answer.stance) == (
        "HÄ 2025/578",
        "Jens Westlund",
        "Hägersten-Älvsjö stadsdelsnämnd",
        "2025-10-23",
        "tillstyrker_med_synpunkter",
    )
    assert {c.goal.code for c in answer.comments.filter(goal__isnull=False)} == {"1.2"}
    c = compilation(remiss)
    assert len(c.answered) == 1 and len(c.not_answered) == len(c.bodies) - 1
    # In progress: one comment handled, one not yet.
    assert sorted(x.handling for x in c.comments) == ["", "beaktad"]
    strategy = Answer.objects.get(body__remiss__plan__title__startswith="Stockholms stads strategi")
    assert strategy.body.unit.short_name == "SN" and strategy.comments.get(goal__isnull=False).goal.code == "4"
    assert Comment.objects.filter(answer__body__remiss__municipality=stockholm).count() == 5
    client.force_login(stockholm.memberships.get(user__username="sthlm-samordnare").user)
    page = client.get(reverse("remiss:compilation", args=[remiss.pk])).content.decode()
    assert "HÄ 2025/578" in page and "stadsledningskontoret avser att leda, samordna och följa upp" in page
