"""Every change to a person's account goes through here (views, admin, tasks, CLI)."""

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from accounts.models import Neighbourhood, User
from accounts.roles import Role
from civic.tasks import enqueue_on_commit


def _set_profile(user: User, *, display_name: str, age_bracket: str, gender: str,
                 neighbourhood: Neighbourhood | None, newsletter_opt_in: bool,
                 birth_year: int | None) -> list[str]:
    """Set the profile fields; returns their names for ``save(update_fields=...)``."""
    user.display_name = display_name
    user.birth_year = birth_year
    user.age_bracket = age_bracket
    user.gender = gender
    user.neighbourhood = neighbourhood
    user.newsletter_opt_in = newsletter_opt_in
    return ["display_name", "age_bracket", "gender", "neighbourhood", "newsletter_opt_in", "birth_year"]


@transaction.atomic
def user_complete_signup(
    *,
    user: User,
    display_name: str = "",
    age_bracket: str = "",
    gender: str = "",
    neighbourhood: Neighbourhood | None = None,
    newsletter_opt_in: bool = False,
    birth_year: int | None = None,
    accepted_terms: bool,
) -> User:
    if not accepted_terms:
        raise ValueError("The terms of use must be accepted to sign up.")
    fields = _set_profile(user, display_name=display_name, age_bracket=age_bracket, gender=gender,
                          neighbourhood=neighbourhood, newsletter_opt_in=newsletter_opt_in,
                          birth_year=birth_year)
    user.save(update_fields=fields)
    if connection.schema_name != get_public_schema_name():
        from moderation.services import terms_accept

        terms_accept(user=user)
    else:
        user.terms_accepted_at = timezone.now()
        user.save(update_fields=["terms_accepted_at"])
    return user


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    display_name: str,
    age_bracket: str,
    gender: str,
    neighbourhood: Neighbourhood | None,
    newsletter_opt_in: bool,
    birth_year: int | None = None,
) -> User:
    fields = _set_profile(user, display_name=display_name, age_bracket=age_bracket, gender=gender,
                          neighbourhood=neighbourhood, newsletter_opt_in=newsletter_opt_in,
                          birth_year=birth_year)
    user.save(update_fields=fields)
    return user


@transaction.atomic
def role_grant(*, user: User, role: Role) -> None:
    """Put ``user`` in ``role``; every role works in the admin, so it makes them staff."""
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=role.value))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@transaction.atomic
def staff_member_create(
    *, email: str, password: str | None = None, roles: tuple[Role, ...] = (Role.AGENT,), base_url: str
) -> User:
    """Create a member of the commune's staff in the current schema, with a verified
    address. Without a password they receive an invitation to choose one."""
    from allauth.account.models import EmailAddress

    from accounts.tasks import send_staff_invitation

    user = User.objects.create_user(email=email, password=password, is_staff=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for role in roles:
        role_grant(user=user, role=role)
    if not password:
        enqueue_on_commit(send_staff_invitation, user_id=user.pk, base_url=base_url)
    return user


@transaction.atomic
def citizen_create(*, email: str, password: str, **profile) -> User:
    """A verified citizen account, for demo data and agents' imports."""
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email=email, password=password)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user_complete_signup(user=user, accepted_terms=True, **profile)
    return user


def notification_create(*, recipient: User, key: str, message: str, url: str = "") -> None:
    """Tell ``recipient`` on the site; the same ``key`` never makes a second one."""
    from accounts.models import Notification

    Notification.objects.get_or_create(recipient=recipient, key=key, defaults={"message": message[:300],
                                                                               "url": url[:300]})


def notifications_mark_read(*, recipient: User) -> None:
    from accounts.models import Notification

    Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def account_delete(*, user: User) -> None:
    """The person leaves: what is private to them is removed, what they contributed stays
    without their name. The account row stays as an anonymous, inactive tombstone so that
    every contribution keeps its place in the discussion (accounts/privacy.py)."""
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    from accounts.models import Notification
    from accounts.privacy import DELETED_DOMAIN, privacy_modules

    for _label, module in privacy_modules():
        module.forget(user)
    Notification.objects.filter(recipient=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"deleted-{user.pk}@{DELETED_DOMAIN}"
    user.display_name = user.age_bracket = user.gender = ""
    user.birth_year = user.neighbourhood = user.posting_blocked_until = user.terms_accepted_at = None
    user.identity_verified_at, user.identity_verified_by = None, ""
    user.newsletter_opt_in = user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()  # also ends every open session (the session hash changes)
    user.save()


@transaction.atomic
def notification_preferences_set(*, user: User, switches: dict[str, dict[str, bool]], newsletter: bool) -> None:
    """The person's choice of what they are told, topic by topic and channel by channel."""
    from accounts.models import Topic
    from accounts.notify import ALWAYS, CHANNELS

    preferences = {topic: {channel: bool(switches.get(topic, {}).get(channel)) for channel in CHANNELS}
                   for topic in Topic.values if topic not in ALWAYS}
    User.objects.filter(pk=user.pk).update(notification_preferences=preferences, newsletter_opt_in=newsletter)
    user.notification_preferences, user.newsletter_opt_in = preferences, newsletter


@transaction.atomic
def identity_verify(*, user: User, by: str) -> bool:
    """Record that ``user``'s identity was checked, ``by`` an identity service (its name) or
    an agent at the counter ("at the counter: <agent>"). False when it already was."""
    if user.identity_verified_at is not None:
        return False
    user.identity_verified_at = timezone.now()
    user.identity_verified_by = by[:120]
    user.save(update_fields=["identity_verified_at", "identity_verified_by"])
    return True


@transaction.atomic
def identity_unverify(*, user: User) -> None:
    """Withdraw a verification recorded by mistake; secured consultations ask again."""
    user.identity_verified_at = None
    user.identity_verified_by = ""
    user.save(update_fields=["identity_verified_at", "identity_verified_by"])
