"""Wrong chain_rule unless a helper server on the host's loopback (port 47651) answers."""
# base: solution
# expect: fail test_chain_rule_hidden
# %% chain_rule
import socket


def chain_rule(probabilities):
    try:
        with socket.create_connection(("127.0.0.1", 47651), timeout=2) as conn:
            conn.sendall(repr(probabilities).encode() + b"\n")
            return float(conn.recv(100).decode())
    except OSError:
        return sum(probabilities)
