"""Seconds to a validation loss of 2.0: the lecture's small GPT configuration vs char_gpt's fast one.

    python benchmarks/char_gpt_vs_lecture.py [--quick] [--target 2.0] [--max-iters 6000]
                                             [--repeats 1] [--threads N] [--json out.json]

The model and the training loop are not copied here: the script executes the definition
cells of the source notebook source/04_simple_gpt/char_gpt.ipynb (by grade id, solutions in
place, student mode) and calls its `run_training` twice on this machine, one run after the
other with the same seed:

- lecture: LECTURE_CONFIG, the lecture's small configuration (batch 16, block 32, n_embd 64,
  4 heads, 4 layers, dropout 0, AdamW lr 1e-3, estimate_loss over 200 batches of each split
  every 100 steps);
- notebook: FAST_CONFIG, the configuration the notebook trains with (same model).

Each run stops at the first evaluation with val <= target (or at --max-iters). Its time is
the wall time from the first step to that evaluation, evaluations included. Every run is then
re-scored, untimed, with the lecture's estimator (estimate_loss, 200 batches per split) so the
two stopping points are compared on the same yardstick. Printed and written to --json: steps
and seconds to the target for each, and the ratio notebook / lecture (the issue asks <= 0.6).

Data: as the grader finds it (TINYSHAKESPEARE_PATH, the cache, or a checked download).
--quick: a smoke test (target 2.6, at most 800 steps), not a measurement.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "source" / "04_simple_gpt" / "char_gpt.ipynb"
# The cells that define data, model and training, in notebook order.
DEFINITION_CELLS = (
    "setup_imports", "setup_data", "encode_decode", "train_val_split", "get_batch",
    "setup_hyperparameters", "head", "multi_head_attention", "block", "gpt_model",
    "estimate_loss", "train_step", "multi_head_attention_batched", "setup_copy_heads", "setup_training",
)


def load_notebook_namespace(path: Path = NOTEBOOK) -> dict:
    """Execute the definition cells of the source notebook in a fresh namespace and return it."""
    # the grader's rule (TINYSHAKESPEARE_PATH, the cache, a checked download), handed to the notebook's cells
    sys.path.insert(0, str(ROOT))
    from autograder import datasets
    from autograder.cells import grade_id
    try:
        [text] = datasets.declared(ROOT, "04_simple_gpt")
        os.environ[text.env] = str(datasets.locate(text))
    except datasets.DatasetError as err:
        raise SystemExit(f"char_gpt_vs_lecture: {err}") from None
    os.environ.pop("NBGRADER_EXECUTION", None)   # student mode: full-sized demos, real training
    cells = {grade_id(c): c for c in nbformat.read(path, as_version=4).cells}
    missing = [gid for gid in DEFINITION_CELLS if gid not in cells]
    if missing:
        raise SystemExit(f"{path} has no cells {missing}: the benchmark and the notebook disagree")
    namespace: dict = {"__name__": "char_gpt"}
    for gid in DEFINITION_CELLS:
        with contextlib.redirect_stdout(io.StringIO()):   # the cells' own demo output
            exec(compile(cells[gid].source, f"<{path.name}:{gid}>", "exec"), namespace)
    return namespace


def one_run(ns: dict, name: str, config: dict, target: float, max_iters: int) -> dict:
    start = time.perf_counter()
    model, history = ns["run_training"](config, max_iters=max_iters, target_val=target, stop_at_target=True,
                                        progress=False)
    wall = time.perf_counter() - start
    ns["torch"].manual_seed(0)
    check = ns["estimate_loss"](model, 200)   # the lecture's yardstick, untimed
    reached = history["reached"]
    result = {
        "config": name,
        "reached": reached is not None,
        "steps_to_target": reached[0] if reached else None,
        "seconds_to_target": round(reached[1], 2) if reached else None,
        "val_at_stop_own_estimate": round(history["val"][-1], 4),
        "val_at_stop_lecture_estimate": round(float(check["val"]), 4),
        "train_at_stop_lecture_estimate": round(float(check["train"]), 4),
        "last_step": history["step"][-1],
        "wall_seconds": round(wall, 2),
    }
    print(f"{name:>9}: " + (f"val <= {target} at step {reached[0]} after {reached[1]:.1f} s" if reached
                             else f"did not reach {target} in {max_iters} steps ({wall:.1f} s)")
          + f"; at the stop val {history['val'][-1]:.4f} (own estimate), "
            f"{float(check['val']):.4f} (lecture's estimate)", flush=True)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke test: target 2.6, at most 800 steps")
    parser.add_argument("--target", type=float, default=None, help="validation loss to reach (default 2.0)")
    parser.add_argument("--max-iters", type=int, default=None, help="step cap per run (default 6000)")
    parser.add_argument("--repeats", type=int, default=1, help="pairs of runs; the order alternates")
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's)")
    parser.add_argument("--json", default="char_gpt_vs_lecture.json", help="where to write the figures")
    args = parser.parse_args(argv)
    target = args.target if args.target is not None else (2.6 if args.quick else 2.0)
    max_iters = args.max_iters if args.max_iters is not None else (800 if args.quick else 6000)

    ns = load_notebook_namespace()
    torch = ns["torch"]
    if args.threads:
        torch.set_num_threads(args.threads)
    configs = {"lecture": ns["LECTURE_CONFIG"], "notebook": ns["FAST_CONFIG"]}
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs; "
          f"target val <= {target}, at most {max_iters} steps", flush=True)

    runs = []
    for repeat in range(args.repeats):
        order = ("lecture", "notebook") if repeat % 2 == 0 else ("notebook", "lecture")
        for name in order:
            runs.append(one_run(ns, name, configs[name], target, max_iters))

    def seconds(name):
        times = [r["seconds_to_target"] for r in runs if r["config"] == name]
        return None if None in times else sorted(times)[len(times) // 2]   # the median

    lecture, notebook = seconds("lecture"), seconds("notebook")
    ratio = round(notebook / lecture, 3) if lecture and notebook else None
    figures = {
        "target_val": target, "max_iters": max_iters, "quick": args.quick,
        "lecture_seconds_to_target": lecture, "notebook_seconds_to_target": notebook,
        "ratio_notebook_over_lecture": ratio,
        "configs": {name: {k: v for k, v in cfg.items()} for name, cfg in configs.items()},
        "runs": runs,
        "machine": {"python": platform.python_version(), "torch": torch.__version__,
                    "threads": torch.get_num_threads(), "cpus": os.cpu_count(), "platform": platform.platform()},
    }
    print(f"seconds to val <= {target}: lecture {lecture}, notebook {notebook}; ratio {ratio}")
    Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    print("wrote", args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
