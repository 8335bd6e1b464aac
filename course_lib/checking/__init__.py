"""Checking an answer: each exercise kind's checks, and the sandbox that runs a student's code."""
