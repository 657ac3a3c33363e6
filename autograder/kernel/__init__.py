"""What runs inside the sandbox, in the student's process: the executor and the evidence recorder.

Nothing here is trusted and nothing here knows an answer. This package imports only the
standard library, nbformat, IPython and (lazily) NumPy/torch; never anything else of the
project (tests/test_architecture.py checks it). It is copied into the sandbox as a whole.
"""
