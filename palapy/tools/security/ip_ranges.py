"""IP allow-lists: single addresses and CIDR ranges, as PocketBase's `superuserIPs` setting holds them."""

from __future__ import annotations

import ipaddress

__all__ = ["ip_in_list"]


def ip_in_list(ip: str, allowed: list[str]) -> bool:
    """Is `ip` one of `allowed` (single IPs or CIDR ranges)? Unparseable entries never match."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for entry in allowed:
        try:
            if "/" in entry:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            elif address == ipaddress.ip_address(entry):
                return True
        except ValueError:
            continue
    return False
