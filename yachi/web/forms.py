from django import forms


class Form(forms.Form):
    """Forms without Django's English colon after every label."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
