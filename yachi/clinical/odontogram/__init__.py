"""The tooth chart's pure core: FDI teeth, the current chart derived from its
append-only entries, DMFT / dmft, which teeth a mouth of a given age shows, and the
per-tooth caries risk. No Django: dataclasses in, dataclasses out."""
