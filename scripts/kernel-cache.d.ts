// Types of scripts/kernel-cache.js (plain JavaScript: the kernel launcher loads it before tsx).

/** tslab's converter, as far as the cache uses it. */
export interface Converter {
  convert(prevDecl: string, src: string): { diagnostics: unknown[]; sideOutputs?: unknown[]; [k: string]: unknown };
  inspect(...a: unknown[]): unknown;
  complete(...a: unknown[]): unknown;
  addModule(...a: unknown[]): unknown;
  close(): void;
}

/** A converter that answers from the cache when it can, and from `make()`'s otherwise. */
export function cachedConverter(
  make: () => Converter,
  o: { root: string; context: string; options?: object; ts: unknown; dir?: string },
): Converter;

/** The part of the key shared by every cell of a kernel. */
export function cacheContext(root: string, extra: unknown[]): string;

/** The cache's folder: ICA_KERNEL_CACHE_DIR (relative to the root) or build/kernel-cache. */
export function cacheDir(root: string, env?: NodeJS.ProcessEnv): string;

/** Whether a cell's compilation depends only on what the cache's key holds. */
export function cacheable(ts: unknown, prevDecl: string, src: string): boolean;
