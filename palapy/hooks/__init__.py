"""The hook-chain engine and the catalog of events."""

from palapy.hooks.hook import Event, Hook, TaggedHook

__all__ = ["Event", "Hook", "TaggedHook"]
