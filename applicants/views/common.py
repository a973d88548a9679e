from django.http import Http404

from applicants.selectors import application_detail


def get_application_or_404(request, pk):
    """The application if the signed-in user may see it; 404 otherwise, so nothing leaks."""
    application = application_detail(user=request.user, application_id=pk)
    if application is None:
        raise Http404
    return application
