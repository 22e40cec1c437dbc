"""URLs of the platform's own host (public schema): landing page and consultants' admin."""

from django.urls import path
from django.views.i18n import set_language

from civic import views
from civic.admin_sites import platform_admin

urlpatterns = [
    path("sante/", views.health, name="health"),
    path("icone.svg", views.site_icon, name="site_icon"),
    path("favicon.ico", views.site_icon),
    path("", views.landing, name="landing"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", platform_admin.urls),
    path("media/<str:schema>/<path:path>", views.media, name="media"),
]
