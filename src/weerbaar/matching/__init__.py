"""Entity resolution for Dutch registers: normalisation, blocking keys, explained scores.

Pure Python (no Django): ``normalize`` folds names, legal forms, addresses, plates and dates;
``keys`` gives the few blocking keys a record is indexed under; ``compare`` scores one pair
and says why in Dutch; ``linker`` links and deduplicates whole tables. See docs/matching.md.
"""
