from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("<int:pk>/telecharger/", views.download, name="download"),
    path("<int:pk>/etat/", views.status, name="status"),
]
