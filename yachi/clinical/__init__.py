"""Clinical: the tooth chart (FDI teeth and surfaces, findings kept as an append-only
history, DMFT / dmft, the caries-risk heat map) and treatment plans — phases of
procedures with the clinic's services and prices, accepted by the patient, done at
appointments and billed through payments (ADR 0059)."""
