"""A person with an encrypted phone, ID number and notes, and notes about them.

Test-only: the app has no migrations, so the test database creates these tables
directly, and no production database ever has them.
"""

from django.db import models

from yachi.compliance.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedDecimalField,
    EncryptedJSONField,
    EncryptedQuerySet,
    EncryptedTextField,
)


class Person(models.Model):
    name = models.CharField(max_length=64, blank=True)
    phone = EncryptedCharField(max_length=11, blank=True)
    phone_index = BlindIndexField(
        source="phone", purpose="phone", normalize="yachi.accounts.phones.normalize_phone"
    )
    id_number = EncryptedCharField(max_length=18, null=True, blank=True)
    id_number_index = BlindIndexField(
        source="id_number",
        purpose="id_number",
        normalize="yachi.patients.identity.normalize_id_number",
        null=True,
    )
    notes = EncryptedTextField(null=True, blank=True)
    born = EncryptedDateField(null=True, blank=True)
    latitude = EncryptedDecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    extra = EncryptedJSONField(null=True, blank=True)

    objects = EncryptedQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class Note(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True)
    body = EncryptedTextField(blank=True)

    objects = EncryptedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"note {self.pk}"
