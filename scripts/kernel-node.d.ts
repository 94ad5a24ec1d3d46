// What notebook cells see of Node's own types. The kernel (scripts/kernel.js)
// hands this file to tslab's compiler in place of @types/node, whose two
// megabytes of declarations take over a second to parse in every new kernel.
// lib/ does not need them (its declarations use no Node type), and the cells
// mostly need `console`. Node's modules still load and run in a cell: they
// are typed `any` here. For the full types, start Jupyter with
// ICA_KERNEL_NODE_TYPES=full in the environment.

interface Console {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
  table(data: unknown, columns?: string[]): void;
  dir(item: unknown, options?: unknown): void;
  time(label?: string): void;
  timeEnd(label?: string): void;
  timeLog(label?: string, ...data: unknown[]): void;
  count(label?: string): void;
  assert(condition?: boolean, ...data: unknown[]): void;
  group(...label: unknown[]): void;
  groupEnd(): void;
}
declare var console: Console;

declare var performance: { now(): number; timeOrigin: number };

declare var process: {
  env: Record<string, string | undefined>;
  argv: string[];
  platform: string;
  version: string;
  versions: Record<string, string>;
  pid: number;
  cwd(): string;
  exit(code?: number): never;
  hrtime: { (time?: [number, number]): [number, number]; bigint(): bigint };
  memoryUsage(): { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  nextTick(callback: (...args: any[]) => void, ...args: any[]): void;
  stdout: { write(text: string): boolean };
  stderr: { write(text: string): boolean };
};

declare function setTimeout(callback: (...args: any[]) => void, ms?: number, ...args: any[]): any;
declare function clearTimeout(handle: any): void;
declare function setInterval(callback: (...args: any[]) => void, ms?: number, ...args: any[]): any;
declare function clearInterval(handle: any): void;
declare function setImmediate(callback: (...args: any[]) => void, ...args: any[]): any;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T): T;

declare var require: { (id: string): any; resolve(id: string): string };
declare var module: { exports: any };
declare var exports: any;
declare var __dirname: string;
declare var __filename: string;
declare var global: typeof globalThis;
declare var Buffer: any;
declare class URL {
  constructor(url: string, base?: string | URL);
  href: string;
  pathname: string;
  searchParams: any;
  toString(): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string);
  decode(input?: Uint8Array): string;
}

// Node's modules, untyped.
declare module "node:*";
declare module "assert";
declare module "buffer";
declare module "child_process";
declare module "crypto";
declare module "events";
declare module "fs";
declare module "fs/promises";
declare module "os";
declare module "path";
declare module "perf_hooks";
declare module "readline";
declare module "stream";
declare module "url";
declare module "util";
declare module "v8";
declare module "vm";
declare module "worker_threads";
declare module "zlib";
