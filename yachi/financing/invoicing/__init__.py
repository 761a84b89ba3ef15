"""Electronic invoices (全电发票 / 数电票) of payments through an invoicing provider, the
buyer a patient enters once, red-letter invoices on refund (ADR 0067)."""
