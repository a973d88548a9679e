"""The staff application page's deposits, settlement and clawbacks panel (SPEC §18.2–§18.4). PART D."""

from applicants.panels import panel


@panel(name="settlement", template="execution/panels/settlement.html", tab="funds")
def settlement(request, application, **overrides):
    return None
