// Types of scripts/lib-types.js (plain JavaScript: the kernel launcher loads it before tsx).

/** Directory of lib/'s declaration files, made first when lib/ has changed. */
export function libDeclarations(root: string, log?: (message: string) => void): string;

/** The hash that names the declarations of the current lib/. */
export function libHash(root: string): string;
