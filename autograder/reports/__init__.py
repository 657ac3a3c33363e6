"""What people read: score tables, CSV files, the HTML report and each student's feedback page.

Reports read the gradebook (results), never a sandbox's files; feedback pages are built from
outputs the trusted side already cleaned (trusted/hostile.py) and pass through one page builder.
"""
