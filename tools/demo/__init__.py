"""Demo data: companies, people, process templates, rubrics and a realistic pipeline.

Loaded by `python manage.py demo`; the modules here hold plain data and the generators that turn
it into rows.
"""
