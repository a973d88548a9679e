"""문의·답변 (SPEC §19): who reads and posts which messages, the audit, who hears of them, the pages
and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from applicants.messages import message_list
from applicants.models import Application, Message, MessageAttachment
from applicants.services import application_transition, message_post
from config.errors import NotAllowed
from program.models import AuditEvent, OutgoingEmail
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    EvaluatorAssignmentFactory,
    MentoringAssignmentFactory,
    UserFactory,
    api_client,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
APPLICANT, INTERNAL = Message.Visibility.APPLICANT, Message.Visibility.INTERNAL


@pytest.fixture
def application():
    return ApplicationFactory(status=Application.Status.SCREENING)


@pytest.fixture
def staff(application):
    return UserFactory(role="staff", agency=application.program.agency, first_name="담당", last_name="김")


@pytest.fixture
def owner(application):
    return UserFactory(applicant=True, company=application.company)


def _post(actor, application, body="문의드립니다.", visibility=APPLICANT, **kwargs):
    return message_post(actor=actor, application=application, body=body, visibility=visibility, **kwargs)


def test_staff_post_both_kinds_and_the_sme_reads_only_the_applicant_ones(application, staff, owner):
    public = _post(staff, application, "사업자등록증을 다시 올려 주세요.")
    note = _post(staff, application, "재무제표 수치 확인 필요", INTERNAL)

    assert list(message_list(user=staff, application=application)) == [public, note]
    assert list(message_list(user=owner, application=application)) == [public]
    ministry = UserFactory(ministry=True)
    assert list(message_list(user=ministry, application=application)) == [public, note]


def test_the_sme_answers_but_may_not_write_an_internal_note(application, owner):
    answer = _post(owner, application, "다시 올렸습니다.")
    assert answer.visibility == APPLICANT and answer.author == owner

    with pytest.raises(ValidationError) as refused:
        _post(owner, application, "몰래", INTERNAL)
    assert "내부 메모" in refused.value.message_dict["visibility"][0]
    assert Message.objects.count() == 1


@pytest.mark.parametrize("role", ["evaluator", "mentor", "sponsor"])
def test_those_who_see_the_application_but_not_its_thread_get_404(application, role):
    application.status = Application.Status.SELECTED
    application.save()
    if role == "evaluator":
        user = EvaluatorAssignmentFactory(application=application).evaluator
    elif role == "mentor":
        user = MentoringAssignmentFactory(application=application).mentor.user
    else:
        user = UserFactory(sponsor_user=True, sponsor=application.program.sponsor)
    _post(UserFactory(role="staff", agency=application.program.agency), application)

    assert list(message_list(user=user, application=application)) == []
    with pytest.raises(Http404):
        _post(user, application)


def test_another_agencys_staff_get_404_and_the_ministry_403(application):
    with pytest.raises(Http404):
        _post(UserFactory(role="staff", agency=AgencyFactory(name="중소기업중앙회")), application)
    with pytest.raises(NotAllowed):
        _post(UserFactory(ministry=True), application)
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [("", "body"), ("   \n", "body"), ("가" * 5001, "body")],
    ids=["empty", "blank", "long"],
)
def test_bad_text_is_refused_at_its_field_and_nothing_is_written(application, staff, body, field):
    with pytest.raises(ValidationError) as refused:
        _post(staff, application, body)
    assert field in refused.value.message_dict
    assert (
        not Message.objects.exists() and not AuditEvent.objects.filter(action="application.message").exists()
    )


def test_a_file_is_checked_like_the_documents(application, owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("계획.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        _post(owner, application, upload=fake)
    assert "file" in refused.value.message_dict
    assert not Message.objects.exists()

    message = _post(owner, application, upload=SimpleUploadedFile("수정 계획서.pdf", PDF))
    attachment = MessageAttachment.objects.get(message=message)
    assert attachment.original_name == "수정 계획서.pdf" and attachment.content_type == "application/pdf"
    assert "수정 계획서" not in attachment.file.name


def test_every_message_is_audited_with_its_opening(application, staff):
    message = _post(staff, application, "가" * 300, INTERNAL)

    event = AuditEvent.objects.get(action="application.message")
    assert event.actor == staff and event.object_id == message.pk
    assert event.note == "가" * 200 and event.after == {
        "application": application.pk,
        "visibility": "internal",
    }
    assert event.agency_id == application.program.agency_id


def test_the_other_side_is_notified_and_internal_notes_notify_nobody(application, staff, owner):
    colleague = UserFactory(role="staff", agency=application.program.agency)
    UserFactory(role="staff", agency=AgencyFactory(name="중소기업중앙회"))  # another agency's: not told

    _post(staff, application, "보완 서류를 올려 주세요.")
    assert set(OutgoingEmail.objects.values_list("to", flat=True)) == {owner.email}
    OutgoingEmail.objects.all().delete()

    _post(owner, application, "올렸습니다.")
    assert set(OutgoingEmail.objects.values_list("to", flat=True)) == {staff.email, colleague.email}
    OutgoingEmail.objects.all().delete()

    _post(staff, application, "내부 검토 메모", INTERNAL)
    assert not OutgoingEmail.objects.exists()


def test_a_change_request_opens_the_thread(application, staff, owner):
    application_transition(
        application=application, action="request_changes", actor=staff, note="견적서를 다시 받아 주세요."
    )

    [message] = message_list(user=owner, application=application)
    assert message.body == "견적서를 다시 받아 주세요." and message.author == staff
    assert message.visibility == APPLICANT
    # The workflow's own notice says it already: one mail to the SME, not two.
    assert OutgoingEmail.objects.filter(to=owner.email).count() == 1


# --------------------------------------------------------------------------------------------- pages


def test_staff_post_from_the_messages_tab_and_come_back_to_it(client, application, staff):
    client.force_login(staff)
    url = f"/staff/applications/{application.pk}/messages/"

    response = client.post(url, {"body": "내부 확인", "visibility": "internal"})

    assert response.status_code == 302
    assert response["Location"] == f"/staff/applications/{application.pk}/#tab-messages"
    page = client.get(response["Location"]).content.decode()
    assert 'id="tab-messages"' in page and "내부 확인" in page and "message-internal" in page


def test_htmx_redraws_the_thread_in_place(client, application, staff):
    client.force_login(staff)
    url = f"/staff/applications/{application.pk}/messages/"

    response = client.post(
        url, {"body": "보완 부탁드립니다.", "visibility": "applicant"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<div id="panel-messages"')
    assert "보완 부탁드립니다." in html


def test_an_empty_message_is_answered_at_the_field_with_the_page(client, application, staff):
    client.force_login(staff)
    response = client.post(
        f"/staff/applications/{application.pk}/messages/", {"body": "", "visibility": "internal"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="message-body-error"' in html and "내용을 입력해 주세요." in html
    assert 'data-tabs-open="tab-messages"' in html
    assert 'id="message-visibility-internal" value="internal" checked' in html


def test_the_sme_page_shows_its_thread_without_internal_notes(client, application, staff, owner):
    _post(staff, application, "사업자등록증 확인 부탁드립니다.")
    _post(staff, application, "이 회사 재무 주의", INTERNAL)
    client.force_login(owner)

    page = client.get(f"/my/applications/{application.pk}/").content.decode()

    assert "문의·답변" in page and "사업자등록증 확인 부탁드립니다." in page
    assert "이 회사 재무 주의" not in page and "내부 메모" not in page
    assert 'name="visibility" value="internal"' not in page


def test_the_sme_answers_on_its_page(client, application, owner):
    client.force_login(owner)
    url = f"/my/applications/{application.pk}/messages/"

    response = client.post(url, {"body": "확인했습니다.", "visibility": "applicant"})
    assert response.status_code == 302 and response["Location"].endswith("#messages")

    refused = client.post(url, {"body": "너무 김" * 2000, "visibility": "applicant"})
    assert refused.status_code == 400 and "5000자까지" in refused.content.decode().replace(",", "")
    assert "너무 김너무 김" in refused.content.decode()  # the text kept

    drawn = client.post(url, {"body": "하나 더", "visibility": "applicant"}, HTTP_HX_REQUEST="true")
    assert drawn.status_code == 200 and drawn.content.decode().lstrip().startswith(
        '<section class="card" id="messages"'
    )
    assert Message.objects.filter(author=owner).count() == 2


def test_a_message_file_goes_to_those_who_read_the_message(
    client, application, staff, owner, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    public = _post(owner, application, upload=SimpleUploadedFile("a.pdf", PDF))
    internal = _post(staff, application, "메모", INTERNAL, upload=SimpleUploadedFile("b.pdf", PDF))
    url = "/applications/{}/messages/files/{}/"

    client.force_login(owner)
    assert client.get(url.format(application.pk, public.attachments.get().pk)).status_code == 200
    assert client.get(url.format(application.pk, internal.attachments.get().pk)).status_code == 404
    client.force_login(staff)
    assert client.get(url.format(application.pk, internal.attachments.get().pk)).status_code == 200


def test_the_staff_page_runs_a_constant_number_of_queries_however_long_the_thread(
    client, application, staff, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            Message.objects.create(
                application=application, author=staff, author_name="김담당", body=f"메시지 {i}",
                visibility=INTERNAL if i % 2 else APPLICANT,
            )  # fmt: skip

    add(1)
    client.force_login(staff)
    url = f"/staff/applications/{application.pk}/"
    client.get(url)  # warm the session and content-type caches
    with django_assert_num_queries(QUERIES_STAFF_PAGE):
        client.get(url)
    add(29)
    with django_assert_num_queries(QUERIES_STAFF_PAGE):
        response = client.get(url)
    assert response.content.decode().count('class="message') >= 30


# The staff application page: session, user, the application and its documents, evaluations and
# committee, the agency, mentors, the thread (its messages, their files), history, company changes
# and the header's unread count, the newest declarations (SPEC §15.1); the support history panel's five
# (SPEC §15.4, funds.panels.support_history).
QUERIES_STAFF_PAGE = 19


# ----------------------------------------------------------------------------------------------- API


def test_the_api_lists_what_each_side_may_read_oldest_first(application, staff, owner):
    first = _post(staff, application, "첫 번째")
    _post(staff, application, "내부", INTERNAL)
    url = f"/api/v1/applications/{application.pk}/messages/"

    owners = api_client(owner).get(url).json()
    staffs = api_client(staff).get(url).json()

    assert [m["id"] for m in owners["results"]] == [first.pk]
    assert [m["visibility"] for m in staffs["results"]] == ["applicant", "internal"]
    assert owners["results"][0]["author_name"] == first.author_name


def test_the_api_posts_and_refuses_in_korean(application, staff, owner):
    url = f"/api/v1/applications/{application.pk}/messages/"

    created = api_client(staff).post(url, {"body": "메모", "visibility": "internal"}, format="json")
    assert created.status_code == 201 and created.json()["visibility"] == "internal"

    refused = api_client(owner).post(url, {"body": "메모", "visibility": "internal"}, format="json")
    assert refused.status_code == 400 and "내부 메모" in refused.json()["visibility"][0]
    empty = api_client(owner).post(url, {"body": ""}, format="json")
    assert empty.status_code == 400 and empty.json()["body"] == ["내용을 입력해 주세요."]
    assert Message.objects.count() == 1


@pytest.mark.parametrize("many", [1, 30])
def test_the_api_thread_runs_a_constant_number_of_queries(
    application, staff, many, django_assert_num_queries
):
    for i in range(many):
        Message.objects.create(application=application, author=staff, author_name="김담당", body=f"{i}")
    client = api_client(staff)
    url = f"/api/v1/applications/{application.pk}/messages/"
    client.get(url)
    # the application in scope, the count, the page of messages, their files
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.json()["count"] == many


def test_the_audit_trail_names_a_message(client, application, staff):
    _post(staff, application, "내부 확인", INTERNAL)
    client.force_login(staff)

    page = client.get("/staff/audit/").content.decode()

    assert "메시지 작성" in page and "내부 확인" in page


def test_a_long_thread_shows_its_newest_messages_and_links_to_the_rest(client, application, staff, owner):
    from django.urls import reverse

    from applicants.messages import THREAD_SHOWN

    Message.objects.bulk_create(
        Message(application=application, author=staff, author_name="김담당", body=f"메시지 {i:03d}")
        for i in range(THREAD_SHOWN + 5)
    )
    for user, page, anchor in ((staff, "staff-detail", "tab-messages"), (owner, "my-detail", "messages")):
        client.force_login(user)
        url = reverse(f"applicants:{page}", args=[application.pk])

        html = client.get(url).content.decode()
        assert html.count('<li class="message') == THREAD_SHOWN
        assert "메시지 004" not in html and "메시지 005" in html and f"메시지 {THREAD_SHOWN + 4:03d}" in html
        assert html.index("메시지 005") < html.index(f"메시지 {THREAD_SHOWN + 4:03d}")  # oldest first
        assert f'href="{url}?thread=all#{anchor}"' in html

        whole = client.get(url, {"thread": "all"}).content.decode()
        assert whole.count('<li class="message') == THREAD_SHOWN + 5 and "메시지 000" in whole
        assert f'href="{url}?thread=all#{anchor}"' not in whole
