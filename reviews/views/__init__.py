"""Pages of the reviews app, one module per part of the cycle. Each module declares its own
``urlpatterns``; ``reviews/urls.py`` joins them."""
