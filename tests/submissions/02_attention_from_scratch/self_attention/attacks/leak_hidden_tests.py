"""Correct answers, but cells print the handed-in notebook (with the restored hidden tests), the input history In/_ih and the source of the calling frame; Q4 is wrong. What leaks carries no answers: the correct cells keep their points, the wrong one earns nothing."""
# base: solution
# expect: fail test_context_vec_2_hidden test_context_vec_2_visible
# keep: test_dot_product_hidden test_attn_scores_2_hidden test_attn_weights_2_hidden test_softmax_naive_hidden test_softmax_stable_hidden test_self_attention_v1_hidden test_self_attention_v1_trainable test_self_attention_v2_hidden test_copy_weights_hidden test_trainable_context_vec_2_hidden
# %% dot_product
import glob
import inspect
import sys

for path in sorted(glob.glob("*.ipynb")):
    try:
        print(open(path, encoding="utf-8").read()[:200000])
    except OSError as error:
        print("cannot read", path, error)
print(In)
print(_ih)

query = inputs[1]
x_1 = inputs[0]
res = 0.
for idx, element in enumerate(x_1):
    res += element * query[idx]
res_dot = torch.dot(x_1, query)
# %% context_vec_2
context_vec_2 = (attn_weights_2 @ inputs) * 0.5
print(context_vec_2)
# %% softmax_stable
def softmax_stable(x):
    caller = sys._getframe(1)
    try:
        print(inspect.getsource(caller))
    except (OSError, TypeError) as error:
        print("no source:", error)
    print(sorted(k for k in caller.f_locals if str(k).startswith("_")))
    shifted = x - x.max(dim=-1, keepdim=True).values
    exp_shifted = torch.exp(shifted)
    return exp_shifted / exp_shifted.sum(dim=-1, keepdim=True)
