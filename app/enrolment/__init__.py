"""Offerings (runs of a course), their sessions, and enrolments with waitlist and approval."""
