"""A financing partner's API: the application, its credit decision (a signed callback),
the disbursement to the clinic (a signed callback) and the repayment status (read)."""
