"""Compare the outputs of two folders of executed notebooks, cell by cell.

    python3 scripts/compare-executed.py OLD_DIR NEW_DIR [--with-claims]

`npm start` leaves the executed notebooks in build/executed/; copy that folder
aside before a change, build again after it, and compare. Code cells are
matched by their cell id (so cells may move, and new cells are listed as
new), and every differing cell is listed with a few excerpts of the
difference. Claim lines (whose words may be reworded) are left out unless
--with-claims is given; figure ids that hold a time (a live kernel's) and the
plotly bundle a live kernel inlines are normalised away, so that the output
of `npm run execute` compares with a build's. Cells that print wall times
differ from run to run; everything else should not. Exit 1 when any cell
differs.
"""
import difflib
import json
import os
import re
import sys

CLAIM_MIMES = ("application/vnd.ica-vs-sae.claim+json", "application/vnd.ica-vs-sae.claims+json")
BUNDLE = re.compile(r'<script data-ica-plotly-bundle="[a-z]+">.*?</script>', re.S)
FIG_ID = re.compile(r"ica-fig-[0-9a-z]+-(\d+)")


def normalise(text):
    text = BUNDLE.sub("<plotly bundle>", text)
    # A live kernel's figure ids carry the time; a build's count from 1 in each notebook.
    return FIG_ID.sub(r"ica-fig-\1", text)


def outputs(path, with_claims):
    nb = json.load(open(path))
    cells = {}
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        texts = []
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if not with_claims and any(m in data for m in CLAIM_MIMES):
                continue
            if "text" in o:
                texts.append("".join(o["text"]))
            for mime, v in data.items():
                texts.append(mime + ":" + ("".join(v) if isinstance(v, list) else json.dumps(v)))
            if o.get("output_type") == "error":
                texts.append("ERROR " + o.get("ename", "") + " " + o.get("evalue", ""))
        cells[cell.get("id") or f"#{i}"] = (i, normalise("\n".join(texts)))
    return cells


def main(old, new, with_claims):
    differing = 0
    for name in sorted(f for f in os.listdir(old) if f.endswith(".ipynb")):
        if not os.path.exists(os.path.join(new, name)):
            print(f"{name}: missing from {new}")
            differing += 1
            continue
        a, b = outputs(os.path.join(old, name), with_claims), outputs(os.path.join(new, name), with_claims)
        for key in a.keys() - b.keys():
            if a[key][1].strip():
                print(f"{name} cell {a[key][0]} ({key}): gone, and it had outputs")
                differing += 1
        for key in b.keys() - a.keys():
            if b[key][1].strip():
                print(f"{name} cell {b[key][0]} ({key}): new, with outputs")
        for key in sorted(a.keys() & b.keys(), key=lambda k: b[k][0]):
            x, (j, y) = a[key][1], b[key]
            if x == y:
                continue
            differing += 1
            ops = [op for op in difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes() if op[0] != "equal"]
            print(f"{name} cell {j} ({key}): differs")
            for _, i1, i2, j1, j2 in ops[:3]:
                print("   -", repr(x[max(0, i1 - 40):i2 + 40][:200]))
                print("   +", repr(y[max(0, j1 - 40):j2 + 40][:200]))
    print(f"{differing} differing cell(s)")
    return 1 if differing else 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--with-claims"]
    if len(args) != 2:
        sys.exit("usage: python3 scripts/compare-executed.py OLD_DIR NEW_DIR [--with-claims]")
    sys.exit(main(args[0], args[1], "--with-claims" in sys.argv[1:]))
