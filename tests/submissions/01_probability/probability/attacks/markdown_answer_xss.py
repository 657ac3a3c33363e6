"""A written answer that is raw HTML with script, an event handler and a javascript: link."""
# base: solution
# expect: full
# %% answer_base_rate
<img src=x onerror="alert('answer-xss')"> <script>alert('answer-script')</script>
[click](javascript:alert('answer-link')) <a href="javascript:alert('answer-a')">a</a>
