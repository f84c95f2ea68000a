"""File storage: the protocol, the local driver, upload naming and content sniffing."""
