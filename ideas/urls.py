from django.urls import path

from ideas import views

app_name = "ideas"
urlpatterns = [
    path("", views.call_list, name="calls"),
    path("appels/<slug:slug>/", views.call_detail, name="call"),
    path("appels/<slug:slug>/carte/", views.call_map, name="map"),
    path("appels/<slug:slug>/proposer/", views.idea_propose, name="propose"),
    path("appels/<slug:slug>/saisir/", views.idea_record, name="record"),
    path("idees/similaires/", views.similar, name="similar"),
    path("idees/<int:pk>/", views.idea_detail, name="detail"),
    path("idees/<int:pk>/modifier/", views.idea_edit, name="edit"),
    path("idees/<int:pk>/apercu/", views.idea_preview, name="preview"),
    path("idees/<int:pk>/voter/", views.idea_vote, name="vote"),
    path("idees/<int:pk>/commenter/", views.idea_comment, name="comment"),
    path("idees/<int:pk>/suivre/", views.idea_follow, name="follow"),
    path("idees/<int:pk>/signaler/", views.idea_report, name="report"),
    path("idees/<int:pk>/retirer/", views.idea_withdraw, name="withdraw"),
    path("mes-contributions/", views.my_contributions, name="mine"),
]
