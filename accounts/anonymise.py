"""What anonymising a user blanks (SPEC §20 retention, applicants/retention.py calls it): one list.

The user row stays, so that what they did (applications created, declarations, the audit trail) still
points somewhere; it can no longer sign in, and nothing on it names the person.
"""

from accounts.models import User

# The personal fields of a user and what they become. One constant: a field that joins User and holds
# personal data (the profile's phone) is added here, and retention blanks it too.
ANONYMISED_USER_FIELDS: dict[str, str] = {"first_name": "", "last_name": "", "email": "", "phone": ""}


def anonymised_username(user: User) -> str:
    return f"탈퇴-{user.pk}"


def user_anonymise(*, user: User) -> None:
    """Blank the user's personal fields, rename them `탈퇴-<id>`, and close the account for good."""
    for name, value in ANONYMISED_USER_FIELDS.items():
        setattr(user, name, value)
    user.username = anonymised_username(user)
    user.set_unusable_password()
    user.is_active = False
    user.save(update_fields=[*ANONYMISED_USER_FIELDS, "username", "password", "is_active"])
