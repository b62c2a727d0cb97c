// Runs axe-core (WCAG 2.2 A and AA rules) on each URL given, in Debian's headless Chromium.
// Prints one JSON line per page: {"url", "title", "violations": [{id, impact, help, nodes: [target…]}]}.
// Exit code: 0 when no page has a violation, 1 otherwise, 2 when the check itself failed.
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = require('axe-core').source;
// `--cookie name=value` (any number, before the URLs) is sent with every page: newsroom pages
// are checked signed in. `--dark` checks the pages as a reader who prefers a dark scheme sees them.
const args = process.argv.slice(2);
const cookies = [];
let colorScheme = 'light';
if (args[0] === '--dark') {
  colorScheme = 'dark';
  args.shift();
}
// `--storage key=value` is put in the site's local storage before each page loads (the editor
// keeps its writing mode there).
const storage = {};
while (args[0] === '--cookie' || args[0] === '--storage') {
  const [name, ...value] = args[1].split('=');
  if (args[0] === '--cookie') cookies.push({ name, value: value.join('=') });
  else storage[name] = value.join('=');
  args.splice(0, 2);
}
const urls = args;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let failed = false;
try {
  // A phone-sized viewport: readers come on phones first. The site's Content-Security-Policy
  // forbids every script, axe's included, so the checking browser is told to set it aside.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true, colorScheme });
  if (cookies.length > 0) {
    // A cookie scoped to the newsroom, as the site sets it.
    const origin = new URL(urls[0]).origin;
    await context.addCookies(cookies.map((c) => ({ ...c, url: `${origin}/redaction/` })));
  }
  await context.addInitScript((items) => {
    for (const [key, value] of Object.entries(items)) window.localStorage.setItem(key, value);
  }, storage);
  const page = await context.newPage();
  for (const url of urls) {
    await page.goto(url, { waitUntil: 'load' });
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    }));
    const violations = result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
    if (violations.length > 0) failed = true;
    console.log(JSON.stringify({ url, title: await page.title(), violations }));
  }
} catch (error) {
  console.error(error);
  process.exitCode = 2;
} finally {
  await browser.close();
}
if (failed && process.exitCode === undefined) process.exitCode = 1;
