"""Courses, their modules, their audiences and the requirements that make them mandatory."""
