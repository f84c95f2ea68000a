"""System APIs: health, settings (in `_params`), and later logs, backups, crons, batch."""
