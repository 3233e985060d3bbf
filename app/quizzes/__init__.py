"""Quizzes: a course's quiz, its question bank, attempts and their answers.

``scoring.py`` and ``types.py`` are pure (no database, no Flask) and tested on their own.
"""
