"""Financing: instalment plans for treatment plans through financing partners (ADR 0066),
and electronic invoices (全电发票 / 数电票) for payments through an invoicing provider
(ADR 0067). The receipt (收据) of a payment stays payments'."""
