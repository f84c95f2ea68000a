"""Realtime subscribers, independent of records: clients, their topics and their outgoing
messages (PocketBase's `tools/subscriptions`). `palapy.realtime` decides what to send them."""

from palapy.subscriptions.broker import Broker
from palapy.subscriptions.client import Client, Subscription
from palapy.subscriptions.message import Message
from palapy.subscriptions.options import SubscriptionOptions, parse_options

__all__ = ["Broker", "Client", "Message", "Subscription", "SubscriptionOptions", "parse_options"]
