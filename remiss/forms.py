from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from organisations.models import OrgUnit
from plans.selectors import sort_in_tree_order

from .models import Answer, Body, Comment, Remiss
from .services import (
    Organisation,
    RemissRefused,
    check_answer_dates,
    check_handling_text,
    check_ready_to_send,
    comment_key,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Units that answer remisses: the political bodies (nämnder, stadsdelsnämnder, bolagsstyrelser, KS) and councils.
BODY_KINDS = [*OrgUnit.KINDS_IN_ALL, OrgUnit.Kind.RAD]


def parse_organisations(text: str) -> list[Organisation]:
    """One organisation a line: "Name, e-mail"."""
    out: list[Organisation] = []
    seen: set[str] = set()
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _sep, email = line.rpartition(",")
        name, email = name.strip(), email.strip()
        if not name:
            name, email = email, ""
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(
                    _("Line %(n)s: “%(email)s” is not an e-mail address."), params={"n": n, "email": email}
                ) from None
        if name in seen:
            raise ValidationError(_("Line %(n)s: %(name)s is listed twice."), params={"n": n, "name": name})
        if len(name) > 200:
            raise ValidationError(_("Line %(n)s: the name is too long."), params={"n": n})
        seen.add(name)
        out.append(Organisation(name, email))
    return out


class RemissForm(forms.ModelForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Units (remissinstanser in the municipality)"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their contact persons get the remiss by e-mail and answer for their unit in Inkludera."),
    )
    organisations = forms.CharField(
        label=_("External organisations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One a line: the organisation's name, a comma and its e-mail address, e.g. "
            "“Romska kvinnoföreningen, info@example.se”. Each gets its own link to answer without an account."
        ),
    )

    class Meta:
        model = Remiss
        fields = ["title", "dnr", "deadline", "letter"]
        widgets = {"deadline": DATE, "letter": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = (
            OrgUnit.objects.filter(municipality=municipality, kind__in=BODY_KINDS).active().order_by("name")
        )
        if self.instance.pk:
            bodies = list(self.instance.bodies.all())
            self.initial["units"] = [b.unit_id for b in bodies if b.unit_id]
            self.initial["organisations"] = "\n".join(
                f"{b.name}, {b.email}" if b.email else b.name
                for b in sorted(bodies, key=lambda b: b.pk)
                if not b.unit_id
            )

    def clean_organisations(self) -> list[Organisation]:
        return parse_organisations(self.cleaned_data.get("organisations", ""))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            check_ready_to_send(
                deadline=data.get("deadline"),
                sent_on=timezone.localdate(),
                units=list(data.get("units") or []),
                organisations=data.get("organisations") or [],
            )
        except RemissRefused as exc:
            self.add_error(exc.field, exc.message)
        return data


class SendForm(forms.Form):
    sent_on = forms.DateField(
        label=_("Sending date"), widget=DATE, help_text=_("The date of the remiss, as in the covering letter.")
    )


class AnswerForm(forms.ModelForm):
    """A body's answer: what seeds 003 and 004 show, and a box per goal of the plan
    version and per section for comments tied to them."""

    received_late = forms.BooleanField(
        label=_("Received late"),
        required=False,
        help_text=_("Tick for an answer received after the deadline. Needed once the remiss is closed."),
    )

    class Meta:
        model = Answer
        fields = [
            "stance",
            "dnr",
            "answered_on",
            "officer",
            "decided_by",
            "decided_on",
            "summary",
            "general_comments",
            "publish_consent",
        ]
        widgets = {
            "answered_on": DATE,
            "decided_on": DATE,
            "stance": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "general_comments": forms.Textarea(attrs={"rows": 6}),
        }

    # An organisation answering through its personal link may send as many files in all.
    LINK_FILES_MAX = 5

    def __init__(self, *args, body: Body, goals, coordinator: bool, with_file: bool = False, **kwargs):
        kwargs.setdefault("instance", getattr(body, "answer", None))
        super().__init__(*args, **kwargs)
        self.body = body
        self.checked_file = None
        if with_file:
            # Through an organisation's personal link: the signed decision (or the answer as a
            # document) sent with the answer; checked as every attachment is (documents.validators).
            self.fields["decision_file"] = forms.FileField(
                label=_("The signed decision or the answer as a document (optional)"),
                required=False,
                allow_empty_file=True,  # refused by check_upload, with the file's name
                help_text=_("PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS), PNG or JPEG, at most %(max)d MB.")
                % {"max": settings.ATTACHMENT_MAX_MB},
            )
            self.fields["decision_file"].widget.attrs["accept"] = ".pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.jpeg"
        self.fields["stance"].choices = Answer.Stance.choices
        self.fields["stance"].help_text = _("“Declines to answer” (avstår) is an answer too: no comments are needed.")
        if not body.is_external:
            del self.fields["publish_consent"]
        else:  # an association, not a committee
            self.fields["decided_by"].help_text = _("E.g. the association's board.")
        if not coordinator:
            del self.fields["received_late"]
        elif self.instance.pk:
            self.initial["received_late"] = self.instance.is_late
        existing = {comment_key(c): c.text for c in self.instance.comments.all()} if self.instance.pk else {}
        self.comment_names: list[tuple[str, str]] = []  # (form field name, comments key)
        for goal in sort_in_tree_order(list(goals)):
            self._comment_field(f"goal_{goal.pk}", f"goal:{goal.pk}", f"{goal.code} {goal.title}", existing)
        for section in Comment.SECTIONS:
            label = capfirst(str(Comment.Section(section).label))  # "Inledning", "Ansvar"…
            self._comment_field(f"section_{section}", section, label, existing)

    def clean(self):
        data = super().clean()
        try:
            check_answer_dates(self.body.remiss, data.get("answered_on"), data.get("decided_on"))
        except RemissRefused as exc:
            self.add_error(exc.field, exc.message)
        return data

    def clean_decision_file(self):
        from documents.selectors import attachments_of
        from documents.validators import check_upload

        upload = self.cleaned_data.get("decision_file")
        if not upload:
            return None
        sent = [a for a in attachments_of(self.body) if a.added_by_id is None]
        if len(sent) >= self.LINK_FILES_MAX:
            raise ValidationError(
                _("%(count)d files have been sent with this answer already: send more to the coordinator by e-mail.")
                % {"count": self.LINK_FILES_MAX}
            )
        self.checked_file = check_upload(upload)
        return upload

    @property
    def file_field(self):
        return self["decision_file"] if "decision_file" in self.fields else None

    def _comment_field(self, name: str, key: str, label: str, existing: dict[str, str]) -> None:
        self.fields[name] = forms.CharField(
            label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}), initial=existing.get(key, "")
        )
        self.comment_names.append((name, key))

    @property
    def main_fields(self):
        names = {n for n, _k in self.comment_names} | {"decision_file"}
        return [f for f in self.visible_fields() if f.name not in names]

    @property
    def goal_fields(self):
        return [self[n] for n, _k in self.comment_names if n.startswith("goal_")]

    @property
    def section_fields(self):
        return [self[n] for n, _k in self.comment_names if n.startswith("section_")]

    def answer_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields and k in self.fields}

    def comments(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(name, "") for name, key in self.comment_names}


class HandlingForm(forms.ModelForm):
    """A comment's handling and, once a later version of the plan exists, the changes in
    it the comment caused (``options``: selectors.change_options of the comparison)."""

    class Meta:
        model = Comment
        fields = ["handling", "handling_text"]
        widgets = {"handling_text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, version=None, options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handling"].choices = Comment.Handling.choices
        self.fields["handling"].required = False
        self.fields["handling"].label = _("Handling")
        self.version = version
        if version is not None and options:
            self.fields["changes"] = forms.MultipleChoiceField(
                label=_("Changes in version %(version)d it caused") % {"version": version.version},
                choices=options,
                required=False,
                initial=sorted(getattr(self.instance, "change_keys", {}).get(version.pk, ())),
                widget=forms.SelectMultiple(attrs={"size": min(len(options), 6)}),
                help_text=_(
                    "Only for a comment taken into account, fully or partly. "
                    "Hold Ctrl (⌘ on a Mac) to choose more than one."
                ),
            )

    def clean(self):
        data = super().clean()
        try:
            check_handling_text(data.get("handling") or "", data.get("handling_text") or "")
        except RemissRefused as exc:
            self.add_error(exc.field, exc.message)
        return data


class PublishForm(forms.Form):
    """The confirmation before a remiss goes on the public site (services.remiss_publish
    refuses without it)."""

    confirm = forms.BooleanField(
        label=_("I have checked the texts to be published for personal details"),
        required=False,
        help_text=_("Names of staff and of people who may not be named must not be published."),
    )
