"""An agent logs into their commune's admin in Chromium."""

import pytest

from accounts.roles import Role
from tests.conftest import PASSWORD, create_staff

pytestmark = pytest.mark.browser


def test_an_agent_logs_into_the_communes_admin(phone_page, live_url, live_commune):
    create_staff(live_commune, "agent@rossignol.example", Role.AGENT)
    page = phone_page
    page.goto(live_url + "/admin/")
    page.locator("#id_username").fill("agent@rossignol.example")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(live_url + "/admin/")
    assert "Rossignol · administration" in page.content()
    page.goto(live_url + "/admin/accounts/user/")
    assert page.get_by_role("link", name="agent@rossignol.example").is_visible()
    # The commune's own social login apps are there for the agent to set up.
    page.goto(live_url + "/admin/socialaccount/socialapp/add/")
    assert page.locator("#id_provider").is_visible()
