"""Attendance at sessions, external participants, QR check-in and sign-in sheets."""
