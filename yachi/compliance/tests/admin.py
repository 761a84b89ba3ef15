from django.contrib import admin

from yachi.compliance.tests.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "phone")
    fields = ("name", "phone", "id_number", "notes")
