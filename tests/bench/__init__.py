"""`make bench`: palapy against the reference PocketBase binary on the same data and load."""
