// A store reset: the node restarts with a new in-memory store (the sample's H2 in memory),
// so the server's seqs start again at 1 while the client still holds its old position.
// The server tells the client (notify.reset) instead of muting it until the new seqs pass
// the old position.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { recordingClient } from './support/recorder.js';
import { newUser, startSample, waitFor } from './support/sample.js';

test('after a restart with a new store, the client is reset and gets the new messages from seq 1', async (t) => {
  let node = await startSample();
  t.after(() => node.stop());

  const user = newUser('reset');
  const resets = [];
  const record = recordingClient({ url: node.url, token: (name) => node.token(name) }, user, {
    onReset: (reset) => resets.push(reset),
  });
  t.after(() => record.client.stop());

  record.client.start();
  for (const text of ['before 1', 'before 2', 'before 3']) {
    await node.send('sender', user, text);
  }
  await waitFor(() => record.has('before 3'), 'the messages before the restart');

  await node.stop();
  node = await startSample({ port: node.port });
  await node.send('sender', user, 'after 1');
  await node.send('sender', user, 'after 2');
  await waitFor(() => record.has('after 2'), 'the messages of the new store');

  assert.deepEqual(record.texts(), ['before 1', 'before 2', 'before 3', 'after 1', 'after 2']);
  assert.deepEqual(record.messages.map((m) => m.seq), [1, 2, 3, 1, 2]);
  assert.equal(resets.length, 1);
  assert.equal(resets[0].previousPosition, 3);
  assert.ok(resets[0].previousEpoch, 'the client knew the old epoch');
  assert.notEqual(resets[0].epoch, resets[0].previousEpoch);
});
