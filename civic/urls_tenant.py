"""URLs of a commune's site (any host that maps to a commune)."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from accounts import views as account_views
from civic import views
from reports import views as reports_views
from tenants import views as tenant_views

urlpatterns = [
    path("sante/", views.health, name="health"),
    path("icone.svg", views.site_icon, name="site_icon"),
    path("favicon.ico", views.site_icon),
    path("", views.home, name="home"),
    path("conditions/", views.terms, name="terms"),
    path("conditions/version-<int:version>/", views.terms, name="terms_version"),
    path("conditions/accepter/", views.terms_accept, name="terms_accept"),
    path("charte/", views.charter, name="charter"),
    path("charte/version-<int:version>/", views.charter, name="charter_version"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("compte/profil/", account_views.profile, name="profile"),
    path("compte/notifications/", account_views.notification_preferences, name="notification_preferences"),
    path("compte/mes-donnees/", account_views.my_data, name="my_data"),
    path("compte/mes-donnees/telecharger/", account_views.my_data_download, name="my_data_download"),
    path("participer/", include("ideas.urls")),
    path("budgets/", include("budgets.urls")),
    path("enquetes/", include("surveys.urls")),
    path("signalements/", include("problems.urls")),
    path("messages/", include("messaging.urls")),
    path("actualites/", include("news.urls")),
    path("projets/", include("spaces.urls")),
    path("lettres/", include("newsletters.urls")),
    path("rapports/", include("reports.urls")),
    path("transparence/", reports_views.transparency, name="transparency"),
    path("transparence/donnees/", reports_views.open_data, name="open_data"),
    path("transparence/donnees/<slug:slug>.<str:fmt>", reports_views.open_data_file, name="open_data_file"),
    path("communes/", tenant_views.affiliates, name="affiliates"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("media/<str:schema>/<path:path>", views.media, name="media"),
]
