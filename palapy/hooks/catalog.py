"""Every hook palapy fires, with what it means. Names follow PocketBase's, in Python spelling."""

from __future__ import annotations

from palapy.hooks.events import (
    BatchRequestEvent,
    CollectionEvent,
    RealtimeConnectRequestEvent,
    RealtimeMessageEvent,
    RealtimeSubscribeRequestEvent,
    RecordAuthRequestEvent,
    RecordAuthWithPasswordRequestEvent,
    RecordEnrichEvent,
    RecordEvent,
    RecordRequestEvent,
    ServeEvent,
)
from palapy.hooks.hook import Hook, TaggedHook

__all__ = ["HookCatalog", "HOOK_DOCS"]

HOOK_DOCS: dict[str, str] = {
    "on_serve": "Before the HTTP server starts listening; handlers may add routes.",
    "on_terminate": "When the server shuts down.",
    "on_record_validate": "Validates a record before create/update (writer thread, in the transaction).",
    "on_record_create": "Wraps creating a record; `e.next()` validates and inserts it.",
    "on_record_create_execute": "Wraps the INSERT itself, after validation.",
    "on_record_after_create_success": "After the create transaction has committed.",
    "on_record_after_create_error": "After a create failed (validation or database error).",
    "on_record_update": "Wraps updating a record; `e.next()` validates and updates it.",
    "on_record_update_execute": "Wraps the UPDATE itself, after validation.",
    "on_record_after_update_success": "After the update transaction has committed.",
    "on_record_after_update_error": "After an update failed.",
    "on_record_delete": "Wraps deleting a record (cascades run inside).",
    "on_record_delete_execute": "Wraps the DELETE itself.",
    "on_record_after_delete_success": "After the delete transaction has committed.",
    "on_record_after_delete_error": "After a delete failed.",
    "on_record_enrich": "On every record sent to a client (list, view, expand, auth responses).",
    "on_records_list_request": "Wraps GET /api/collections/{c}/records after rules were checked.",
    "on_record_view_request": "Wraps GET /api/collections/{c}/records/{id} after rules were checked.",
    "on_record_create_request": "Wraps POST /api/collections/{c}/records after rules were checked.",
    "on_record_update_request": "Wraps PATCH /api/collections/{c}/records/{id} after rules were checked.",
    "on_record_delete_request": "Wraps DELETE /api/collections/{c}/records/{id} after rules were checked.",
    "on_record_auth_request": "Wraps every successful auth response (password, refresh, ...).",
    "on_record_auth_with_password_request": "Wraps POST /api/collections/{c}/auth-with-password.",
    "on_record_auth_refresh_request": "Wraps POST /api/collections/{c}/auth-refresh.",
    "on_batch_request": "Wraps POST /api/batch once it is validated: its requests run in one transaction.",
    "on_realtime_connect_request": "Wraps GET /api/realtime: `e.next()` registers the client and streams to it until it goes.",
    "on_realtime_subscribe_request": "Wraps POST /api/realtime once validated: `e.next()` binds the auth and replaces the subscriptions.",
    "on_realtime_message_send": "Before each message is written to a realtime stream (PB_CONNECT included).",
    "on_collection_validate": "Validates a collection before create/update.",
    "on_collection_create": "Wraps creating a collection (table created inside).",
    "on_collection_update": "Wraps updating a collection (schema synced inside).",
    "on_collection_delete": "Wraps deleting a collection (table dropped inside).",
    "on_collection_after_create_success": "After a collection create has committed.",
    "on_collection_after_update_success": "After a collection update has committed.",
    "on_collection_after_delete_success": "After a collection delete has committed.",
}


class HookCatalog:
    """One Hook per event name. Record and collection hooks can be tagged by collection."""

    def __init__(self) -> None:
        self.on_serve: Hook[ServeEvent] = Hook("on_serve")
        self.on_terminate: Hook[ServeEvent] = Hook("on_terminate")

        self.on_record_validate: TaggedHook[RecordEvent] = TaggedHook("on_record_validate")
        self.on_record_create: TaggedHook[RecordEvent] = TaggedHook("on_record_create")
        self.on_record_create_execute: TaggedHook[RecordEvent] = TaggedHook("on_record_create_execute")
        self.on_record_after_create_success: TaggedHook[RecordEvent] = TaggedHook(
            "on_record_after_create_success"
        )
        self.on_record_after_create_error: TaggedHook[RecordEvent] = TaggedHook(
            "on_record_after_create_error"
        )
        self.on_record_update: TaggedHook[RecordEvent] = TaggedHook("on_record_update")
        self.on_record_update_execute: TaggedHook[RecordEvent] = TaggedHook("on_record_update_execute")
        self.on_record_after_update_success: TaggedHook[RecordEvent] = TaggedHook(
            "on_record_after_update_success"
        )
        self.on_record_after_update_error: TaggedHook[RecordEvent] = TaggedHook(
            "on_record_after_update_error"
        )
        self.on_record_delete: TaggedHook[RecordEvent] = TaggedHook("on_record_delete")
        self.on_record_delete_execute: TaggedHook[RecordEvent] = TaggedHook("on_record_delete_execute")
        self.on_record_after_delete_success: TaggedHook[RecordEvent] = TaggedHook(
            "on_record_after_delete_success"
        )
        self.on_record_after_delete_error: TaggedHook[RecordEvent] = TaggedHook(
            "on_record_after_delete_error"
        )
        self.on_record_enrich: TaggedHook[RecordEnrichEvent] = TaggedHook("on_record_enrich")

        self.on_records_list_request: TaggedHook[RecordRequestEvent] = TaggedHook("on_records_list_request")
        self.on_record_view_request: TaggedHook[RecordRequestEvent] = TaggedHook("on_record_view_request")
        self.on_record_create_request: TaggedHook[RecordRequestEvent] = TaggedHook("on_record_create_request")
        self.on_record_update_request: TaggedHook[RecordRequestEvent] = TaggedHook("on_record_update_request")
        self.on_record_delete_request: TaggedHook[RecordRequestEvent] = TaggedHook("on_record_delete_request")
        self.on_record_auth_request: TaggedHook[RecordAuthRequestEvent] = TaggedHook("on_record_auth_request")
        self.on_record_auth_with_password_request: TaggedHook[RecordAuthWithPasswordRequestEvent] = (
            TaggedHook("on_record_auth_with_password_request")
        )
        self.on_record_auth_refresh_request: TaggedHook[RecordRequestEvent] = TaggedHook(
            "on_record_auth_refresh_request"
        )
        self.on_batch_request: Hook[BatchRequestEvent] = Hook("on_batch_request")
        self.on_realtime_connect_request: Hook[RealtimeConnectRequestEvent] = Hook(
            "on_realtime_connect_request"
        )
        self.on_realtime_subscribe_request: Hook[RealtimeSubscribeRequestEvent] = Hook(
            "on_realtime_subscribe_request"
        )
        self.on_realtime_message_send: Hook[RealtimeMessageEvent] = Hook("on_realtime_message_send")

        self.on_collection_validate: TaggedHook[CollectionEvent] = TaggedHook("on_collection_validate")
        self.on_collection_create: TaggedHook[CollectionEvent] = TaggedHook("on_collection_create")
        self.on_collection_update: TaggedHook[CollectionEvent] = TaggedHook("on_collection_update")
        self.on_collection_delete: TaggedHook[CollectionEvent] = TaggedHook("on_collection_delete")
        self.on_collection_after_create_success: TaggedHook[CollectionEvent] = TaggedHook(
            "on_collection_after_create_success"
        )
        self.on_collection_after_update_success: TaggedHook[CollectionEvent] = TaggedHook(
            "on_collection_after_update_success"
        )
        self.on_collection_after_delete_success: TaggedHook[CollectionEvent] = TaggedHook(
            "on_collection_after_delete_success"
        )

    def names(self) -> list[str]:
        """Every hook attribute name (a test checks each is documented in HOOK_DOCS)."""
        return [k for k, v in vars(self).items() if isinstance(v, Hook)]
