"""Record changes to realtime subscribers, as PocketBase sends them.

`clients` binds an auth and an IP to a subscriber and keeps that auth current; `record_events`
decides who may see a record change and what each of them gets; `broadcast` wires both to the
record and collection hooks and delivers the messages in commit order.
"""

from palapy.realtime.broadcast import Broadcaster, bind_realtime
from palapy.realtime.clients import AUTH_KEY, IP_KEY, bind_auth, client_auth, is_same_auth

__all__ = ["Broadcaster", "bind_realtime", "AUTH_KEY", "IP_KEY", "bind_auth", "client_auth", "is_same_auth"]
