from django.urls import path

from news import feeds, views

app_name = "news"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("flux/rss/", feeds.RssNewsFeed(), name="rss"),
    path("flux/atom/", feeds.AtomNewsFeed(), name="atom"),
    path("<slug:slug>/", views.article_detail, name="detail"),
]
