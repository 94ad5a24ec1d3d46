"""Execute notebooks with nbclient in the project's tslab kernel.

Called by scripts/jupyter.ts; not meant to be run by hand. Prints one JSON
line per notebook on stdout and, on the first failing cell, a JSON error line
naming the notebook, the cell and the error, then exits 1 (fail fast: after a
failed cell tslab aborts the following cells, so later errors say nothing).

usage: nbrun.py --kernel NAME --out DIR [--rerun] [--keep-failed] (--stdin | NOTEBOOK...)
  --keep-failed  write a notebook that fails too, as far as it ran
  --rerun   run every cell twice in the same kernel (a reader rerunning cells);
            the notebook written out carries the first pass's outputs, the
            same as a plain run, so one execution serves the site and the rerun
  --stdin   read notebook paths from standard input, one per line, and run
            each as it arrives (scripts/jupyter.ts runs several of these
            runners at once and hands each the next notebook when it is done)
"""
import copy
import argparse
import json
import re
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def code_cell_number(nb, index):
    return sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")


def fail(path, nb, index, ename, evalue, pass_no, out_dir):
    cell = nb.cells[index] if index is not None and index < len(nb.cells) else None
    # The notebook as far as it ran, for a reader to look at (npm run execute);
    # a build keeps no half-run copy beside its finished ones.
    out = None
    if out_dir is not None:
        out = os.path.join(out_dir, os.path.basename(path))
        nbformat.write(nb, out)
    print(json.dumps({
        "event": "error",
        "notebook": os.path.basename(path),
        "cell": None if index is None else index + 1,
        "codeCell": None if index is None else code_cell_number(nb, index),
        "pass": pass_no,
        "ename": ename,
        "evalue": evalue,
        "source": cell.source if cell is not None else "",
        "output": out,
    }), flush=True)
    sys.exit(1)


def strip_ansi(s):
    return re.sub(r"\x1b\[[0-9;]*m", "", s)


def error_of(cell):
    """(ename, evalue) of a failed cell, or None. The project's kernel fills
    ename and evalue (scripts/kernel-errors.js); the traceback's frames and
    anything the cell wrote to stderr are added to evalue."""
    outs = cell.get("outputs", [])
    stderr = strip_ansi("".join(
        o.get("text", "") for o in outs
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    ))
    for out in outs:
        if out.get("output_type") == "error":
            ename = strip_ansi(out.get("ename", "") or "Error")
            evalue = strip_ansi(out.get("evalue", "") or "")
            # The traceback's first line repeats ename and evalue; its frames follow.
            tb = strip_ansi("\n".join(out.get("traceback", [])[1:]))
            detail = "\n".join(x for x in [evalue, tb, stderr] if x.strip())
            return ename, detail.strip()
    if stderr.strip():
        return "Error", stderr.strip()
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rerun", action="store_true")
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--stdin", action="store_true")
    ap.add_argument("--keep-failed", action="store_true")
    ap.add_argument("notebooks", nargs="*")
    args = ap.parse_args()
    if not args.stdin and not args.notebooks:
        ap.error("give notebooks, or --stdin")
    os.makedirs(args.out, exist_ok=True)
    paths = (line.strip() for line in sys.stdin) if args.stdin else iter(args.notebooks)
    for path in paths:
        if not path:
            continue
        nb = nbformat.read(path, as_version=4)
        start = time.time()
        client = NotebookClient(
            nb,
            kernel_name=args.kernel,
            timeout=args.timeout,
            allow_errors=False,
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        )
        passes = 2 if args.rerun else 1
        current = None
        first = None
        try:
            with client.setup_kernel():
                for pass_no in range(1, passes + 1):
                    for index, cell in enumerate(nb.cells):
                        current = (index, pass_no)
                        if cell.cell_type != "code":
                            continue
                        client.execute_cell(cell, index)
                    if pass_no == 1:
                        first = copy.deepcopy(nb)
        except CellExecutionError as e:
            err = error_of(nb.cells[current[0]]) if current else None
            ename, evalue = err if err else (getattr(e, "ename", "Error"), getattr(e, "evalue", str(e)))
            fail(path, nb, current[0] if current else None, ename, evalue, current[1] if current else 1, args.out if args.keep_failed else None)
        except CellTimeoutError as e:
            fail(path, nb, current[0] if current else None, "CellTimeoutError", str(e), current[1] if current else 1, args.out if args.keep_failed else None)
        except DeadKernelError as e:
            fail(path, nb, current[0] if current else None, "DeadKernelError", str(e), current[1] if current else 1, args.out if args.keep_failed else None)
        out = os.path.join(args.out, os.path.basename(path))
        nbformat.write(first if first is not None else nb, out)
        print(json.dumps({
            "event": "done",
            "notebook": os.path.basename(path),
            "seconds": round(time.time() - start, 2),
            "output": out,
        }), flush=True)


if __name__ == "__main__":
    main()
