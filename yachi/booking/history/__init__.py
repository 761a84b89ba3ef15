"""The family's visit history: past visits with what the doctor shared, bills and receipts."""
