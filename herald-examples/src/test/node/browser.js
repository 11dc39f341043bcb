// Runs one demo page scenario in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) and reports what the pages saw, for Herald's Java page tests.
//
//   node browser.js '{"scenario":"progress","url":"http://127.0.0.1:PORT/","screenshots":"/abs/dir"}'
//
// Scenarios: progress, progress-cancel, progress-two, tutorial (option "path": "/tutorial/" or
// "/tutorial-1x/"), chat, quickstart (the README's inline page at "/"), admin-ui (the dashboard at /admin-ui/). Output is JSON lines on stdout: {"type":"result",...} once the scenario
// ends, {"type":"console"|"pageerror"|"http-error",...} for what the pages logged or failed to load. The Java side asserts on the
// result; this script only waits for the pages to reach a state and records what they showed.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const config = JSON.parse(process.argv[2]);
const base = config.url.endsWith('/') ? config.url : config.url + '/';
const TIMEOUT = config.timeoutMs || 20000;

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

async function screenshot(page, name) {
  if (!config.screenshots) return;
  fs.mkdirSync(config.screenshots, { recursive: true });
  const file = path.join(config.screenshots, name + '.png');
  await page.screenshot({ path: file });
  out({ type: 'screenshot', file });
}

async function open(context, pagePath, label) {
  const page = await context.newPage();
  page.on('console', (m) => out({ type: 'console', page: label, level: m.type(), text: m.text() }));
  page.on('pageerror', (e) => out({ type: 'pageerror', page: label, text: String(e) }));
  page.on('response', (r) => { if (r.status() >= 400) out({ type: 'http-error', page: label, url: r.url(), status: r.status() }); });
  await page.goto(base + pagePath.replace(/^\//, ''));
  await page.waitForFunction(() => document.getElementById('status').textContent === 'connected', null, { timeout: TIMEOUT });
  return page;
}

// Records, in the page, every value #percent[data-value] takes and when, and when each log line
// appears, so the test sees the bar as the user would, not just its end state.
async function watchProgress(page) {
  await page.evaluate(() => {
    window.seen = [];
    window.logLines = [];
    const percent = document.getElementById('percent');
    new MutationObserver(() => {
      const v = percent.dataset.value;
      if (v !== undefined) window.seen.push({ value: Number(v), at: Date.now() });
    }).observe(percent, { attributes: true, attributeFilter: ['data-value'] });
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) window.logLines.push({ text: n.textContent, at: Date.now() });
      }
    }).observe(document.getElementById('log'), { childList: true });
  });
}

async function progressState(page) {
  return page.evaluate(() => ({
    seen: window.seen,
    log: window.logLines,
    width: document.getElementById('bar').style.width,
    percentText: document.getElementById('percent').textContent,
    startDisabled: document.getElementById('start').disabled,
    cancelDisabled: document.getElementById('cancel').disabled,
  }));
}

const logHas = (prefix) => `window.logLines.some(l => l.text.includes(${JSON.stringify(prefix)}))`;

const scenarios = {
  async progress(context) {
    const page = await open(context, 'progress/', 'progress');
    await watchProgress(page);
    const clickedAt = await page.evaluate(() => { document.getElementById('start').click(); return Date.now(); });
    // The screenshot for the docs: mid-run, the bar partly filled.
    await page.waitForFunction(() => Number(document.getElementById('percent').dataset.value) >= 48, null, { timeout: TIMEOUT });
    await screenshot(page, 'progress');
    await page.waitForFunction(logHas('done in'), null, { timeout: TIMEOUT });
    await screenshot(page, 'progress-done');
    return { clickedAt, ...(await progressState(page)) };
  },

  async 'progress-cancel'(context) {
    const page = await open(context, 'progress/', 'progress');
    await watchProgress(page);
    await page.click('#start');
    await page.waitForFunction(() => Number(document.getElementById('percent').dataset.value) >= 20, null, { timeout: TIMEOUT });
    const cancelledAt = await page.evaluate(() => { document.getElementById('cancel').click(); return Date.now(); });
    await page.waitForFunction(logHas('cancelled at'), null, { timeout: TIMEOUT });
    // Long enough for several more steps (200 ms each) to show if the job were still running.
    await page.waitForTimeout(1500);
    await screenshot(page, 'progress-cancelled');
    return { cancelledAt, ...(await progressState(page)) };
  },

  async 'progress-two'(context) {
    const a = await open(context, 'progress/', 'a');
    const b = await open(context, 'progress/', 'b');
    await watchProgress(a);
    await watchProgress(b);
    // Different step counts, so a progress event delivered to the wrong tab would show.
    await a.click('#start');
    await b.evaluate(() => socket.emit('start_job', { steps: 40 }));
    await Promise.all([a, b].map((p) => p.waitForFunction(logHas('done in'), null, { timeout: TIMEOUT })));
    return { a: await progressState(a), b: await progressState(b) };
  },

  async tutorial(context) {
    const pagePath = config.path || 'tutorial/';
    const page = await open(context, pagePath, 'tutorial');
    const transport = await page.evaluate(() => {
      const engine = socket.io && socket.io.engine;
      return engine && engine.transport ? engine.transport.name : null;
    });
    const clickedAt = await page.evaluate(() => { document.getElementById('send').click(); return Date.now(); });
    await page.waitForFunction(() => document.querySelectorAll('#log li').length >= 1, null, { timeout: TIMEOUT });
    await page.waitForFunction(() => document.querySelectorAll('#log li').length >= 2, null, { timeout: TIMEOUT });
    await screenshot(page, pagePath.replace(/\W+/g, '') || 'tutorial');
    const items = await page.evaluate(() => [...document.querySelectorAll('#log li')].map((li) => ({
      text: li.lastChild.textContent, at: Number(li.dataset.at), shown: li.textContent,
    })));
    return { clickedAt, transport, items };
  },

  // The README quickstart's page has no status line: it is ready once its socket is connected.
  async quickstart(context) {
    const page = await context.newPage();
    page.on('console', (m) => out({ type: 'console', page: 'quickstart', level: m.type(), text: m.text() }));
    page.on('pageerror', (e) => out({ type: 'pageerror', page: 'quickstart', text: String(e) }));
    page.on('response', (r) => { if (r.status() >= 400) out({ type: 'http-error', page: 'quickstart', url: r.url(), status: r.status() }); });
    await page.goto(base);
    // The page's socket is a top-level const: a global binding, not a window property.
    await page.waitForFunction(() => typeof socket !== 'undefined' && socket.connected, null, { timeout: TIMEOUT });
    await page.evaluate(() => {
      window.items = [];
      new MutationObserver((records) => {
        for (const r of records) for (const n of r.addedNodes) window.items.push({ text: n.textContent, tag: n.nodeName, at: Date.now() });
      }).observe(document.getElementById('log'), { childList: true });
    });
    const clickedAt = Date.now();
    await page.click('button');
    await page.waitForFunction(() => window.items.length >= 2, null, { timeout: TIMEOUT });
    await screenshot(page, 'quickstart');
    const button = await page.textContent('button');
    return { clickedAt, button, items: await page.evaluate(() => window.items) };
  },

  async chat(context) {
    const join = async (label, name, room) => {
      const page = await open(context, 'chat/', label);
      await page.fill('#name', name);
      await page.fill('#room', room);
      await page.click('#join');
      await page.waitForFunction((r) => [...document.querySelectorAll('#messages li')].some((li) => li.textContent === 'you joined ' + r), room, { timeout: TIMEOUT });
      return page;
    };
    const say = async (page, text) => {
      await page.fill('#text', text);
      await page.click('#say');
    };
    const messages = (page) => page.evaluate(() => [...document.querySelectorAll('#messages li')].map((li) => li.textContent));
    const members = (page) => page.evaluate(() => JSON.parse(document.getElementById('who').dataset.members || '[]'));
    const waitMessage = (page, text) => page.waitForFunction((t) => [...document.querySelectorAll('#messages li')].some((li) => li.textContent === t), text, { timeout: TIMEOUT });
    const waitMembers = (page, list) => page.waitForFunction((l) => document.getElementById('who').dataset.members === JSON.stringify(l), list, { timeout: TIMEOUT });

    const alice = await join('alice', 'alice', 'lobby');
    const bob = await join('bob', 'bob', 'lobby');
    const carol = await join('carol', 'carol', 'kitchen');
    await waitMembers(alice, ['alice', 'bob']);
    await say(alice, 'hello from alice');
    await say(bob, 'hi alice');
    await say(carol, 'anyone in the kitchen?');
    for (const p of [alice, bob]) {
      await waitMessage(p, 'alice: hello from alice');
      await waitMessage(p, 'bob: hi alice');
    }
    await waitMessage(carol, 'carol: anyone in the kitchen?');
    // Anything misrouted would have arrived by now: each page already has the later messages.
    const before = {
      alice: { messages: await messages(alice), members: await members(alice) },
      bob: { messages: await messages(bob), members: await members(bob) },
      carol: { messages: await messages(carol), members: await members(carol) },
    };
    await screenshot(alice, 'chat');
    await bob.click('#leave');
    await waitMembers(alice, ['alice']);
    await waitMessage(alice, 'bob left');
    await screenshot(alice, 'chat-after-leave');
    const after = {
      alice: { messages: await messages(alice), members: await members(alice), who: await alice.textContent('#who') },
      bob: { messages: await messages(bob), who: await bob.textContent('#who') },
      carol: { messages: await messages(carol), members: await members(carol) },
    };
    return { before, after };
  },

  // The Admin UI's dashboard as the app serves it at /admin-ui/: seeded with the server URL and a
  // session id (option "sessionId", from a login the test made), it connects by itself as on a
  // reload; the scenario waits until its Sockets page, on namespace "namespace", lists the socket "expectSocket".
  async 'admin-ui'(context) {
    const page = await context.newPage();
    page.on('console', (m) => out({ type: 'console', page: 'admin-ui', level: m.type(), text: m.text() }));
    page.on('pageerror', (e) => out({ type: 'pageerror', page: 'admin-ui', text: String(e) }));
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.addInitScript(([url, sessionId]) => {
      localStorage.setItem('server_url', url);
      localStorage.setItem('session_id', sessionId);
    }, [base.replace(/\/$/, ''), config.sessionId]);
    // Not 'load': the page also asks Google Fonts for its font, which may not answer here.
    await page.goto(base + 'admin-ui/#/sockets/', { waitUntil: 'domcontentloaded' });
    // The Sockets page shows one namespace at a time: pick the app's (option "namespace").
    await page.click('.selector .v-select__slot', { timeout: TIMEOUT });
    await page.click('.v-menu__content .v-list-item:has-text("' + config.namespace + '")', { timeout: TIMEOUT });
    // On a timeout the page is still shot and its text returned, for the test to say what it showed.
    await page.waitForFunction((id) => document.body.innerText.includes(id), config.expectSocket, { timeout: TIMEOUT })
      .catch((e) => out({ type: 'console', page: 'admin-ui', level: 'timeout', text: String(e) }));
    // Lets the namespace menu finish fading out, for a clean screenshot.
    await page.waitForTimeout(500);
    await screenshot(page, 'admin-ui-sockets');
    // The icon font comes from the app beside the page (herald-admin-ui rewrites the page's CDN link).
    const icons = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts]
        .filter((f) => f.family.replace(/"/g, '') === 'Material Design Icons')
        .map((f) => f.status);
    });
    return { text: await page.evaluate(() => document.body.innerText), icons };
  },
};

async function main() {
  const scenario = scenarios[config.scenario];
  if (!scenario) throw new Error('unknown scenario ' + config.scenario);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: config.chromium || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 900, height: 640 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const result = await scenario(context);
    out({ type: 'result', scenario: config.scenario, ...result });
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

// Never outlive the test that started us, even if Chromium hangs.
setTimeout(() => { out({ type: 'failure', message: 'browser.js gave up after ' + (config.maxSeconds || 90) + ' s' }); process.exit(3); },
  (config.maxSeconds || 90) * 1000).unref();

main().then(() => process.exit(0), (e) => {
  out({ type: 'failure', message: String(e && e.stack || e) });
  process.exit(1);
});
