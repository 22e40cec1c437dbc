from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("<slug:slug>/", views.survey_detail, name="detail"),
    path("<slug:slug>/page/<int:number>/", views.survey_page, name="page"),
    path("<slug:slug>/merci/", views.survey_thanks, name="thanks"),
    path("<slug:slug>/sondage/", views.poll_answer, name="poll"),
    path("<slug:slug>/resultats/", views.survey_results, name="results"),
    path("<slug:slug>/reponses/<int:pk>/signaler/", views.answer_report, name="report"),
]
