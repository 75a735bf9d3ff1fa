from django import forms
from django.utils.translation import gettext_lazy as _

from .validators import check_upload


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("For example “Invitation” or “Minutes, signed”. Leave empty to show the file's name."),
    )
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,  # refused by check_upload, with the file's name
        help_text=_("PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS), PNG or JPEG."),
    )

    def __init__(self, *args, max_mb: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None
        if max_mb:
            self.fields["file"].help_text = _(
                "PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS), PNG or JPEG, at most %(max)d MB."
            ) % {"max": max_mb}
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.jpeg"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload)
        return upload
