"""The instructor's side: the course-lib commands, lesson builds, collecting work, reports and answer keys."""
