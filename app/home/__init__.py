"""The home page for each person, the health check and the footer's pages."""
