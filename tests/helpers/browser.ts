// Headless Debian Chromium through playwright-core, with the flags that keep
// it quiet on a machine without network.
import * as fs from "fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.ICA_CHROMIUM ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: sudo apt-get install chromium (or set ICA_CHROMIUM)`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    // playwright gives each launch a fresh temporary profile and removes it.
    close: () => browser.close(),
  };
}
