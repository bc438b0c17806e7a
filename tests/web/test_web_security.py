"""Cross-site request forgery: only gait's own pages may post to it."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("headers", [
    {"origin": "null"},  # a sandboxed frame or a local file on another site
    {"origin": "null", "sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site", "origin": "http://other.testserver"},
    {"origin": "http://evil.example"},
])
def test_posts_from_other_sites_change_nothing(make_client, headers):
    client = make_client()
    assert client.post("/athletes", data={"name": "Victim"}).status_code == 303
    forged = client.post("/athlete/delete", params={"name": "Victim"},
                         data={"confirm_name": "Victim"}, headers=headers)
    assert forged.status_code == 403
    assert "another site" in forged.text
    assert client.get("/athlete", params={"name": "Victim"}).status_code == 200
    assert client.post("/athletes", data={"name": "Intruder"}, headers=headers).status_code == 403


def test_posts_from_its_own_pages_and_from_programs_are_served(make_client):
    client = make_client()
    own = {"origin": "http://testserver", "sec-fetch-site": "same-origin"}
    assert client.post("/athletes", data={"name": "A"}, headers=own).status_code == 303
    assert client.post("/athletes", data={"name": "B"}).status_code == 303  # curl, scripts
    # pages ask browsers to name their own origin on form posts (not "null")
    assert client.get("/").headers["referrer-policy"] == "same-origin"
