from django.urls import path

from budgets import views

app_name = "budgets"
urlpatterns = [
    path("", views.budget_list, name="list"),
    path("<slug:slug>/", views.budget_detail, name="detail"),
    path("<slug:slug>/suivre/", views.budget_follow, name="follow"),
    path("<slug:slug>/voter/", views.budget_vote, name="vote"),
    path("<slug:slug>/vote-enregistre/<str:receipt>/", views.budget_voted, name="voted"),
    path("<slug:slug>/priorisation/", views.budget_prioritisation, name="prioritisation"),
    path("<slug:slug>/resultats/", views.budget_results, name="results"),
    path("<slug:slug>/resultats/bulletins.pb", views.budget_export_pb, name="export_pb"),
    path("<slug:slug>/resultats/<str:what>.csv", views.budget_export_csv, name="export_csv"),
]
