"""The server end of the sync protocol: push (events applied exactly once), pull, leases, re-key."""
