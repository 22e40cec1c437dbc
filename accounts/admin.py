from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.contrib.auth.forms import UserCreationForm as BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Neighbourhood, User


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "display_name", "neighbourhood", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "groups", "age_bracket", "gender", "neighbourhood"]
    list_select_related = ["neighbourhood"]
    search_fields = ["email", "display_name"]
    date_hierarchy = "date_joined"
    readonly_fields = ["date_joined", "last_login", "terms_accepted_at"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "age_bracket", "gender", "neighbourhood",
                                   "newsletter_opt_in", "terms_accepted_at")}),
        (_("Roles"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ["groups"]


class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]


admin.site.register(User, UserAdmin)
admin.site.register(Neighbourhood, NeighbourhoodAdmin)
