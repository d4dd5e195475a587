"""The form of the public site: a PDF to check."""

from __future__ import annotations

from django import forms

MAX_VERIFY_UPLOAD = 20 * 1024 * 1024


class VerifyForm(forms.Form):
    document = forms.FileField(
        label="The PDF to check",
        allow_empty_file=True,  # refused below, with a plainer message
        help_text="A copy of a published note, up to 20 MB. It is checked and not kept.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        if upload.size > MAX_VERIFY_UPLOAD:
            raise forms.ValidationError("The file is larger than 20 MB: no note is that big.")
        content = upload.read()
        if not content.startswith(b"%PDF-"):
            raise forms.ValidationError("The file is not a PDF.")
        return content
