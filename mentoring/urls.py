from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("mentor/", views.portal, name="portal"),
    path("mentor/assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("staff/mentors/", views.staff_overview, name="staff-overview"),
    path("staff/mentors/new/", views.staff_mentor_edit, name="staff-mentor-new"),
    path("staff/mentors/<int:pk>/", views.staff_mentor_edit, name="staff-mentor-edit"),
    path("staff/applications/<int:pk>/mentors/", views.staff_assign, name="staff-assign"),
    path("staff/applications/<int:pk>/panels/mentors/", views.mentors_panel, name="mentors-panel"),
]
