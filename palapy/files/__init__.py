"""Files: storage (local, later S3) behind one protocol, upload naming."""
