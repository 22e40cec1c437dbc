from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.contrib.auth.forms import UserCreationForm as BaseUserCreationForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
    list_display = ["email", "display_name", "neighbourhood", "identity_verified", "is_staff", "is_active",
                    "date_joined"]
    list_filter = ["is_staff", "is_active", ("identity_verified_at", admin.EmptyFieldListFilter), "groups",
                   "age_bracket", "gender", "neighbourhood"]
    list_select_related = ["neighbourhood"]
    search_fields = ["email", "display_name"]
    date_hierarchy = "date_joined"
    readonly_fields = ["date_joined", "last_login", "terms_accepted_at", "identity_verified_at",
                       "identity_verified_by"]
    actions = ["verify_identity_at_the_counter", "withdraw_identity_verification"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "age_bracket", "gender", "neighbourhood",
                                   "newsletter_opt_in", "terms_accepted_at")}),
        (_("Identity"), {"fields": ("identity_verified_at", "identity_verified_by")}),
        (_("Roles"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ["groups"]

    @admin.display(description=_("identity verified"), boolean=True)
    def identity_verified(self, obj):
        return obj.identity_verified_at is not None

    def get_actions(self, request):
        """Identity checks are the commune's agents' (not on the consultants' platform)."""
        from civic.middleware import is_commune_request
        from ideas.rules import can_triage

        actions = super().get_actions(request)
        if not (is_commune_request(request) and can_triage(request.user)):
            for name in ("verify_identity_at_the_counter", "withdraw_identity_verification"):
                actions.pop(name, None)
        return actions

    @admin.action(description=_("Identity checked at the counter (identity card seen)"))
    def verify_identity_at_the_counter(self, request, queryset):
        from accounts.services import identity_verify

        by = gettext("At the counter: %(agent)s") % {"agent": request.user.get_short_name() or request.user.email}
        done = sum(identity_verify(user=user, by=by) for user in queryset.filter(is_active=True))
        self.message_user(request, ngettext("%(n)d identity recorded as verified.",
                                            "%(n)d identities recorded as verified.", done) % {"n": done},
                          messages.SUCCESS)

    @admin.action(description=_("Withdraw the identity verification"))
    def withdraw_identity_verification(self, request, queryset):
        from accounts.services import identity_unverify

        users = list(queryset.filter(identity_verified_at__isnull=False))
        for user in users:
            identity_unverify(user=user)
        self.message_user(request, ngettext("%(n)d verification withdrawn.", "%(n)d verifications withdrawn.",
                                            len(users)) % {"n": len(users)}, messages.SUCCESS)


class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]


admin.site.register(User, UserAdmin)
admin.site.register(Neighbourhood, NeighbourhoodAdmin)
