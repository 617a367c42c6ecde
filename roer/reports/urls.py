from django.urls import path

from roer.reports import views

app_name = "reports"

urlpatterns = [
    path("scans/<uuid:scan_code>/report/foreword/", views.report_foreword, name="foreword"),
    path("scans/<uuid:scan_code>/report/<slug:kind>/", views.report, name="report"),
    path("scans/<uuid:scan_code>/report/<slug:kind>.pdf", views.report_pdf, name="pdf"),
    path("scans/<uuid:scan_code>/export/<slug:name>.<slug:extension>", views.export, name="export"),
]
