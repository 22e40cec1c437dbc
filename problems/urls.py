from django.urls import path

from problems import views

app_name = "problems"
urlpatterns = [
    path("", views.problem_list, name="list"),
    path("signaler/", views.problem_report, name="report"),
    path("mes-signalements/", views.my_problems, name="mine"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/suivre/", views.problem_follow, name="follow"),
]
