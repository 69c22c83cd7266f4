from django.contrib import admin
from django.urls import path

from analytics import views

app_name = "analytics"

# Mounted at admin/analytics/ ahead of the admin site: the admin's sign-in and
# staff check wrap every view; the model pages below it fall through to the admin.
urlpatterns = [
    path("", admin.site.admin_view(views.dashboard), name="dashboard"),
    path("<slug:name>.csv", admin.site.admin_view(views.table_csv), name="table-csv"),
]
