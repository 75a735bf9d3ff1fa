"""The demo remisses: Stockholm's 2030 plan with Hägersten-Älvsjö's answer (seed 004)
and the 2018 strategy with Socialnämnden's (seed 003), loaded once."""

from django.core.management import call_command
from django.urls import reverse

from organisations.models import Municipality
from plans.models import Plan
from remiss.models import Answer, Comment, CommentChange, Remiss
from remiss.selectors import compilation
from remiss.services import check_changes


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
    # Seed 004 comments on the plan as a whole (a general comment) and on the responsibilities.
    assert not answer.comments.filter(goal__isnull=False).exists()
    assert list(answer.comments.values_list("section", flat=True)) == ["ansvar"]
    assert answer.general_comments.startswith("Förvaltningen välkomnar att staden tagit fram en handlingsplan")
    c = compilation(remiss)
    # Hägersten-Älvsjö (seed 004), Socialnämnden, Romska ungdomsdelegationen through its link, Farsta avstår.
    assert len(c.answered) == 4 and len(c.not_answered) == len(c.bodies) - 4
    stances = {b.display_name: b.answer_or_none.stance for b in c.answered}
    assert stances["Romska ungdomsdelegationen"] == "tillstyrker_med_synpunkter"
    assert sorted(stances.values()).count("avstar") == 1
    # In progress: one comment handled, one not yet.
    assert sorted(x.handling for x in c.comments) == ["", "", "", "beaktad", "beaktad"]
    strategy = Answer.objects.get(body__remiss__plan__title__startswith="Stockholms stads strategi")
    assert strategy.body.unit.short_name == "SN" and strategy.comments.get(goal__isnull=False).goal.code == "4"
    assert Comment.objects.filter(answer__body__remiss__municipality=stockholm).count() == 8
    client.force_login(stockholm.memberships.get(user__username="sthlm-samordnare").user)
    page = client.get(reverse("remiss:compilation", args=[remiss.pk])).content.decode()
    assert "HÄ 2025/578" in page and "stadsledningskontoret avser att leda, samordna och följa upp" in page

    # The 2018 strategy: version 1 sent on remiss, version 2 adopted by the council with
    # changes linked to Socialnämnden's comments, then replaced by the 2030 plan.
    sent, adopted = Plan.objects.filter(title__startswith="Stockholms stads strategi").order_by("version")
    assert (sent.version, sent.status, sent.replaced_by) == (1, "ersatt", adopted)
    assert (adopted.version, adopted.previous_version, adopted.adopted_by, adopted.adopted_on.isoformat()) == (
        2,
        sent,
        "Kommunfullmäktige",
        "2018-06-11",
    )
    assert adopted.replaced_by.title == "Handlingsplan för romsk inkludering 2030"
    assert "strategiskt och långsiktigt arbete med romsk brobyggarverksamhet" in adopted.goals.get(code="4").description
    links = list(CommentChange.objects.filter(version=adopted).select_related("comment__answer__body__remiss__plan"))
    assert sorted((x.comment.goal.code if x.comment.goal_id else x.comment.section) for x in links) == ["4", "ansvar"]
    for link in links:  # each a change the comparison shows, as the coordinator's links must be
        check_changes(
            remiss=link.comment.answer.body.remiss, handling=link.comment.handling, version=adopted, keys=[link.key]
        )
    strategy_remiss = strategy.body.remiss
    page = client.get(reverse("remiss:compilation", args=[strategy_remiss.pk])).content.decode()
    compare_url = reverse("plans:compare", args=[sent.pk, adopted.pk])
    assert (
        f"{compare_url}#change-{adopted.goals.get(code='4').identity}" in page and f"{compare_url}#change-plan" in page
    )
    compare = client.get(compare_url).content.decode()
    assert f"{reverse('remiss:compilation', args=[strategy_remiss.pk])}#comment-" in compare
    assert "Socialnämnden: Socialförvaltningens arbete med romsk inkludering har bland annat resulterat" in compare


def test_the_demo_command_asks_for_the_remissunderlag_when_told_to(db, settings, django_capture_on_commit_callbacks):
    """scripts/demo runs ``load_demo --remissunderlag``: each sent demo remiss gets its
    generated PDF and Word file (built at once here: tasks run inline under pytest)."""
    from documents.selectors import attachments_of
    from remiss.models import Underlag

    settings.DEBUG = True
    for _run in range(2):  # the second time nothing is asked for again
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo", "--quiet-logins", "--remissunderlag")
    for remiss in Remiss.objects.filter(municipality__code="0180"):
        assert [u.status for u in Underlag.objects.filter(remiss=remiss)] == [Underlag.Status.DONE]
        names = sorted(a.original_name.rsplit(".", 1)[1] for a in attachments_of(remiss))
        assert names == ["docx", "pdf"]
