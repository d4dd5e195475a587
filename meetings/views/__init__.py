"""Staff pages of the record of meetings, one module per concern; every view checks access
through ``views.access``, calls a service and redirects (POST-redirect-GET)."""
