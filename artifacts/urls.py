from django.urls import path

from artifacts.apis import ArtifactDetailApi, ArtifactImageApi, ArtifactListApi

urlpatterns = [
    path("artifacts", ArtifactListApi.as_view(), name="artifact-list"),
    path("artifacts/<int:artifact_id>", ArtifactDetailApi.as_view(), name="artifact-detail"),
    path("artifacts/<int:artifact_id>/image", ArtifactImageApi.as_view(), name="artifact-image"),
]
