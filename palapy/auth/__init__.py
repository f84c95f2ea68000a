"""Auth: passwords, tokens, auth flows and the superuser CLI."""
