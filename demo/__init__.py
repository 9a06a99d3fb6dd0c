"""Cairn's demo: two fictional partnerships, their schools, people, figures, priorities, peer
reviews and published reviews, made by ``manage.py seed_demo`` through every app's services.

The top of the layering: it uses every app and no app uses it, so production leaves it out
(its settings install it only when ``DEMO_DATA`` asks, and the image does not carry it). What
the demo says is data, in ``demo/data/*.toml``; ``content.py`` reads it.
"""
