"""Course evaluation: the standard questionnaire, the requests that ask for it, and the
anonymous aggregates that prove whether courses are relevant, useful and competitive.

- ``models``: Evaluation, EvaluationRequest, EvaluationQuestion, EvaluationAnswer.
- ``aggregates``: pure functions (no database) that turn answers into figures and enforce
  the anonymity rule.
- ``scope`` and ``queries``: who sees which offerings' answers, and the reads behind pages.
- ``services``: sending requests and reminders, answering, the course's own questions.
"""
