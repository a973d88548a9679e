"""The project's URLs and two that only the operations tests use: a view that fails, and one that
enqueues a task on the queue the test names (the queue its worker reads)."""

from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from funds.tasks import compute_cost_share


def boom(request):
    raise RuntimeError("an unhandled error in a view")


def enqueue(request, application_id: int):
    queue = request.GET["queue"]
    transaction.on_commit(lambda: compute_cost_share.apply_async(args=[application_id], queue=queue))
    return HttpResponse("enqueued")


urlpatterns = [
    path("ops-test/boom/", boom, name="ops-test-boom"),
    path("ops-test/enqueue/<int:application_id>/", enqueue, name="ops-test-enqueue"),
    *project_urlpatterns,
]
