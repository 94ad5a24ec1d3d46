// npm run kernel:install: register the project's kernel, as "ica-vs-sae", in
// your user's Jupyter data directory, so that JupyterLab and VS Code can pick
// it without JUPYTER_PATH. This is the one step that writes outside the repo.
import { execFileSync } from "child_process";
import * as path from "path";
import { SetupError, findPython, registerKernel } from "./jupyter";

try {
  const python = findPython(["jupyter_core"]);
  const dataDir = execFileSync(python, ["-c", "import jupyter_core.paths as p; print(p.jupyter_data_dir())"]).toString().trim();
  const dir = registerKernel(dataDir, "ica-vs-sae");
  console.log(`Registered the kernel "TypeScript (ica-vs-sae)" in ${dir}`);
  console.log(`Remove it with: rm -r ${path.join(dataDir, "kernels", "ica-vs-sae")}`);
} catch (e) {
  console.error(e instanceof SetupError ? e.message : e);
  process.exit(1);
}
