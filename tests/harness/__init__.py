"""The black-box API test harness: servers, a seed built through the HTTP API, scenario tables.

- `servers`: start/stop palapy (source or frozen binary) and real PocketBase by pid, in temp dirs.
- `targets`: one uniform synchronous client per target (`inprocess`, `live`, `pocketbase`).
- `seed`: the fixture data, created over HTTP so every target gets identical data.
- `scenario`: the `Scenario` table row and its runner.
"""
