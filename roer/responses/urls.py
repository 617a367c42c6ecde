from django.urls import path

from roer.responses import views

app_name = "responses"

urlpatterns = [
    path("<str:token>/", views.start, name="start"),
    path("<str:token>/<int:number>/", views.page, name="page"),
]
