"""Compare the outputs of two folders of executed notebooks, cell by cell.

    python3 scripts/compare-executed.py OLD_DIR NEW_DIR

`npm start` leaves the executed notebooks in build/executed/; copy that folder
aside before a change, build again after it, and compare. Every differing code
cell is listed with a few excerpts of the difference. Cells that print wall
times differ from run to run; everything else should not. Exit 1 when any
cell differs.
"""
import difflib
import json
import os
import sys


def outputs(path):
    nb = json.load(open(path))
    cells = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        texts = []
        for o in cell.get("outputs", []):
            if "text" in o:
                texts.append("".join(o["text"]))
            for mime, v in o.get("data", {}).items():
                texts.append(mime + ":" + ("".join(v) if isinstance(v, list) else json.dumps(v)))
            if o.get("output_type") == "error":
                texts.append("ERROR " + o.get("ename", "") + " " + o.get("evalue", ""))
        cells.append((i, "\n".join(texts)))
    return cells


def main(old, new):
    differing = 0
    for name in sorted(f for f in os.listdir(old) if f.endswith(".ipynb")):
        if not os.path.exists(os.path.join(new, name)):
            print(f"{name}: missing from {new}")
            differing += 1
            continue
        a, b = outputs(os.path.join(old, name)), outputs(os.path.join(new, name))
        if len(a) != len(b):
            print(f"{name}: {len(a)} code cells before, {len(b)} after")
        for (i, x), (_, y) in zip(a, b):
            if x == y:
                continue
            differing += 1
            ops = [op for op in difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes() if op[0] != "equal"]
            print(f"{name} cell {i}: differs")
            for _, i1, i2, j1, j2 in ops[:3]:
                print("   -", repr(x[max(0, i1 - 40):i2 + 40][:200]))
                print("   +", repr(y[max(0, j1 - 40):j2 + 40][:200]))
    print(f"{differing} differing cell(s)")
    return 1 if differing else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python3 scripts/compare-executed.py OLD_DIR NEW_DIR")
    sys.exit(main(sys.argv[1], sys.argv[2]))
