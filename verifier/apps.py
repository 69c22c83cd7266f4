from django.apps import AppConfig


class VerifierConfig(AppConfig):
    name = "verifier"
    verbose_name = "Verifications"

    def ready(self) -> None:
        from verifier import tasks
        from verifier.ocr_backends import ocr_backends_configure

        ocr_backends_configure()
        tasks.register()
