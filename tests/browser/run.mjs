// Entry point of the browser suite (tests/run.sh calls `node tests/browser/run.mjs`).
// Starts its own demo server on a free port with a throw-away data directory,
// runs every tests/browser/*.test.mjs one file at a time with node:test,
// stops the server and ends with the line "N passed, N failed" (test cases),
// exiting non-zero on any failure.
//
//   node tests/browser/run.mjs [NAME ...]   only the files whose names contain a NAME
//
//   PINGAN_BIN  the server binary (default ./pingan)
//   CHROMIUM    the browser (default /usr/bin/chromium)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const binary = path.resolve(root, process.env.PINGAN_BIN || './pingan');
const STARTUP_TIMEOUT_MS = 60_000; // a sanitizer build starts slowly
const TEST_TIMEOUT_MS = 120_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The tests sign in far more often than a person would: lift the sign-in
// rate limit, and serve web/ from this checkout whatever the binary's path.
function writeConfig(dataDir) {
  const file = path.join(dataDir, 'browser-tests.conf');
  fs.writeFileSync(file, [
    `share_dir = ${root}`,
    'signin_rate_per_minute = 10000',
    'log_level = warn',
    '',
  ].join('\n'));
  return file;
}

async function waitForHealth(url, server) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`the server exited with status ${server.exitCode}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok)
        return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server did not answer /healthz within ${STARTUP_TIMEOUT_MS / 1000} s`);
}

async function startServer() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-browser-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(dataDir, 'server.log'), 'w');
  const server = spawn(binary, ['demo', '--config', writeConfig(dataDir), '--data-dir', path.join(dataDir, 'data'),
    '--listen', `127.0.0.1:${port}`], { cwd: root, stdio: ['ignore', log, log] });
  server.on('error', () => {}); // reported through exitCode / waitForHealth
  try {
    await waitForHealth(url, server);
  } catch (err) {
    server.kill('SIGKILL');
    process.stderr.write(fs.readFileSync(path.join(dataDir, 'server.log'), 'utf8').slice(-4000));
    throw err;
  }
  return { server, url, dataDir };
}

function stopServer({ server, dataDir }) {
  return new Promise((resolve) => {
    const done = () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve();
    };
    if (server.exitCode !== null)
      return done();
    const killer = setTimeout(() => server.kill('SIGKILL'), 5000);
    server.once('exit', () => { clearTimeout(killer); done(); });
    server.kill('SIGTERM');
  });
}

// Counts top-level test cases (nesting 0) as they finish; a file that
// fails to load counts as one failed case under its own name.
async function runTests(files, signal) {
  const counts = { passed: 0, failed: 0 };
  const stream = run({ files, concurrency: 1, timeout: TEST_TIMEOUT_MS, signal });
  stream.on('test:pass', (event) => {
    if (event.nesting === 0 && !event.skip && !event.todo && event.details.type !== 'suite')
      counts.passed++;
  });
  stream.on('test:fail', (event) => {
    if (event.nesting === 0 && event.details.type !== 'suite')
      counts.failed++;
  });
  await new Promise((resolve, reject) => {
    const output = stream.compose(spec);
    output.pipe(process.stdout, { end: false });
    output.on('end', resolve);
    output.on('error', reject);
  });
  return counts;
}

async function main() {
  if (!fs.existsSync(path.join(root, 'node_modules', 'playwright-core'))) {
    console.log('browser tests need node_modules: run `make web` first');
    console.log('0 passed, 1 failed');
    return 1;
  }
  if (!fs.existsSync(binary)) {
    console.log(`no server binary at ${binary} (set PINGAN_BIN)`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const only = process.argv.slice(2);
  const files = fs.readdirSync(here).filter((name) => name.endsWith('.test.mjs'))
    .filter((name) => only.length === 0 || only.some((part) => name.includes(part))).sort()
    .map((name) => path.join(here, name));
  let target;
  try {
    target = await startServer();
  } catch (err) {
    console.log(`could not start the server: ${err.message}`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  process.env.PINGAN_URL = target.url;
  // Never leave a server or a test process behind, even when the run
  // itself is interrupted: aborting the run ends the test files' processes.
  const stop = () => target.server.kill('SIGKILL');
  const aborter = new AbortController();
  process.on('exit', stop);
  for (const name of ['SIGINT', 'SIGTERM']) {
    process.once(name, () => {
      aborter.abort(); // the run ends, and the finally below cleans up
      setTimeout(() => process.exit(130), 10_000).unref();
    });
  }
  let counts;
  try {
    counts = await runTests(files, aborter.signal);
  } finally {
    await stopServer(target);
    process.off('exit', stop);
  }
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  return counts.failed === 0 && counts.passed > 0 ? 0 : 1;
}

process.exitCode = await main();
