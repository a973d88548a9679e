"""개인정보 수집·이용 동의 (SPEC §20): the consent's version, who must give it, and recording it.

The text lives in one template (accounts/templates/accounts/consent/privacy_text.html, drawn by
`{% privacy_consent_text %}` on the sign-up and consent pages); its version is
settings.PRIVACY_CONSENT_VERSION. Change both in the same commit: every applicant whose stored version
differs is asked again at their next page (accounts/consent_middleware.py).

Only applicants are asked. They sign up themselves on the public page, so their personal data is
collected on their consent (개인정보 보호법 §15①1). Staff, the ministry, sponsors, evaluators and mentors
are given accounts by the agency (`add_user`) for the work they do for or under contract with it: that
processing rests on the contract and the agency's duties (§15①4, ②), and their own organisations tell
them about it.
"""

from django.conf import settings
from django.db import transaction

from accounts.audit import account_audit
from accounts.models import Consent, Role, User

OPTIONAL_KINDS = (Consent.Kind.MARKETING,)


def current_version() -> str:
    return settings.PRIVACY_CONSENT_VERSION


def consent_needed(user) -> bool:
    """Whether `user` must agree to the current text before going on: an applicant whose stored
    version is not the current one (never agreed, or agreed to an older text). No query."""
    return (
        bool(user and user.is_authenticated)
        and user.role == Role.APPLICANT
        and user.privacy_consent_version != current_version()
    )


def consent_state(*, user) -> dict[str, Consent | None]:
    """The latest row of each kind (the user's current answer), None where none was given: one query."""
    state: dict[str, Consent | None] = dict.fromkeys(Consent.Kind.values)
    for consent in Consent.objects.filter(user=user).order_by("created_at", "id"):
        state[consent.kind] = consent
    return state


def consent_history(*, user) -> list[Consent]:
    """Every consent the user gave or withdrew, newest first."""
    return list(Consent.objects.filter(user=user).order_by("-created_at", "-id"))


def _answers(state: dict[str, Consent | None]) -> dict[str, bool | str]:
    privacy = state[Consent.Kind.PRIVACY]
    answers: dict[str, bool | str] = {Consent.Kind.PRIVACY.value: privacy.version if privacy else ""}
    for kind in OPTIONAL_KINDS:
        row = state[kind]
        answers[kind.value] = bool(row and row.agreed)
    return answers


@transaction.atomic
def consent_record(*, user: User, optional: dict[str, bool], privacy: bool = True) -> bool:
    """Record the user's answers: the required consent to the current version (when not given yet)
    and each optional consent answered for the first time or changed. Answers whether anything was
    recorded; audited `account.consent` then, before → after. The caller has checked that `privacy`
    was ticked where the text is new to the user; a refusal is not recorded (the database refuses
    one too)."""
    version = current_version()
    state = consent_state(user=user)
    before = _answers(state)
    rows = []
    if user.privacy_consent_version != version:
        if not privacy:
            raise ValueError("the required consent was not given")
        rows.append(Consent(user=user, kind=Consent.Kind.PRIVACY, version=version, agreed=True))
        user.privacy_consent_version = version
        user.save(update_fields=["privacy_consent_version"])
    for kind in OPTIONAL_KINDS:
        agreed = bool(optional.get(kind.value, False))
        row = state[kind]
        if row is None or row.agreed != agreed:  # the first answer is kept too, a refusal included
            rows.append(Consent(user=user, kind=kind, version=version, agreed=agreed))
    if not rows:
        return False
    Consent.objects.bulk_create(rows)
    after = {
        **before,
        **{row.kind: row.version if row.kind == Consent.Kind.PRIVACY else row.agreed for row in rows},
    }
    account_audit(actor=user, action="account.consent", target=user, before=before, after=after)
    return True
