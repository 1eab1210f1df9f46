from django.conf import settings
from django.db import models


class AccessEvent(models.Model):
    """Who logged in, failed to, logged out, downloaded or exported, from where.

    Rows are only ever added: the access log is evidence for an auditor.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", "Login"
        LOGIN_FAILED = "login_failed", "Failed login"
        LOGOUT = "logout", "Logout"
        DOWNLOAD = "download", "Document download"
        EXPORT = "export", "Export"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Kept apart from `user` so the row still names someone after they are deleted
    # or when the login failed for a name that matches nobody.
    username = models.CharField(max_length=150, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.username or 'unknown'} at {self.at}"
