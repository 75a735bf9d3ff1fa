"""A remiss comment linked to the change it caused in a later version of the plan
(docs/remiss.md): the handling form as the browser sends it, the rules, the display
on the compilation, in its Word file and on the compare page, access, query counts."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from audit.models import AuditEvent
from plans.models import Goal, Plan
from plans.services import plan_new_version
from remiss import services
from remiss.models import Answer, Comment, CommentChange
from remiss.tests.test_remiss import _answered_remiss, _queries, field_error, new_remiss, post, sv
from tests.formreader import submissions

NEW_TITLE = "Stadens verksamheter arbetar uppsökande tillsammans med brobyggare"


def answered(world):
    """A sent remiss of the world's plan: unit A comments on goal 1.2.1 and "other", the
    organisation on goal 1.2."""
    remiss = new_remiss(world)
    coordinator = world.users["coordinator"]
    services.remiss_send(remiss=remiss, by=coordinator)
    fields = {"stance": "tillstyrker_med_synpunkter", "answered_on": timezone.localdate()}
    services.answer_save(
        body=remiss.bodies.get(unit=world.unit_a),
        by=coordinator,
        via=Answer.Via.TYPED_IN,
        fields=fields,
        comments={
            f"goal:{world.result_goal.pk}": (
                "Uppsökande arbete behöver brobyggare som talar romani och känner familjerna."
            ),
            "ovrigt": "Planen bör följas upp varje år.",
        },
    )
    services.answer_save(
        body=remiss.bodies.get(name="Romska kvinnoföreningen"),
        by=coordinator,
        via=Answer.Via.TYPED_IN,
        fields=fields,
        comments={f"goal:{world.goal.pk}": "Kvinnoföreningens synpunkt om information på romani."},
    )
    return remiss


def second_version(world, *, remove_goal: bool = False) -> Plan:
    """Version 2 of the world's plan: goal 1.2.1 retitled, the plan's description
    changed, goal 1.2 unchanged (or, with ``remove_goal``, 1.2.1 removed)."""
    v2 = plan_new_version(plan=world.plan, by=None)
    Plan.objects.filter(pk=v2.pk).update(description="Planen gäller alla nämnder.")
    copy = v2.goals.get(identity=world.result_goal.identity)
    if remove_goal:
        copy.responsibilities.all().delete()
        copy.delete()
    else:
        Goal.objects.filter(pk=copy.pk).update(title=NEW_TITLE)
    v2.refresh_from_db()
    return v2


def handling_form(client, remiss, comment):
    url = reverse("remiss:compilation", args=[remiss.pk])
    forms = [
        s for s in submissions(url, client.get(url).content) if s.action == reverse("remiss:handle", args=[comment.pk])
    ]
    assert len(forms) == 1
    return forms[0]


def options(client, remiss, comment) -> dict[str, str]:
    """The change select's options on the compilation page: value → label."""
    page = client.get(reverse("remiss:compilation", args=[remiss.pk])).content.decode()
    doc = lxml_html.document_fromstring(page)
    return {
        o.get("value"): " ".join(o.text_content().split())
        for o in doc.xpath(f'//select[@name="c{comment.pk}-changes"]/option')
    }


def docx_text(client, old, new) -> str:
    response = client.get(reverse("plans:compare_docx", args=[old.pk, new.pk]))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()


def goal_key(goal) -> str:
    return f"goal:{goal.identity}"


def test_no_choice_of_changes_before_a_later_version_exists(world):
    remiss = answered(world)
    comment = Comment.objects.get(goal=world.result_goal)
    sub = handling_form(world.client("coordinator"), remiss, comment)
    assert f"c{comment.pk}-handling" in sub.data and f"c{comment.pk}-changes" not in sub.data
    assert options(world.client("coordinator"), remiss, comment) == {}


def test_a_comment_is_linked_to_its_change_as_the_browser_sends_it(world):
    remiss = answered(world)
    v2 = second_version(world)
    comment = Comment.objects.get(goal=world.result_goal)
    coordinator = world.client("coordinator")

    # The select lists the plan's own texts and the changed goal (not the unchanged 1.2).
    offered = options(coordinator, remiss, comment)
    assert list(offered) == ["plan", goal_key(world.result_goal)]
    assert offered[goal_key(world.result_goal)] == f"1.2.1 {NEW_TITLE} ({sv('New title').lower()})"
    assert sv("Description").lower() in offered["plan"]

    sub = handling_form(coordinator, remiss, comment)
    response = post(
        coordinator,
        sub,
        **{
            f"c{comment.pk}-handling": "beaktad",
            f"c{comment.pk}-handling_text": "Brobyggare nämns nu i målet.",
            f"c{comment.pk}-changes": [goal_key(world.result_goal)],
        },
    )
    assert response.status_code == 302
    link = CommentChange.objects.get()
    assert (link.comment, link.version, link.goal_identity, link.created_by) == (
        comment,
        v2,
        world.result_goal.identity,
        world.users["coordinator"],
    )
    event = AuditEvent.objects.filter(object_id=str(comment.pk)).latest("pk")
    assert event.changes["changes"][1] == [
        sv("Change in version %(version)d: %(change)s") % {"version": 2, "change": f"1.2.1 {NEW_TITLE}"}
    ]

    # The form again, posted back unchanged: the link stays, nothing new is recorded.
    events = AuditEvent.objects.count()
    again = handling_form(coordinator, remiss, comment)
    assert again.data[f"c{comment.pk}-changes"] == [goal_key(world.result_goal)]
    assert post(coordinator, again).status_code == 302
    assert CommentChange.objects.count() == 1 and AuditEvent.objects.count() == events

    # Both changes, then none: the links follow the choice.
    post(coordinator, again, **{f"c{comment.pk}-changes": ["plan", goal_key(world.result_goal)]})
    assert {str(x.goal_identity) for x in CommentChange.objects.all()} == {"None", str(world.result_goal.identity)}
    post(coordinator, again, **{f"c{comment.pk}-changes": []})
    assert not CommentChange.objects.exists()


def _link(world, remiss, comment, v2, keys, handling="beaktad"):
    return services.comment_handle(
        comment=comment, by=world.users["coordinator"], handling=handling, text="Ändrat.", version=v2, changes=keys
    )


def test_the_link_is_shown_both_ways_and_in_the_word_file(world):
    remiss = answered(world)
    v2 = second_version(world)
    comment = Comment.objects.get(goal=world.result_goal)
    other = Comment.objects.get(answer__body__unit=world.unit_a, section="ovrigt")
    _link(world, remiss, comment, v2, [goal_key(world.result_goal)])
    _link(world, remiss, other, v2, ["plan"], handling="delvis")
    compare_url = reverse("plans:compare", args=[world.plan.pk, v2.pk])
    compilation_url = reverse("remiss:compilation", args=[remiss.pk])
    in_version = sv("Change in version %(version)d: %(change)s")

    for role in ("reader", "coordinator"):
        page = world.client(role).get(compilation_url).content.decode()
        doc = lxml_html.document_fromstring(page)
        goal_link = doc.xpath(
            f'//*[@id="comment-{comment.pk}"]//a[@href="{compare_url}#change-{world.result_goal.identity}"]'
        )
        assert [a.text_content() for a in goal_link] == [in_version % {"version": 2, "change": f"1.2.1 {NEW_TITLE}"}]
        plan_link = doc.xpath(f'//*[@id="comment-{other.pk}"]//a[@href="{compare_url}#change-plan"]')
        assert [a.text_content() for a in plan_link] == [
            in_version % {"version": 2, "change": sv("The plan's own texts")}
        ]

    # The compare page: each change lists the comments behind it, linked back to the compilation.
    page = world.client("reader").get(compare_url).content.decode()
    doc = lxml_html.document_fromstring(page)
    article = doc.xpath(f'//*[@id="change-{world.result_goal.identity}"]')[0]
    back = article.xpath(f'.//a[@href="{compilation_url}#comment-{comment.pk}"]')
    assert [" ".join(a.text_content().split()) for a in back] == [
        "Socialnämnden: Uppsökande arbete behöver brobyggare som talar romani och känner familjerna."
    ]
    assert sv("Caused by remiss comments:") in article.text_content()
    assert doc.xpath('//*[@id="change-plan"]')
    assert doc.xpath(f'//a[@href="{compilation_url}#comment-{other.pk}"]')
    # The goal no comment is linked to lists none (1.2 is unchanged: not on the page at all).
    assert "Kvinnoföreningens synpunkt" not in page

    # A long comment: its first words only.
    Comment.objects.filter(pk=comment.pk).update(text=" ".join(f"ord{i}" for i in range(40)))
    page = world.client("reader").get(compare_url).content.decode()
    assert "ord11…" in page and "ord12" not in page

    # The comparison as Word lists them too.
    assert sv("Caused by remiss comments:") in docx_text(world.client("reader"), world.plan, v2)
    assert "Socialnämnden: ord0 ord1" in docx_text(world.client("reader"), world.plan, v2)  # the long comment

    # The Word/PDF document of the compilation.
    from remiss.document import compilation_document
    from remiss.selectors import compilation

    text = compilation_document(compilation(remiss)).text()
    assert in_version % {"version": 2, "change": f"1.2.1 {NEW_TITLE}"} in text


def test_a_removed_goal_is_a_change_too(world):
    remiss = answered(world)
    v2 = second_version(world, remove_goal=True)
    comment = Comment.objects.get(goal=world.result_goal)
    offered = options(world.client("coordinator"), remiss, comment)
    assert sv("Removed").lower() in offered[goal_key(world.result_goal)]
    _link(world, remiss, comment, v2, [goal_key(world.result_goal)])
    page = world.client("reader").get(reverse("remiss:compilation", args=[remiss.pk])).content.decode()
    # Labelled by the goal as it was in the version sent on remiss.
    assert "1.2.1 Stadens verksamheter arbetar uppsökande" in page
    compare = world.client("reader").get(reverse("plans:compare", args=[world.plan.pk, v2.pk])).content.decode()
    assert f'id="change-{world.result_goal.identity}"' in compare and "Socialnämnden: Uppsökande arbete" in compare


# --- The rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize("handling", ["ej_beaktad", ""])
def test_linking_needs_the_comment_taken_into_account(world, handling):
    remiss = answered(world)
    second_version(world)
    comment = Comment.objects.get(goal=world.result_goal)
    coordinator = world.client("coordinator")
    sub = handling_form(coordinator, remiss, comment)
    response = post(
        coordinator,
        sub,
        **{
            f"c{comment.pk}-handling": handling,
            f"c{comment.pk}-handling_text": "Ingen ändring.",
            f"c{comment.pk}-changes": [goal_key(world.result_goal)],
        },
    )
    assert response.status_code == 400
    assert field_error(response, f"c{comment.pk}-changes") == sv(
        "Only a comment taken into account, fully or partly, can be linked to a change."
    )
    # Nothing half-saved: neither the handling nor a link.
    comment.refresh_from_db()
    assert (comment.handling, comment.handling_text) == ("", "")
    assert not CommentChange.objects.exists()
    # The page shown again keeps what was typed.
    doc = lxml_html.document_fromstring(response.content.decode())
    assert doc.xpath(f'//textarea[@name="c{comment.pk}-handling_text"]')[0].text_content().strip() == "Ingen ändring."


def test_a_linked_comment_cannot_be_marked_not_taken_into_account(world):
    remiss = answered(world)
    v2 = second_version(world)
    comment = Comment.objects.get(goal=world.result_goal)
    _link(world, remiss, comment, v2, [goal_key(world.result_goal)])
    with pytest.raises(services.RemissRefused) as refused:
        services.comment_handle(comment=comment, by=None, handling="ej_beaktad", text="Nej.")
    assert refused.value.field == "handling"
    comment.refresh_from_db()
    assert comment.handling == "beaktad" and CommentChange.objects.count() == 1


def test_an_option_not_offered_is_refused_by_the_form(world):
    remiss = answered(world)
    second_version(world)
    comment = Comment.objects.get(goal=world.result_goal)
    coordinator = world.client("coordinator")
    response = post(
        coordinator,
        handling_form(coordinator, remiss, comment),
        **{f"c{comment.pk}-handling": "beaktad", f"c{comment.pk}-changes": [goal_key(world.goal)]},  # 1.2: unchanged
    )
    assert response.status_code == 400 and field_error(response, f"c{comment.pk}-changes")
    assert not CommentChange.objects.exists()


@pytest.mark.parametrize("which", ["same", "earlier", "other_chain", "other_municipality"])
def test_only_a_later_version_of_the_chain(world, which):
    remiss = answered(world)
    v2 = second_version(world)
    comment = Comment.objects.get(goal=world.result_goal)
    if which == "same":
        version = world.plan
    elif which == "earlier":
        # A remiss of version 2 cannot link to version 1.
        from remiss.models import Remiss

        Remiss.objects.filter(pk=remiss.pk).update(plan=v2)
        Comment.objects.filter(pk=comment.pk).update(goal=v2.goals.get(identity=world.result_goal.identity))
        version = world.plan
    elif which == "other_chain":
        version = Plan.objects.create(municipality=world.municipality, title="En annan plan", kind="strategi")
    else:
        version = world.other_plan
    with pytest.raises(services.RemissRefused) as refused:
        _link(world, remiss, comment, version, ["plan"])
    assert refused.value.field == "changes"
    assert refused.value.message == sv("Changes can only be linked in a later version of the plan sent on remiss.")
    comment.refresh_from_db()
    assert comment.handling == "" and not CommentChange.objects.exists()


def test_a_goal_the_comparison_does_not_show_as_changed_is_refused(world):
    remiss = answered(world)
    v2 = second_version(world)
    comment = Comment.objects.get(goal=world.result_goal)
    # 1.2 is unchanged; a made-up identity is no goal at all.
    for key in (goal_key(world.goal), "goal:00000000-0000-0000-0000-000000000000"):
        with pytest.raises(services.RemissRefused) as refused:
            _link(world, remiss, comment, v2, [goal_key(world.result_goal), key])
        assert refused.value.field == "changes"
        assert "2" in refused.value.message
    comment.refresh_from_db()
    assert comment.handling == "" and not CommentChange.objects.exists()
    # The plan's own texts unchanged: no link to them either.
    Plan.objects.filter(pk=v2.pk).update(description=world.plan.description)
    with pytest.raises(services.RemissRefused):
        _link(world, remiss, comment, v2, ["plan"])


# --- Access -------------------------------------------------------------------------------------


def test_readers_see_the_links_and_cannot_make_them(world):
    remiss = answered(world)
    v2 = second_version(world)
    comment = Comment.objects.get(goal=world.result_goal)
    _link(world, remiss, comment, v2, [goal_key(world.result_goal)])
    reader = world.client("reader")
    page = reader.get(reverse("remiss:compilation", args=[remiss.pk])).content.decode()
    assert f"#change-{world.result_goal.identity}" in page and f'name="c{comment.pk}-changes"' not in page
    data = {f"c{comment.pk}-handling": "beaktad", f"c{comment.pk}-changes": ["plan"]}
    for role in ("reader", "contact_a"):
        assert world.client(role).post(reverse("remiss:handle", args=[comment.pk]), data).status_code == 403
    assert CommentChange.objects.count() == 1 and not CommentChange.objects.filter(goal_identity=None).exists()
    assert world.client("other_coordinator").post(reverse("remiss:handle", args=[comment.pk]), data).status_code == 404


def test_a_unit_contact_sees_on_the_compare_page_only_their_units_comments(world):
    remiss = answered(world)
    v2 = second_version(world)
    mine = Comment.objects.get(goal=world.result_goal)
    theirs = Comment.objects.get(goal=world.goal)
    # The organisation's comment on 1.2, linked to the change of 1.2.1 (a goal may be changed for another's comment).
    _link(world, remiss, mine, v2, [goal_key(world.result_goal)])
    _link(world, remiss, theirs, v2, [goal_key(world.result_goal)])
    url = reverse("plans:compare", args=[world.plan.pk, v2.pk])
    compilation_url = reverse("remiss:compilation", args=[remiss.pk])

    page = world.client("reader").get(url).content.decode()
    assert "Uppsökande arbete behöver" in page and "Kvinnoföreningens synpunkt" in page

    page = world.client("contact_a").get(url).content.decode()
    assert "Uppsökande arbete behöver" in page and "Kvinnoföreningens synpunkt" not in page
    assert compilation_url not in page  # not theirs to read
    assert f'href="{reverse("remiss:detail", args=[remiss.pk])}"' in page

    page = world.client("contact_b").get(url).content.decode()
    assert "Uppsökande arbete behöver" not in page and "Kvinnoföreningens synpunkt" not in page
    assert sv("Caused by remiss comments:") not in page
    text = docx_text(world.client("contact_b"), world.plan, v2)
    assert "Uppsökande arbete behöver" not in text and "Kvinnoföreningens synpunkt" not in text


# --- Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "reader"])
def test_the_pages_take_the_same_queries_for_2_and_20_linked_comments(world, role):
    client = world.client(role)
    v2 = second_version(world)
    compare_url = reverse("plans:compare", args=[world.plan.pk, v2.pk])
    counts = []
    for n, prefix in ((2, "Liten"), (20, "Stor")):
        remiss = _answered_remiss(world, n, prefix)
        from remiss.models import Remiss

        Remiss.objects.filter(pk=remiss.pk).update(title=prefix)
        for comment in Comment.objects.filter(answer__body__remiss=remiss, goal__isnull=False, goal=world.result_goal):
            _link(world, remiss, comment, v2, [goal_key(world.result_goal), "plan"])
        for comment in Comment.objects.filter(answer__body__remiss=remiss, section="ovrigt"):
            _link(world, remiss, comment, v2, ["plan"])
        assert CommentChange.objects.filter(comment__answer__body__remiss=remiss).count() == 3 * n
        counts.append(
            (_queries(client, reverse("remiss:compilation", args=[remiss.pk])), _queries(client, compare_url))
        )
    assert counts[0] == counts[1]
