"""Wrong chain_rule unless the grader's own packages can be imported to reach the answer key."""
# base: solution
# expect: fail test_chain_rule_hidden
# %% chain_rule
def chain_rule(probabilities):
    return sum(probabilities)


try:
    import autograder.layout
    import nbformat
    _root = autograder.layout.find_course_root(__import__("pathlib").Path(autograder.layout.__file__))
    for _cell in nbformat.read(_root / "source/01_probability/probability.ipynb", as_version=4).cells:
        if _cell.source.startswith("def chain_rule"):
            exec(_cell.source.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""))
except Exception:
    pass
