"""Checking an answer: each exercise kind's checks, the plain calls (answer, hint, show_answer) that
record attempts, and the sandbox that runs a student's code."""
