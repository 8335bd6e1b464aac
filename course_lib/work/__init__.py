"""The student's saved work: the attempts file, its format and its exports, kept atomic with a backup."""
