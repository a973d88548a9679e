"""The agreement's PDF (협약서, SPEC §16): an HTML template printed by WeasyPrint in Korean on A4, with
the Korean font installed on the system (fonts-noto-cjk), as reports' PDFs are."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from projects.models import Agreement
from projects.selectors import agreement_split, kpi_target_rows


def agreement_context(*, agreement: Agreement, application) -> dict:
    program = application.program
    return {
        "agreement": agreement,
        "application": application,
        "program": program,
        "agency": program.agency,
        "sponsor": program.sponsor,
        "company": application.company,
        "supplier": agreement.supplier,
        "split": agreement_split(application),
        "targets": kpi_target_rows(agreement.kpi_targets),
    }


def agreement_pdf(*, agreement: Agreement, application) -> bytes:
    """The agreement as a PDF, its bytes (what is stored and hashed)."""
    from weasyprint import HTML  # heavy import (Pango): only where a PDF is made

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "projects/agreement_pdf.html", agreement_context(agreement=agreement, application=application)
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
