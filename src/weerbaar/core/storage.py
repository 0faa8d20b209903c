"""Static files: hashed names and compression (whitenoise), without following source maps.

Vendor bundles from npm reference ``.map`` files that we do not ship; Django's manifest
storage would refuse them, so only ``url()`` and ``@import`` in CSS are rewritten.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = (
        (
            "*.css",
            (
                r"""(?P<matched>url\(['"]{0,1}\s*(?P<url>.*?)["']{0,1}\))""",
                (
                    r"""(?P<matched>@import\s*["']\s*(?P<url>.*?)["'])""",
                    """@import url("%(url)s")""",
                ),
            ),
        ),
    )
