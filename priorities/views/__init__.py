"""Pages of the priorities app, one module per subject; ``urls.py`` names each view."""
