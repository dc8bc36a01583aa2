// Runs the repository's sample app (a real notify-stomp server) as a child process, and
// talks to its REST API: demo tokens, send, delete, disconnect a user.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const JAR = fileURLToPath(new URL('../../../notify-stomp-sample/target/notify-stomp-sample.jar', import.meta.url));

const BUILD =
  'mvn -q -B -DskipTests package -pl notify-stomp-autoconfigure,notify-stomp-starter,notify-stomp-sample';

export const WAIT = 60_000;

// the sample protects Actuator with its admin user; the tests give it this password
const ADMIN_PASSWORD = 'client-tests-admin-password';

/**
 * Start a sample node and wait until it serves.
 * @param {object} [options]
 * @param {number} [options.port] 0 (the default) for a free one
 * @param {string[]} [options.args] further --property=value arguments
 */
export async function startSample({ port = 0, args = [] } = {}) {
  if (!existsSync(JAR)) {
    throw new Error(`The sample app is not built: ${JAR} is missing. Build it from the repository root with: ${BUILD}`);
  }
  const child = spawn(
    'java',
    ['-XX:TieredStopAtLevel=1', '-jar', JAR, `--server.port=${port}`, '--spring.main.banner-mode=off',
      `--spring.security.user.password=${ADMIN_PASSWORD}`, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const started = new Promise((resolve, reject) => {
    const read = (chunk) => {
      log += chunk;
      const match = /Tomcat started on port (\d+)/.exec(log);
      if (match && /Started SampleApplication/.test(log)) {
        resolve(Number(match[1]));
      }
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', read);
    exited.then((code) => reject(new Error(`The sample app exited (${code}) before it started:\n${log.slice(-4000)}`)));
  });
  const startup = new AbortController();
  const timeout = sleep(120_000, undefined, { signal: startup.signal }).then(() => {
    throw new Error(`The sample app did not start within 120 s:\n${log.slice(-4000)}`);
  });
  let actualPort;
  try {
    actualPort = await Promise.race([started, timeout]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    startup.abort();
    timeout.catch(() => {}); // aborted
  }
  const http = `http://127.0.0.1:${actualPort}`;
  return {
    port: actualPort,
    url: `ws://127.0.0.1:${actualPort}/ws`,
    /** SIGTERM: the node drains (ERROR frames with notify-reconnect-after), then exits. */
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
      }
      await exited;
    },
    log: () => log,
    token: (user) => token(http, user),
    send: (from, to, text) => send(http, from, to, text),
    broadcast: (from, text) => send(http, from, null, text),
    remove: (user, id) => remove(http, user, id),
    disconnect: (user) => disconnect(http, user),
  };
}

async function token(http, user) {
  const body = await call(http, 'POST', '/api/demo/token', null, { user });
  return body.token;
}

async function send(http, from, to, text) {
  return call(http, 'POST', '/api/notifications', await token(http, from), { to, type: 'text', payload: { text } });
}

async function remove(http, user, id) {
  await call(http, 'DELETE', `/api/notifications/${encodeURIComponent(id)}`, await token(http, user));
}

// the admin endpoint closes every session of the user (with an ERROR frame); it takes the
// sample's admin user and a JSON body
async function disconnect(http, user) {
  const admin = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
  await call(http, 'POST', `/actuator/notifystomp/users/${encodeURIComponent(user)}`, admin,
    { refuseReconnectsFor: '0s' });
}

async function call(http, method, path, authorization, body) {
  const headers = {};
  if (authorization) {
    headers.Authorization = authorization.startsWith('Basic ') ? authorization : `Bearer ${authorization}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(http + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
  return response.status === 204 ? null : response.json();
}

/**
 * Wait until a condition holds.
 * @param {() => unknown} condition
 * @param {string} what what is awaited, for the failure message
 */
export async function waitFor(condition, what, timeout = WAIT) {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    }
    await sleep(25);
  }
}

/** A unique user name, so that tests on one node do not see each other's messages. */
export function newUser(name) {
  return `${name}-${Math.random().toString(36).slice(2, 8)}`;
}
