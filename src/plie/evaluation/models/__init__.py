"""The evaluation's models, one module per subject (reports.py…), all importable from here."""
