"""The form of the public site: a PDF to check."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat


class VerifyForm(forms.Form):
    document = forms.FileField(
        label="The PDF to check",
        allow_empty_file=True,  # refused below, with a plainer message
        error_messages={"required": "Select the PDF to check"},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.fields["document"].help_text = (
            f"A copy of a published note, up to {filesizeformat(max_bytes)}. "
            "It is checked and not kept."
        )

    def clean_document(self) -> bytes:
        upload = self.cleaned_data["document"]
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        if upload.size > self.max_bytes:
            raise forms.ValidationError(too_large_message(self.max_bytes))
        content = upload.read(self.max_bytes + 1)
        if not content.startswith(b"%PDF-"):
            raise forms.ValidationError("The file is not a PDF.")
        return content


def too_large_message(max_bytes: int) -> str:
    return f"The file is larger than {filesizeformat(max_bytes)}: no published note is that big."
