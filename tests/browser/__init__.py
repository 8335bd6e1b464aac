"""Browser tests: real JupyterLab in the system Chromium, accessibility checks with axe-core."""
