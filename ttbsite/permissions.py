"""The permission names the code checks, named once (Django's `app_label.codename`).

Staff get them through groups in the admin; the API, the web page and the
admin ask for them by these names.
"""

VIEW_ARTIFACT = "artifacts.view_artifact"  # read saved verifications and their images
DELETE_ARTIFACT = "artifacts.delete_artifact"  # delete one, leaving a tombstone
