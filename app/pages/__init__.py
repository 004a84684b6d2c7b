"""One module per route: functions returning component trees, no logic."""
