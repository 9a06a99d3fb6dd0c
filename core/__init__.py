"""Cross-cutting pieces every app uses: public pages, health checks, form rendering, email."""
