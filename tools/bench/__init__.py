"""The scale benchmark: a big generated dataset and measures of the admin on it (`manage.py bench`)."""
