"""Synthetic, fictitious KvK and BAG extracts with ground truth (``weerbaar generate-registry``).

See ``docs/registry-generator.md`` for what is generated, the variations and their rates.
"""
