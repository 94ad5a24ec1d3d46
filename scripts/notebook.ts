// npm run notebook: the classic Jupyter Notebook on this repository, with the
// project's tslab kernel registered under build/ (nothing global is touched).
import { spawn } from "child_process";
import { ROOT, SetupError, findPython, jupyterEnv, registerKernel } from "./jupyter";

try {
  const python = findPython(["notebook"]);
  registerKernel();
  const extra = process.argv.slice(2);
  const root = process.getuid?.() === 0 ? ["--allow-root"] : [];
  const child = spawn(python, ["-m", "notebook", `--notebook-dir=${ROOT}`, ...root, ...extra], { env: jupyterEnv(), stdio: "inherit" });
  child.on("close", (code) => process.exit(code ?? 0));
} catch (e) {
  console.error(e instanceof SetupError ? e.message : e);
  process.exit(1);
}
