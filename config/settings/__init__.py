"""Settings for Cairn.

``base`` reads the whole environment, in one place; ``local``, ``test`` and
``production`` only change defaults that differ between those contexts.
"""
