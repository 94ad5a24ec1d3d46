// Errors as Jupyter expects them from a kernel. tslab 1.0.22 (pinned) prints
// a failing cell's exception or type errors to stderr and replies "error"
// with no ename, evalue or traceback, so nbclient and nbconvert show only
// "<Error>:" and the message is lost. Here:
//
//  - the executor's own printing of the failure is caught instead (what a
//    cell writes to stderr itself goes there as before);
//  - the execute_reply gets ename, evalue and traceback, and an "error"
//    output carrying them is published before it, so every front end and
//    nbclient see the error's name and message;
//  - the cell being run is published as globalThis.__icaCell ({ key, count },
//    the key being the cell's id where the front end sends one, else its
//    source) and the latest run of every key in globalThis.__icaRuns, so
//    that lib/check.ts can replace a rerun cell's claims instead of adding.
"use strict";
const util = require("util");

const RED = "\x1b[0;31m";
const RESET = "\x1b[0m";

/** ename, evalue and traceback of a thrown value. */
function describe(e) {
  if (e instanceof Error || (e !== null && typeof e === "object" && typeof e.message === "string")) {
    const ename = typeof e.name === "string" && e.name !== "" ? e.name : "Error";
    const evalue = String(e.message);
    // A failed claim is not a bug: its message says everything, the frames nothing.
    const frames = ename === "ClaimError" ? [] : String(e.stack ?? "")
      .split("\n")
      .filter((l) => /^\s+at /.test(l))
      .filter((l) => !/\(node:|tslab[\\/]dist|scripts[\\/]kernel/.test(l));
    return { ename, evalue, traceback: [`${RED}${ename}${RESET}: ${evalue}`, ...frames] };
  }
  const evalue = typeof e === "string" ? e : util.inspect(e);
  return { ename: "Error", evalue: `a non-Error value was thrown: ${evalue}`, traceback: [`${RED}Error${RESET}: a non-Error value was thrown: ${evalue}`] };
}

/** The format tslab's executor prints a TypeScript diagnostic with. */
const DIAGNOSTIC = "%s%d:%d - %s";

/**
 * Patches tslab's executor and Jupyter handler modules (call before main()).
 * Returns nothing; the modules are changed in place.
 */
function reportErrors(executorModule, jupyterModule) {
  let failure = null;

  const createExecutor = executorModule.createExecutor;
  // The executor prints through the console object it is given (its third
  // argument); while a cell runs, its error() goes through `hook`.
  let hook = null;
  executorModule.createExecutor = (rootDir, convs, sink) => {
    const relay = { log: (...a) => sink.log(...a), error: (...a) => (hook !== null ? hook(a) : sink.error(...a)) };
    const executor = createExecutor(rootDir, convs, relay);
    const execute = executor.execute;
    executor.execute = async (src) => {
      failure = null;
      const thrown = [];
      const diagnostics = [];
      // Only the executor prints through this object (a cell's own
      // console.error is the global console): a type error's diagnostics,
      // or the one value a cell threw.
      hook = (a) => {
        if (a.length === 5 && a[0] === DIAGNOSTIC) diagnostics.push(util.format(...a));
        else if (a.length === 1) thrown.push(a[0]);
        else sink.error(...a);
      };
      let ok;
      try {
        ok = await execute(src);
      } finally {
        hook = null;
      }
      if (ok) {
        for (const e of thrown) sink.error(e);
        for (const d of diagnostics) sink.error(d);
        return ok;
      }
      if (diagnostics.length > 0) {
        const evalue = diagnostics.join("\n");
        failure = { ename: "TypeScriptError", evalue, traceback: [`${RED}TypeScriptError${RESET}: ${evalue}`] };
      } else if (thrown.length > 0) {
        failure = describe(thrown[thrown.length - 1]);
      } else {
        failure = { ename: "Error", evalue: "the cell failed without an error message", traceback: [] };
      }
      return ok;
    };
    return executor;
  };

  const Handler = jupyterModule.JupyterHandlerImpl.prototype;
  const handleExecuteImpl = Handler.handleExecuteImpl;
  const runs = new Map();
  globalThis.__icaRuns = runs;
  Handler.handleExecuteImpl = function (req, writeStream, writeDisplayData) {
    const key = typeof req.__icaCellId === "string" && req.__icaCellId !== "" ? `id:${req.__icaCellId}` : `code:${String(req.code)}`;
    const count = this.execCount + 1;
    runs.set(key, count);
    globalThis.__icaCell = { key, count };
    return handleExecuteImpl.call(this, req, writeStream, writeDisplayData);
  };
  const handleExecute = Handler.handleExecute;
  Handler.handleExecute = async function (req, writeStream, writeDisplayData) {
    failure = null;
    const content = await handleExecute.call(this, req, writeStream, writeDisplayData);
    if (content.status === "error") {
      const f = failure ?? { ename: "KernelError", evalue: "the kernel failed to run the cell (see the kernel's log)", traceback: [] };
      Object.assign(content, { ename: f.ename, evalue: f.evalue, traceback: f.traceback });
    }
    return content;
  };

  // The server's execute handler, as tslab's, plus the "error" output.
  jupyterModule.ZmqServer.prototype.handleExecute = async function (sock, msg) {
    const reply = msg.createReply();
    reply.header.msg_type = "execute_reply";
    const send = (type, content) => {
      const m = msg.createReply();
      m.header.msg_type = type;
      m.content = content;
      m.signAndSend(this.connInfo.key, this.iopub);
    };
    const writeStream = (name, text) => send("stream", { name, text });
    const writeDisplayData = (data, update) => send(update ? "update_display_data" : "display_data", data);
    // The cell's id, where the front end sends one, travels with the request to handleExecuteImpl.
    const cellId = msg.metadata && typeof msg.metadata.cellId === "string" ? msg.metadata.cellId : "";
    const content = await this.handler.handleExecute({ ...msg.content, __icaCellId: cellId }, writeStream, writeDisplayData);
    if (content.status === "error" && typeof content.ename === "string") {
      send("error", { ename: content.ename, evalue: content.evalue, traceback: content.traceback });
    }
    reply.content = content;
    reply.signAndSend(this.connInfo.key, sock);
  };
}

module.exports = { reportErrors, describe };
