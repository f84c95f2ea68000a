"""Scenario tables run against palapy in process, a live palapy server and real PocketBase."""
