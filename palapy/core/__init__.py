"""What every service of palapy works with: the `App` protocol and the settings store."""

from palapy.core.app import App

__all__ = ["App"]
