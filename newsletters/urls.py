from django.urls import path

from newsletters import views

app_name = "newsletters"
urlpatterns = [
    path("desinscription/<slug:token>/", views.unsubscribe, name="unsubscribe"),
    path("o/<slug:token>.gif", views.open_pixel, name="open"),
    path("c/<slug:token>/", views.click, name="click"),
]
