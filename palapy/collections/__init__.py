"""Collections: the model, one module per field type, schema sync, rules and the collections API."""
