"""The staff application page's spending panel (SPEC §18.1). PART D fills this module."""

from applicants.panels import panel


@panel(name="spending", template="execution/panels/spending.html", tab="funds")
def spending(request, application, **overrides):
    return None
