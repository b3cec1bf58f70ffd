"""Which throttling buckets a client address counts in (see the docstring of loyalty.core.throttle)."""

from __future__ import annotations

import pytest

from loyalty.core.throttle import ClientBuckets, NetworkRule, Rule, client_buckets


@pytest.mark.parametrize(
    ("ip", "buckets"),
    [
        pytest.param("203.0.113.9", ClientBuckets("203.0.113.9"), id="ipv4-is-its-own-bucket"),
        pytest.param("127.0.0.1", ClientBuckets("127.0.0.1"), id="ipv4-loopback"),
        pytest.param("::ffff:203.0.113.9", ClientBuckets("203.0.113.9"), id="ipv4-mapped-is-the-ipv4"),
        pytest.param("::FFFF:cb00:7109", ClientBuckets("203.0.113.9"), id="ipv4-mapped-in-hex-uppercase"),
        pytest.param(
            "2001:db8:1:2:aaaa::1",
            ClientBuckets("2001:db8:1:2::/64", "2001:db8:1::/48"),
            id="ipv6-is-its-64-and-its-48",
        ),
        pytest.param(
            "2001:0DB8:0001:0002:0000:0000:0000:0001",
            ClientBuckets("2001:db8:1:2::/64", "2001:db8:1::/48"),
            id="ipv6-spelt-out-uppercase-is-the-same-bucket",
        ),
        pytest.param(
            "2001:db8:1:ffff:ffff:ffff:ffff:ffff",
            ClientBuckets("2001:db8:1:ffff::/64", "2001:db8:1::/48"),
            id="ipv6-last-64-of-a-48",
        ),
        pytest.param("2001:db8:2::1", ClientBuckets("2001:db8:2::/64", "2001:db8:2::/48"), id="ipv6-next-48"),
        pytest.param("::1", ClientBuckets("::/64", "::/48"), id="ipv6-loopback"),
        pytest.param("fe80::1%eth0", ClientBuckets("fe80::/64", "fe80::/48"), id="ipv6-scope-id-dropped"),
        pytest.param("::203.0.113.9", ClientBuckets("::/64", "::/48"), id="ipv4-compatible-is-plain-ipv6"),
        pytest.param(None, ClientBuckets("unknown"), id="no-address"),
        pytest.param("", ClientBuckets("unknown"), id="empty-address"),
        pytest.param("not-an-ip", ClientBuckets("not-an-ip"), id="unparsable-is-its-own-bucket"),
        pytest.param("203.0.113.9:443", ClientBuckets("203.0.113.9:443"), id="address-with-port-unparsed"),
    ],
)
def test_client_buckets(ip: str | None, buckets: ClientBuckets) -> None:
    assert client_buckets(ip) == buckets


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", id="same-64"),
        pytest.param("203.0.113.9", "::ffff:203.0.113.9", id="ipv4-and-its-mapped-form"),
    ],
)
def test_addresses_of_one_client_share_a_bucket(first: str, second: str) -> None:
    assert client_buckets(first) == client_buckets(second)


@pytest.mark.parametrize(
    ("first", "second", "same_site"),
    [
        pytest.param("2001:db8:1:2::1", "2001:db8:1:3::1", True, id="neighbour-64s-one-site"),
        pytest.param("2001:db8:1:2::1", "2001:db8:2:2::1", False, id="neighbour-48s"),
    ],
)
def test_other_64s_are_other_clients_and_share_a_site_only_within_a_48(
    first: str, second: str, same_site: bool
) -> None:
    a, b = client_buckets(first), client_buckets(second)
    assert a.client != b.client
    assert (a.site == b.site) is same_site


RULE = NetworkRule.of("login-ip", 5, 60, site_multiplier=16)


def test_a_network_rule_gives_the_site_a_multiple_of_the_client_budget() -> None:
    rule = NetworkRule.of("login-ip", 5, 60, site_multiplier=16)
    assert rule == NetworkRule(Rule("login-ip", 5, 60), Rule("login-ip-site", 80, 60))


@pytest.mark.parametrize(
    ("ip", "checks"),
    [
        pytest.param("203.0.113.9", [(RULE.client, "203.0.113.9")], id="ipv4-client-only"),
        pytest.param("::ffff:203.0.113.9", [(RULE.client, "203.0.113.9")], id="ipv4-mapped-client-only"),
        pytest.param(
            "2001:db8:1:2::1",
            [(RULE.client, "2001:db8:1:2::/64"), (RULE.site, "2001:db8:1::/48")],
            id="ipv6-client-and-site",
        ),
        pytest.param(None, [(RULE.client, "unknown")], id="no-address"),
    ],
)
def test_network_rule_checks(ip: str | None, checks: list[tuple[Rule, str]]) -> None:
    assert RULE.checks(ip) == checks
