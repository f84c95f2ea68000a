"""The collection model: `Collection`, one module per field type, the in-memory registry, index
parsing, the system collections and the tables kept in step with them."""
