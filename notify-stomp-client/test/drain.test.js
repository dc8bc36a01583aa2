// A rolling restart: the node the client is connected to shuts down (SIGTERM: it drains and
// tells its clients when to reconnect), and another node comes up in its place, on the same
// address and with the same message store (an H2 file), the way a load balancer would
// hand the client to another node of a cluster.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { recordingClient } from './support/recorder.js';
import { newUser, startSample, waitFor } from './support/sample.js';

const RECONNECT_WINDOW = 3000;

test('a draining node tells the client when to reconnect; it comes back on the next node and replays what it missed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'notify-stomp-client-drain-'));
  const args = [
    `--spring.datasource.url=jdbc:h2:file:${join(dir, 'store')};DB_CLOSE_ON_EXIT=FALSE`,
    `--notify.stomp.shutdown.reconnect-window=${RECONNECT_WINDOW}ms`,
  ];
  let node = await startSample({ args });
  t.after(async () => {
    await node.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const user = newUser('drain');
  const changes = [];
  const record = recordingClient({ url: node.url, token: (name) => node.token(name) }, user, {
    onStateChange: (state, detail) => changes.push({ state, ...detail, at: performance.now() }),
  });
  t.after(() => record.client.stop());

  record.client.start();
  await node.send('sender', user, 'before');
  await waitFor(() => record.has('before'), 'the first message');

  await node.stop();
  node = await startSample({ port: node.port, args });
  await node.send('sender', user, 'missed 1');
  await node.send('sender', user, 'missed 2');
  await waitFor(() => record.has('missed 2'), 'the messages sent while the client was away');
  await node.send('sender', user, 'after');
  await waitFor(() => record.has('after'), 'the live message on the new node');

  assert.deepEqual(record.texts(), ['before', 'missed 1', 'missed 2', 'after']);
  const drained = changes.findIndex((change) => change.state === 'offline');
  const told = changes[drained];
  assert.equal(told.reason, 'Server is shutting down, reconnect');
  assert.ok(Number.isInteger(told.retryIn) && told.retryIn <= RECONNECT_WINDOW, `retryIn ${told.retryIn}`);
  // the client waited as long as it was told before it tried again (with a margin: Node's
  // timers count from the event loop's clock, which may lag the real one by the current task)
  const next = changes[drained + 1];
  assert.equal(next.state, 'connecting');
  assert.ok(next.at - told.at >= told.retryIn - 50, `reconnected after ${next.at - told.at} ms, told ${told.retryIn}`);
  assert.equal(changes.at(-1).state, 'online');
});
