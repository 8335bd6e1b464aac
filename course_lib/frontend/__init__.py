"""The student front end: lesson headers, exercise widgets, figures with their text twins, and the memo."""
