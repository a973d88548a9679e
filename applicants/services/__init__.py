"""Writes on applications: the workflow, drafts, company registration, evaluation."""

from applicants.services.applications import (
    application_create,
    application_transition,
    application_update,
    company_register,
    company_update,
)
from applicants.services.attachments import attachment_add, attachment_delete
from applicants.services.evaluations import committee_assign, evaluation_submit, evaluator_assign
from applicants.services.messages import message_post

__all__ = [
    "application_create",
    "application_transition",
    "application_update",
    "attachment_add",
    "attachment_delete",
    "committee_assign",
    "company_register",
    "company_update",
    "evaluation_submit",
    "evaluator_assign",
    "message_post",
]
