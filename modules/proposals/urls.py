from django.urls import path

from core.taxonomy.views import taxonomy_urls
from modules.proposals import views
from modules.proposals.services import CATEGORIES

app_name = "proposals"
urlpatterns = [
    path("", views.proposal_list, name="proposal-list"),
    path("<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("<int:pk>/support/", views.proposal_support, name="proposal-support"),
    path("<int:pk>/comments/", views.comment_create, name="comment-create"),
    path("new/", views.proposal_create, name="proposal-create"),
    path("manage/", views.proposal_manage, name="proposal-manage"),
    path("manage/<int:pk>/", views.proposal_answer, name="proposal-answer"),
    path("manage/<int:pk>/steps/", views.step_add, name="step-add"),
    path("manage/<int:pk>/done/", views.proposal_done, name="proposal-done"),
    *taxonomy_urls(CATEGORIES),
]
