"""Where compliance staff browse saved verifications.

The list reads only the index rows (no join, no storage call): thumbnails
are `<img loading="lazy">` tags pointing at a small admin view that makes
them on the fly and lets the browser cache them. Counting is estimated on
the unfiltered table so 100 000 rows do not cost a `COUNT(*)` per page.
Artifacts are never edited here; deleting goes through `artifact_delete`,
like the API and the commands, and leaves a tombstone. Reads go through
`artifacts.selectors`; the filters and read-only permissions are the ones the
audit admin uses (`ttbsite.admin_helpers`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.html import format_html

from artifacts.models import Artifact, ArtifactFile, ArtifactState, ArtifactTombstone, FileKind
from artifacts.pictures import evidence_png, thumbnail_jpeg
from artifacts.selectors import (
    artifact_deletion_list,
    artifact_document,
    artifact_file_get,
    artifact_file_read,
    artifact_file_url,
    artifact_files,
    artifact_get,
    evidence_boxes,
)
from artifacts.services import ArtifactAlreadyDeleted, artifact_delete
from ttbsite.admin_helpers import (
    BackendFilter,
    BeverageTypeFilter,
    DateRangeFilter,
    LogTableAdmin,
    RequestIdSearchMixin,
)
from ttbsite.text_inputs import UnsafeText, check_text

VIEW_PERMISSION = "artifacts.view_artifact"
DELETE_PERMISSION = "artifacts.delete_artifact"


class OcrBackendFilter(BackendFilter):
    title = "OCR backend"
    parameter_name = "ocr_backend"


def _artifact_ids(raw: str) -> list[int]:
    """The comma-separated artifact ids of the delete page; 400 for anything
    else (`²` is a digit to Python, not to the database)."""
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    if not all(re.fullmatch(r"[0-9]{1,18}", part) for part in ids):
        raise BadRequest("ids must be artifact numbers separated by commas.")
    return [int(part) for part in ids]


@admin.register(Artifact)
class ArtifactAdmin(RequestIdSearchMixin, LogTableAdmin):
    class Media:
        css = {"all": ["artifacts/admin.css"]}  # no inline styles: see the CSP in settings

    list_display = [
        "thumbnail",
        "request_id",
        "created_at",
        "brand_name",
        "verdict",
        "ocr_backend",
        "beverage_type",
        "state",
    ]
    list_display_links = ["request_id"]
    list_filter = [DateRangeFilter, "verdict", OcrBackendFilter, BeverageTypeFilter, "state"]
    date_hierarchy = "created_at"
    search_fields = ["brand_name"]  # and an exact request id, see get_search_results
    search_help_text = "A brand name (or part of it), or a request id."
    list_select_related = False  # every column is on the row itself
    actions = ["delete_artifacts"]
    readonly_fields = [
        "request_id",
        "verification_link",
        "created_at",
        "state",
        "failure_reason",
        "attempts",
        "stored_at",
        "retain_until",
        "deleted_at",
        "verdict",
        "ocr_backend",
        "beverage_type",
        "brand_name",
    ]
    fields = readonly_fields
    change_form_template = "admin/artifacts/artifact/change_form.html"
    MAX_ACTION_DELETE = 500

    # Read-only (LogTableAdmin): Django's delete would skip the tombstone; see delete_artifacts.

    def has_artifact_delete_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(DELETE_PERMISSION)

    @admin.display(description="")
    def thumbnail(self, artifact: Artifact) -> str:
        if artifact.state not in (ArtifactState.STORED, ArtifactState.FAILED):
            return ""
        url = reverse("admin:artifacts_artifact_thumbnail", args=[artifact.pk])
        return format_html(
            '<img src="{}" loading="lazy" width="80" height="80" alt="" '
            'class="artifact-thumbnail">',
            url,
        )

    @admin.display(description="Verification")
    def verification_link(self, artifact: Artifact) -> str:
        try:
            url = reverse("admin:verifier_verification_change", args=[artifact.verification_id])
        except NoReverseMatch:  # the audit trail is not in the admin
            return str(artifact.verification_id)
        return format_html('<a href="{}">{}</a>', url, artifact.verification_id)

    @admin.action(description="Delete the selected artifacts…", permissions=["artifact_delete"])
    def delete_artifacts(self, request: HttpRequest, queryset: QuerySet[Artifact]) -> Any:
        ids = list(queryset.values_list("pk", flat=True)[: self.MAX_ACTION_DELETE + 1])
        if len(ids) > self.MAX_ACTION_DELETE:
            self.message_user(
                request,
                f"Select at most {self.MAX_ACTION_DELETE} artifacts here; for more, use "
                "`manage.py delete_artifacts`, which has a dry run.",
                messages.ERROR,
            )
            return None
        return HttpResponseRedirect(self._delete_url(ids))

    def _delete_url(self, ids: Iterable[int]) -> str:
        joined = ",".join(str(pk) for pk in ids)
        return f"{reverse('admin:artifacts_artifact_delete_artifacts')}?ids={joined}"

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:artifact_id>/thumbnail.jpg",
                wrap(self.thumbnail_view),
                name="artifacts_artifact_thumbnail",
            ),
            path(
                "<int:artifact_id>/evidence/<int:panel>.png",
                wrap(self.evidence_view),
                name="artifacts_artifact_evidence",
            ),
            path(
                "<int:artifact_id>/files/<int:file_id>",
                wrap(self.download_view),
                name="artifacts_artifact_download",
            ),
            path(
                "delete-artifacts/",
                wrap(self.delete_artifacts_view),
                name="artifacts_artifact_delete_artifacts",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        artifact = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if artifact is not None:
            extra.update(self._detail_context(request, artifact))
        return super().change_view(request, object_id, form_url, extra)

    def _detail_context(self, request: HttpRequest, artifact: Artifact) -> dict[str, Any]:
        files = artifact_files(artifact=artifact)
        documents: dict[str, str] = {}
        storage_error = None
        if artifact.state in (ArtifactState.STORED, ArtifactState.FAILED):
            try:
                for kind in (
                    FileKind.METADATA,
                    FileKind.VALIDATION_RESULT,
                    FileKind.EXTRACTED_TEXT,
                ):
                    document = artifact_document(artifact=artifact, kind=kind)
                    if document is not None:
                        documents[FileKind(kind).label] = json.dumps(
                            document, indent=2, ensure_ascii=False
                        )
            except Exception as error:  # show the page; say the storage failed
                storage_error = f"The artifact storage did not answer ({type(error).__name__})."
        return {
            "artifact_files": [
                (file, reverse("admin:artifacts_artifact_download", args=[artifact.pk, file.pk]))
                for file in files
            ],
            "evidence_urls": [
                reverse("admin:artifacts_artifact_evidence", args=[artifact.pk, file.panel])
                for file in files
                if file.kind == FileKind.IMAGE
            ],
            "documents": documents,
            "storage_error": storage_error,
            "can_delete_artifact": self.has_artifact_delete_permission(request)
            and artifact.state != ArtifactState.DELETED,
            "delete_url": self._delete_url([artifact.pk]),
        }

    def _viewable(self, request: HttpRequest, artifact_id: int) -> Artifact:
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        artifact = artifact_get(artifact_id=artifact_id)
        if artifact is None or artifact.state == ArtifactState.DELETED:
            raise Http404("No such artifact.")
        return artifact

    def _image(self, artifact: Artifact, panel: int) -> tuple[ArtifactFile, bytes]:
        file = artifact_file_get(artifact=artifact, kind=FileKind.IMAGE, panel=panel)
        if file is None:
            raise Http404("No such panel.")
        file.artifact = artifact
        try:
            return file, artifact_file_read(file=file)
        except FileNotFoundError as error:
            raise Http404("The image is not stored.") from error

    def thumbnail_view(self, request: HttpRequest, artifact_id: int) -> HttpResponse:
        artifact = self._viewable(request, artifact_id)
        file = artifact_file_get(artifact=artifact, kind=FileKind.IMAGE, panel=0)
        if file is None:
            raise Http404("No image.")
        _, data = self._image(artifact, 0)
        response = HttpResponse(thumbnail_jpeg(data), content_type="image/jpeg")
        # A deleted artifact's picture must not outlive it in a browser cache.
        response["Cache-Control"] = "private, no-store"
        return response

    def evidence_view(self, request: HttpRequest, artifact_id: int, panel: int) -> HttpResponse:
        artifact = self._viewable(request, artifact_id)
        _, data = self._image(artifact, panel)
        result = artifact_document(artifact=artifact, kind=FileKind.VALIDATION_RESULT) or {}
        png = evidence_png(data, evidence_boxes(result=result, panel=panel))
        response = HttpResponse(png, content_type="image/png")
        response["Cache-Control"] = "private, no-store"
        return response

    def download_view(self, request: HttpRequest, artifact_id: int, file_id: int) -> HttpResponse:
        artifact = self._viewable(request, artifact_id)
        files = {file.pk: file for file in artifact_files(artifact=artifact)}
        file = files.get(file_id)
        if file is None:
            raise Http404("No such file.")
        file.artifact = artifact
        url = artifact_file_url(file=file, download=True)
        if url and artifact.state == ArtifactState.STORED:
            response: HttpResponse = HttpResponseRedirect(url)
        else:
            try:
                data = artifact_file_read(file=file)
            except FileNotFoundError as error:
                raise Http404("The file is not stored.") from error
            response = HttpResponse(data, content_type=file.content_type)
            response["Content-Disposition"] = f'attachment; filename="{file.file_name}"'
        response["Cache-Control"] = "private, no-store"
        return response

    def delete_artifacts_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_artifact_delete_permission(request):
            raise PermissionDenied
        ids = _artifact_ids(request.POST.get("ids") or request.GET.get("ids") or "")
        artifacts = list(artifact_deletion_list(ids=ids)) if ids else []
        changelist = reverse("admin:artifacts_artifact_changelist")
        error = None
        if request.method == "POST":
            reason = request.POST.get("reason", "").strip()
            try:
                check_text(reason, field="The reason", multiline=True)
            except UnsafeText as unsafe:
                error, reason = unsafe.message, ""
            if reason:
                deleted = 0
                for artifact in artifacts:
                    try:
                        artifact_delete(artifact=artifact, user=request.user, reason=reason)
                        deleted += 1
                    except ArtifactAlreadyDeleted:
                        continue
                self.message_user(request, f"Deleted {deleted} artifact(s).", messages.SUCCESS)
                return HttpResponseRedirect(changelist)
            error = error or "Say why: the reason is kept in the tombstone."
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Delete artifacts",
            "artifacts": artifacts,
            "ids": ",".join(str(artifact.pk) for artifact in artifacts),
            "error": error,
            "changelist_url": changelist,
        }
        template = "admin/artifacts/artifact/delete_artifacts.html"
        return TemplateResponse(request, template, context, status=400 if error else 200)


@admin.register(ArtifactTombstone)
class ArtifactTombstoneAdmin(RequestIdSearchMixin, LogTableAdmin):
    list_display = ["deleted_at", "request_id", "actor", "reason"]
    list_filter = ["actor"]
    date_hierarchy = "deleted_at"
    search_fields = ["reason"]
    readonly_fields = ["artifact", "request_id", "keys", "deleted_at", "user", "actor", "reason"]
    list_per_page = 100
    list_select_related = False
