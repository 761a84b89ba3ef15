"""The caries detector: a pure core (numpy, pydicom, ONNX Runtime; no Django).

``preprocess`` turns a DICOM file into a windowed picture at the model's working size and
cuts it into patches; ``runtime`` runs an ONNX patch classifier over them; ``postprocess``
turns the probability of each patch into regions with a box, a probability and a tooth;
``detect`` strings the three together. ``synthetic`` draws the labelled pictures the
project's own model is trained and measured on, ``train`` and ``evaluate`` do that, and
``metrics`` is the per-lesion scoring both use (ADR 0061).
"""
