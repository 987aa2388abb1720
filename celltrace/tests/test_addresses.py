"""The rate limit counts the visitor's address, which only the clinic's own proxy may report."""

import pytest
from django.test import RequestFactory

from celltrace.addresses import client_address
from celltrace.config import env_networks


@pytest.fixture(autouse=True)
def proxies(settings, monkeypatch):
    monkeypatch.setenv("PROXIES", "10.0.0.5, 172.16.0.0/12, ::1")
    settings.TRUSTED_PROXIES = env_networks("PROXIES")


def address(peer, forwarded_for=None):
    extra = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=peer, **extra))


def test_a_direct_visitor_is_its_peer_address():
    assert address("203.0.113.7") == "203.0.113.7"


def test_a_direct_visitor_cannot_claim_another_address():
    assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_behind_the_proxy_the_visitor_is_the_address_the_proxy_saw():
    assert address("10.0.0.5", "198.51.100.1") == "198.51.100.1"


def test_what_the_visitor_wrote_before_the_proxy_is_ignored():
    assert address("10.0.0.5", "1.2.3.4, 198.51.100.1") == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_visitor():
    assert address("10.0.0.5", "1.2.3.4, 198.51.100.1, 172.20.0.3") == "198.51.100.1"


def test_a_garbled_entry_stops_at_the_last_trusted_address():
    assert address("10.0.0.5", "1.2.3.4, not-an-address") == "10.0.0.5"
    assert address("10.0.0.5", "") == "10.0.0.5"


def test_ipv6_and_ipv4_mapped_peers_are_understood():
    assert address("::1", "2001:db8::7") == "2001:db8::7"
    assert address("::ffff:10.0.0.5", "198.51.100.1") == "198.51.100.1"
    assert address("::ffff:203.0.113.7") == "203.0.113.7"


def test_no_peer_address_is_none():
    assert address("") is None


def test_without_trusted_proxies_the_header_is_never_believed(settings):
    settings.TRUSTED_PROXIES = []
    assert address("10.0.0.5", "198.51.100.1") == "10.0.0.5"
