from django.contrib import admin
from django.urls import include, path

from config.api import api
from yachi.accounts.views import admin_login

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("console/", include("yachi.web.console_urls")),
    path("payments/", include("yachi.payments.urls")),
    path("", include("yachi.web.urls")),
]
