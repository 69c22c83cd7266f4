from django.urls import path

from web.views.batches import batch_cancel_page, batch_csv, batch_page, batch_upload_page
from web.views.records import decision_page, record_page
from web.views.verify import verify_page

app_name = "web"
urlpatterns = [
    path("", verify_page, name="verify"),
    path("records/<uuid:request_id>/", record_page, name="record"),
    path("records/<uuid:request_id>/decisions", decision_page, name="decision"),
    path("batches/", batch_upload_page, name="batch_upload"),
    path("batches/<uuid:batch_id>/", batch_page, name="batch"),
    path("batches/<uuid:batch_id>/results.csv", batch_csv, name="batch_csv"),
    path("batches/<uuid:batch_id>/cancel", batch_cancel_page, name="batch_cancel"),
]
