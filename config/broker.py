"""Sending a task to the broker from a request without letting a broker outage fail the request.

The outboxes (funds.outbox, program.outbox) keep a row for every task they must send; these are the
errors that mean "the broker did not take it, keep the row" and the short retry policy a request
waits through before giving up on the broker (about a second, not Celery's default of minutes).
"""

from kombu.exceptions import KombuError
from redis.exceptions import RedisError

BROKER_ERRORS = (KombuError, RedisError, OSError)
SEND_RETRY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}
