// One of the processes of tests/io.test.ts's lock race: on { lock, at } it
// waits until the clock reads `at` (so that both racers start in the same
// millisecond), calls takeLock and reports whether it won; on "release" it
// releases a lock it won.
import { takeLock } from "../../lib/io";

let release: (() => void) | null = null;
process.on("message", (m: { lock: string; at: number } | "release" | "quit") => {
  if (m === "quit") process.exit(0);
  if (m === "release") {
    release?.();
    release = null;
    process.send!({ released: true });
    return;
  }
  // Sleep until just before `at`, then spin: a timer alone would wake the two
  // racers milliseconds apart, and spinning all the way would take the cores
  // from the other tests.
  setTimeout(() => race(m), Math.max(0, m.at - Date.now() - 4));
});

function race(m: { lock: string; at: number }): void {
  while (Date.now() < m.at) {
    // spin
  }
  try {
    release = takeLock(m.lock, "the folder");
    process.send!({ won: true, pid: process.pid });
  } catch (e) {
    process.send!({ won: false, pid: process.pid, error: (e as Error).message });
  }
}
process.send!({ ready: true });
