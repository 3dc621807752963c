// Shared by the browser benchmarks: start `offerdesk` with demo data on a free port, drive the
// system Chromium with playwright-core (never a downloaded browser), describe the machine.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(REPO, 'dist');
export const PASSWORD = 'demo-password';

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/** The server binary: $OFFERDESK_BIN, else the release build, else the debug build. */
function serverBinary() {
  const target = process.env.CARGO_TARGET_DIR
    ? resolve(REPO, process.env.CARGO_TARGET_DIR)
    : join(REPO, 'target');
  const candidates = [
    process.env.OFFERDESK_BIN,
    join(target, 'release', 'offerdesk'),
    join(target, 'debug', 'offerdesk'),
  ].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`no offerdesk binary (looked at ${candidates.join(', ')}); run bench/run.sh`);
  }
  return found;
}

/** Starts the server with demo data and the built page; resolves once /api/health answers. */
export async function startServer() {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error('dist/ has no built page; run bash scripts/build-page.sh');
  }
  const dir = mkdtempSync(join(tmpdir(), 'offerdesk-bench-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const binary = serverBinary();
  const child = spawn(
    binary,
    [
      '--listen', `127.0.0.1:${port}`,
      '--database', join(dir, 'bench.db'),
      '--static-dir', DIST,
      '--demo',
      '--publish-delay-seconds', '1',
      '--worker-interval-ms', '100',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`offerdesk exited (${child.exitCode}): ${stderr}`);
    }
    try {
      const answer = await fetch(`${base}/api/health`);
      if (answer.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`offerdesk did not answer on ${base}: ${stderr}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  return {
    base,
    binary,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((done) => (child.exitCode !== null ? done() : child.once('exit', done)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Headless system Chromium. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/** One line about the machine, the date and the browser, for BENCHMARKS.md. */
export function machine(browser) {
  const cpu = cpus();
  let os = '';
  try {
    os = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? '';
  } catch {
    os = process.platform;
  }
  let rustc = '';
  try {
    rustc = execFileSync('rustc', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    rustc = 'rustc unknown';
  }
  return [
    `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}`,
    `${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    os,
    `Chromium ${browser.version()} (headless)`,
    `Node ${process.version}`,
    rustc,
    new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  ].join('; ');
}

/** The p-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** Calls the API from inside the page with fetch, so the session cookie rides along. */
export async function api(page, method, path, body = null, key = '') {
  return page.evaluate(
    async ([method, path, body, key]) => {
      const headers = { 'Content-Type': 'application/json' };
      if (key) headers['Idempotency-Key'] = key;
      const response = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === null ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: response.status, json };
    },
    [method, path, body, key],
  );
}

export async function signIn(page, email) {
  const answer = await api(page, 'POST', '/api/v1/session', { email, password: PASSWORD });
  if (answer.status >= 300) throw new Error(`sign-in of ${email}: ${JSON.stringify(answer)}`);
}

export async function signOut(page) {
  await api(page, 'DELETE', '/api/v1/session');
}
