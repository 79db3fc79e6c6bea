"""Schemathesis over the whole v1 schema: no operation answers with a server error, whatever
it is sent, and every operation refuses a request without credentials."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
APP = get_wsgi_application()


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Called straight through WSGI, Django would close the database connection at the end of each
    request (the test Client switches that off; so does this), ending the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def key(personas):
    from api.services import api_client_create
    from tests.targets_helpers import county

    _, key = api_client_create(name="fuzz", region=county("汉滨区"), access="read_write",
                               expires_at=timezone.now() + dt.timedelta(days=1), created_by=personas["city_admin"])
    return key


@pytest.mark.django_db
@SCHEMA.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, key):
    response = case.call(app=APP, base_url="http://testserver", headers={"Authorization": f"Api-Key {key}"})
    case.validate_response(response, checks=[not_a_server_error])


@pytest.mark.django_db
@SCHEMA.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_needs_credentials(case):
    response = case.call(app=APP, base_url="http://testserver")
    if response.status_code == 404:  # a generated path that matches no route never reaches a view
        from urllib.parse import urlparse

        from django.urls import Resolver404, resolve

        with pytest.raises(Resolver404):
            resolve(urlparse(response.request.url).path)
        return
    assert response.status_code in (401, 403), (case.method, case.path, response.status_code)
