/** What the browser tests share: Debian's Chromium launched headless and offline, and the checks of what a page fetched and shows. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Locator } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Launches Debian's Chromium (never a downloaded one), or fails saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's with "apt-get update && apt-get install -y chromium" (.ci/run does), not "npx playwright install".`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** True when fetching `url` stays on this machine: loopback, or data the page already holds. */
export function staysOnLoopback(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'data:') return true;
  // GraphiQL turns its inlined worker scripts into blob: URLs; their origin is the page's own.
  if (u.protocol === 'blob:') return staysOnLoopback(u.pathname);
  return ['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol) && u.hostname === '127.0.0.1';
}

/** The text a Monaco editor shows (it renders spaces as no-break spaces). */
export async function editorText(editor: Locator): Promise<string> {
  return ((await editor.locator('.view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');
}
