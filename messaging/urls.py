from django.urls import path

from messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.thread_list, name="list"),
    path("nouveau/", views.thread_new, name="new"),
    path("<int:pk>/", views.thread_detail, name="thread"),
]
