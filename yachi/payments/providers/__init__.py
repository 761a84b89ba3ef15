"""Online payment providers behind one interface (``base.PaymentProvider``)."""
