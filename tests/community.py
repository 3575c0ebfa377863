"""Helpers for the account, contribution and moderation tests: real forms with CSRF on.

`submit` GETs a page, reads the chosen form (its action, hidden inputs including the CSRF
token, and the current values of its fields) and POSTs it back with the caller's changes,
the way a browser would.
"""
from __future__ import annotations

from bs4 import BeautifulSoup

from directory.extensions import db
from directory.operations.accounts import register

# Cheap argon2 parameters so the suite stays fast; production uses OWASP's (see community.py).
PASSWORD = "correct horse battery"


def form_fields(html: str, *, index: int = 0, action_contains: str | None = None) -> tuple[str | None, dict]:
    """The action and the current values of one POST form of the page."""
    soup = BeautifulSoup(html, "lxml")
    forms = [f for f in soup.find_all("form") if (f.get("method") or "get").lower() == "post"]
    if action_contains is not None:
        forms = [f for f in forms if action_contains in (f.get("action") or "")]
    else:  # the navigation's "Log out" button is a form on every page
        forms = [f for f in forms if "/accounts/logout" not in (f.get("action") or "")]
    form = forms[index]
    values = {}
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or element.get("type") in ("submit", "button"):
            continue
        if element.name == "textarea":
            values[name] = element.get_text()
        elif element.name == "select":
            chosen = element.find("option", selected=True) or element.find("option")
            values[name] = chosen.get("value", "") if chosen else ""
        elif element.get("type") == "checkbox":
            if element.has_attr("checked"):
                values[name] = element.get("value", "y")
        else:
            values[name] = element.get("value", "")
    return form.get("action"), values


def submit(client, url: str, data: dict | None = None, *, index: int = 0, action_contains: str | None = None,
           follow_redirects: bool = False, **headers):
    """Fill the form found at `url` with `data` (None removes a field) and post it."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    action, values = form_fields(page.get_data(as_text=True), index=index, action_contains=action_contains)
    return post_form(client, action or url, values, data, follow_redirects=follow_redirects, **headers)


def post_form(client, url: str, values: dict, data: dict | None = None, *, follow_redirects: bool = False, **headers):
    values = dict(values)
    for key, value in (data or {}).items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    return client.post(url, data=values, follow_redirects=follow_redirects, headers=headers or None)


def suggest_and_send(client, url: str, data: dict):
    """The contributor's journey: fill the form, look at the preview, send it."""
    preview = submit(client, url, {**data, "action": "preview"})
    assert preview.status_code == 200, preview.get_data(as_text=True)
    html = preview.get_data(as_text=True)
    assert "Check your suggestion" in html, html
    action, values = form_fields(html)
    return post_form(client, action or url, values, {"action": "send"}), html


def make_user(email: str, role: str = "contributor", **fields):
    user = register(email, PASSWORD, role=role)
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def log_in(client, email: str, password: str = PASSWORD):
    response = submit(client, "/accounts/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def client_for(app, email: str):
    """A separate browser, logged in as `email`."""
    other = app.test_client()
    log_in(other, email)
    return other
