"""The signed-in home's sections of SPEC §18 (program/home.py). PART D fills this module."""


def staff_execution_todo(request):
    """Staff: spending to review, settlements to confirm, clawbacks overdue."""
    return None


def applicant_spending(request):
    """An SME: its spending register while building, and clawbacks due."""
    return None
