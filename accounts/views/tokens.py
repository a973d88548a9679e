"""The API token page of SPEC §20 (`/account/tokens/`): any signed-in user sees its own working
tokens, issues one (its key shown on that answer only) and revokes one (audited, from the next
request on). Another user's token is not there for them (404)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.tokens import NAME_LENGTH, api_token_issue, api_token_list, api_token_of_user, api_token_revoke

PAGE_SIZE = 20


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("토큰 이름"),
        max_length=NAME_LENGTH,
        required=False,
        help_text=gettext_lazy("어디에 쓰는 토큰인지 적어 두면 구분하기 쉽습니다(예: 성과 집계 스크립트)."),
    )


@never_cache  # the answer that shows a new key must not be kept by a browser or a proxy
@require_http_methods(["GET", "POST"])
@login_required
def tokens(request):
    """The user's tokens; POST issues a new one and shows its key once, on this answer only."""
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        token, key = api_token_issue(user=request.user, name=form.cleaned_data["name"])
        issued = {"token": token, "key": key}
        form = TokenForm()
    page = Paginator(api_token_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "issued": issued, "ttl_days": settings.API_TOKEN_TTL_DAYS}
    return render(request, "accounts/tokens.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def token_revoke(request, pk):
    token = api_token_of_user(user=request.user, token_id=pk)
    if token is None:
        raise Http404
    api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("토큰을 폐기했습니다. 이 토큰으로 보내는 요청은 이제 거부됩니다."))
    return redirect("accounts:tokens")


urlpatterns = [
    path("account/tokens/", tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", token_revoke, name="token-revoke"),
]
