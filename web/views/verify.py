"""Check one label: the form; the answer is the record it writes (see records.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ttbsite.client_address import client_ip
from verifier.engine.errors import EngineError
from verifier.models import Channel
from verifier.services.engine_slots import EngineBusy
from verifier.services.verifications import verification_create, verification_options
from web.access import staff_required
from web.forms import APPLICATION_FORM_FIELDS, VerifyForm
from web.page_context import page_context
from web.redirects import see_other

# Engine errors in words an agent can act on; `{name}` is the picture's file name.
ENGINE_ERROR_WORDS = {
    "unsupported_media_type": (
        "{name} is not a picture this service can read. Use a JPEG, PNG, TIFF or WebP file "
        "(a PDF or a Word document will not work)."
    ),
    "corrupt_image": (
        "{name} is damaged or was not saved completely, so it cannot be opened. "
        "Save or scan the picture again and choose the new file."
    ),
    "image_too_large": (
        "{name} has too many pixels to read. Save a smaller copy (for example 3000 pixels wide)."
    ),
    "backend_timeout": (
        "Reading the label took too long. Please try again; a sharper, smaller picture is faster."
    ),
    "backend_unavailable": (
        "The label reader is not available at the moment. Please try again in a few minutes."
    ),
    "server_busy": (
        "The service is checking as many labels as it can right now. "
        "Please press “Check this label” again in a few seconds."
    ),
}
IMAGE_ERRORS = frozenset({"unsupported_media_type", "corrupt_image", "image_too_large"})


def engine_error_words(error: EngineError, names: list[str]) -> str:
    panel = error.details.get("panel") if error.details else None
    if isinstance(panel, int) and 0 <= panel < len(names):
        name = f"“{names[panel]}”"
    elif len(names) == 1:
        name = f"“{names[0]}”"
    else:
        name = "One of the pictures"
    words = ENGINE_ERROR_WORDS.get(error.code)
    if words is None:
        return error.message
    return words.format(name=name)


def form_context(form: VerifyForm) -> dict[str, Any]:
    return page_context(
        "verify",
        form=form,
        application_fields=[form[name] for name in APPLICATION_FORM_FIELDS],
        keep_field=form["dont_keep"] if "dont_keep" in form.fields else None,
        max_panels=settings.MAX_PANELS,
        max_upload_mb=settings.MAX_UPLOAD_MB,
    )


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "web/verify.html", form_context(VerifyForm()))
    form = VerifyForm(request.POST, request.FILES)
    if form.is_valid():
        uploads = form.cleaned_data["images"]
        images = [upload.read() for upload in uploads]
        try:
            verification = verification_create(
                images=images,
                application=form.application,
                options=verification_options(),
                channel=Channel.WEB,
                user=request.user,
                client_ip=client_ip(request),
                save_artifact=form.keep_pictures,
            )
        except EngineError as error:
            field = "images" if error.code in IMAGE_ERRORS else None
            form.add_error(field, engine_error_words(error, [u.name for u in uploads]))
            if isinstance(error, EngineBusy):  # shed, as the API sheds: try again shortly
                response = render(request, "web/verify.html", form_context(form), status=503)
                response["Retry-After"] = str(error.details["retry_after_seconds"])
                return response
        else:
            # Post/Redirect/Get: a reload shows the record and writes nothing.
            return see_other(reverse("web:record", args=[verification.request_id]))
    return render(request, "web/verify.html", form_context(form), status=400)
