"""The schema copy in the repository loads whole without any network access, and rejects a
document that breaks it."""

import socket
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from apps.reviews.exports import ewp


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the schema tried to reach the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    ewp.load_schema.cache_clear()
    yield
    ewp.load_schema.cache_clear()


@pytest.mark.filterwarnings("error")  # a failed or blocked import only warns: make it fail
def test_schema_loads_offline_with_every_import(no_network):
    schema = ewp.load_schema()

    assert schema.target_namespace == ewp.NAMESPACE
    namespaces = schema.maps.namespaces
    assert ewp.TERM_NAMESPACE in namespaces
    urls = [imported.url for schemas in namespaces.values() for imported in schemas]
    assert all(url.startswith("file://") for url in urls)


def test_a_document_missing_a_required_part_is_rejected():
    document = ET.fromstring(
        f'<omobility-las-get-response xmlns="{ewp.NAMESPACE}"><la>'
        "<omobility-id>1-1</omobility-id></la></omobility-las-get-response>"
    )

    with pytest.raises(xmlschema.XMLSchemaValidationError):
        ewp.load_schema().validate(document)
