"""The dot-product loop runs over range(len(x) - 1) and never adds the last product."""
# base: solution
# expect: fail test_dot_product_visible test_dot_product_hidden
# %% dot_product
query = inputs[1]   # x^(2), "journey"
x_1 = inputs[0]     # x^(1), "Your"

res = 0.
for idx in range(len(x_1) - 1):
    res += x_1[idx] * query[idx]
print("by a loop:     ", res)

res_dot = torch.dot(x_1, query)
print("with torch.dot:", res_dot)
