"""The ranking page (docs/domain.md §5): a program's applications in evaluation against its pots."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.decorators import staff_required
from funds.permissions import can_view_ranking
from funds.ranking import program_ranking
from funds.selectors import fund_balances
from program.selectors import program_list


@require_GET
@staff_required
def ranking(request, program_pk):
    """A program's applications in evaluation, best first, with the line where the money runs out."""
    program = get_object_or_404(program_list(user=request.user), pk=program_pk)
    if not can_view_ranking(request.user, program):
        raise Http404
    balances = fund_balances(program_id=program.pk)
    context = {
        "program": program,
        "ranked": program_ranking(program=program, balances=balances),
        "balances": balances,
    }
    return render(request, "funds/ranking.html", context)
