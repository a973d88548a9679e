"""accounts' e-mails (SPEC §20: a password-reset link, an e-mail address changed) through the
`account_email` extension point: the outbox and the task queue are program's, above accounts, which
imports no app above it (config/plugins.py). Call inside the transaction that decided the mail: it
is written there and sent once that commits, so a rolled-back request sends nothing."""

from config.plugins import plugins


def account_email(*, subject: str, body: str, address: str) -> None:
    """Mail one address (program.notifications.account_email: an outbox row, a task on commit)."""
    for send in plugins("account_email"):
        send(subject=subject, body=body, address=address)
