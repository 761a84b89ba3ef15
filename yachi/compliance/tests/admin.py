from django.contrib import admin

from yachi.compliance.tests.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "mobile_number")
    fields = ("name", "phone", "id_number", "notes")

    @admin.display(description="phone")
    def mobile_number(self, person):
        return person.phone
