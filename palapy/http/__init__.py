"""The HTTP edge shared by every routes.py: request context, JSON responses, error mapping."""
