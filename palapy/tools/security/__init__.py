"""Security helpers: password hashing, HS256 JWTs and IP allow-lists."""
