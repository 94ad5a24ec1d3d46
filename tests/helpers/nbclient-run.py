"""Runs a notebook with nbclient alone, as any Jupyter tool would (no code of
ours on the Python side), and prints one JSON object describing the errors.

usage: nbclient-run.py --kernel NAME NOTEBOOK [--allow-errors]
  without --allow-errors: stops at the first failing cell and prints
      {"raised": str(CellExecutionError), "ename": ..., "evalue": ...}
      or {"raised": null} when every cell ran;
  with --allow-errors: runs every cell (pausing after a failed one, which
      tslab answers for 200 ms by aborting), and prints
      {"errors": [{"cell": i, "ename": ..., "evalue": ..., "traceback": [...]}, ...]}
"""
import argparse
import json
import os
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ap = argparse.ArgumentParser()
ap.add_argument("--kernel", required=True)
ap.add_argument("--allow-errors", action="store_true")
ap.add_argument("notebook")
args = ap.parse_args()

nb = nbformat.read(args.notebook, as_version=4)
client = NotebookClient(nb, kernel_name=args.kernel, timeout=600, allow_errors=args.allow_errors,
                        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}})
if args.allow_errors:
    errors = []
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, i)
            errs = [o for o in cell.outputs if o.output_type == "error"]
            for o in errs:
                errors.append({"cell": i, "ename": o.ename, "evalue": o.evalue, "traceback": o.traceback})
            if errs:
                time.sleep(0.5)
    print(json.dumps({"errors": errors}))
else:
    try:
        client.execute()
        print(json.dumps({"raised": None}))
    except CellExecutionError as e:
        print(json.dumps({"raised": str(e), "ename": e.ename, "evalue": e.evalue}))
