from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .feeds import NewsAtomFeed, NewsRssFeed

app_name = "news"

urlpatterns = [
    path("", views.news_list, name="list"),
    path("rss/", login_not_required(NewsRssFeed()), name="feed_rss"),
    path("atom/", login_not_required(NewsAtomFeed()), name="feed_atom"),
    path("redaction/", views.editor, name="editor"),
    path("redaction/ajouter/", views.news_create, name="create"),
    path("redaction/<int:pk>/", views.news_edit, name="edit"),
    path("redaction/<int:pk>/publier/", views.news_publish, name="publish"),
    path("redaction/<int:pk>/retirer/", views.news_unpublish, name="unpublish"),
    path("<slug:slug>/", views.news_detail, name="detail"),
    path("<slug:slug>/image", views.news_image, name="image"),
]
