"""What queueing follows of other contexts (nothing yet)."""
