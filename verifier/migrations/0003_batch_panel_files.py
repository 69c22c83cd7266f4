"""Batch panels move from database rows to files in STORAGES["batch_panels"].

Panels still waiting (items queued or running) are written out as files and
their rows keep the key; the bytes then leave the database. Reversing reads
the files back into rows.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import migrations, models


def panels_to_files(apps, schema_editor):
    BatchPanel = apps.get_model("verifier", "BatchPanel")
    storage = storages["batch_panels"]
    for panel in BatchPanel.objects.select_related("item").iterator(chunk_size=100):
        key = f"{panel.item.batch_id}/{panel.item_id}/{panel.position}"
        panel.key = storage.save(key, ContentFile(bytes(panel.data)))
        panel.data = b""
        panel.save(update_fields=["key", "data"])


def files_to_panels(apps, schema_editor):
    BatchPanel = apps.get_model("verifier", "BatchPanel")
    storage = storages["batch_panels"]
    for panel in BatchPanel.objects.iterator(chunk_size=100):
        with storage.open(panel.key, "rb") as stored:
            panel.data = stored.read()
        panel.save(update_fields=["data"])
        storage.delete(panel.key)


class Migration(migrations.Migration):
    dependencies = [("verifier", "0002_verification_backend_versions")]

    operations = [
        migrations.AddField(
            model_name="batchpanel",
            name="key",
            field=models.CharField(default="", max_length=255),
            preserve_default=False,
        ),
        migrations.RunPython(panels_to_files, files_to_panels),
        # A default, so that reversing can add the column back to existing rows.
        migrations.AlterField(
            model_name="batchpanel", name="data", field=models.BinaryField(default=b"")
        ),
        migrations.RemoveField(model_name="batchpanel", name="data"),
    ]
