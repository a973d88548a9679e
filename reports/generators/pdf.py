"""PDF reports: an HTML template (reports/templates/reports/pdf/) printed by WeasyPrint with the
Korean font installed on the system (fonts-noto-cjk)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def write_pdf(template: str, context: dict, path: str) -> None:
    from weasyprint import HTML  # heavy import (Pango): only where a PDF is made

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(target=path)
