from django import forms


class DateInput(forms.DateInput):
    """A native date picker; the value is sent as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
