"""Auth on top of records: record tokens, identities, password logins, MFA, refresh, auth methods."""
