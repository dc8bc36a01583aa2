// The client against a real notify-stomp server: the repository's sample app, started here
// with a small replay limit so that a replay takes several pages. Every test has its own
// users, so the tests share the node without seeing each other's messages.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

import { recordingClient } from './support/recorder.js';
import { newUser, startSample, waitFor, WAIT } from './support/sample.js';

const REPLAY_LIMIT = 5;

let node;

before(async () => {
  node = await startSample({ args: [`--notify.stomp.delivery.replay-limit=${REPLAY_LIMIT}`] });
});

after(async () => {
  await node?.stop();
});

test('live user messages and broadcasts reach onMessage, broadcasts marked as such', async (t) => {
  const user = newUser('live');
  const record = recordingClient(node, user);
  t.after(() => record.client.stop());

  record.client.start();
  const sent = await node.send('sender', user, 'hello');
  await waitFor(() => record.has('hello'), 'the user message');
  // a broadcast is not stored: one sent before the server has taken the client's SUBSCRIBE
  // (frames of a session may be processed out of order) reaches nobody, so send until one does
  const deadline = Date.now() + WAIT;
  while (!record.has(`everyone ${user}`) && Date.now() < deadline) {
    await node.broadcast('sender', `everyone ${user}`);
    await sleep(250);
  }
  await waitFor(() => record.has(`everyone ${user}`), 'the broadcast');

  const [message, broadcast] = record.messages.filter((m) => m.id === sent.id || m.broadcast);
  assert.deepEqual(message, {
    id: sent.id,
    seq: sent.seq,
    type: 'text',
    payload: { text: 'hello', from: 'sender' },
    createdAt: message.createdAt,
    broadcast: false,
  });
  assert.ok(!Number.isNaN(Date.parse(message.createdAt)), `createdAt ${message.createdAt}`);
  assert.equal(broadcast.broadcast, true);
  assert.equal(broadcast.seq, null);
  assert.deepEqual(record.states.slice(0, 2), [{ state: 'connecting' }, { state: 'online' }]);
  assert.deepEqual(record.errors, []);
});

test('messages sent while stopped come after start, exactly those, in order, once', async (t) => {
  const user = newUser('stopped');
  const record = recordingClient(node, user);
  t.after(() => record.client.stop());

  record.client.start();
  await node.send('sender', user, 'before');
  await waitFor(() => record.has('before'), 'the first message');
  await record.client.stop();
  assert.equal(record.client.state, 'stopped');

  for (const text of ['missed 1', 'missed 2', 'missed 3']) {
    await node.send('sender', user, text);
  }
  record.client.start();
  await waitFor(() => record.has('missed 3'), 'the missed messages');
  // a live message after the replay: anything doubled would have come before it
  await node.send('sender', user, 'after');
  await waitFor(() => record.has('after'), 'the live message after the replay');

  assert.deepEqual(record.texts(), ['before', 'missed 1', 'missed 2', 'missed 3', 'after']);
  assert.deepEqual(record.messages.map((m) => m.seq), [1, 2, 3, 4, 5]);
});

test('after the server drops the connection the client reconnects with a fresh token and replays what it missed', async (t) => {
  const user = newUser('dropped');
  let tokens = 0;
  let gate;
  const record = recordingClient(node, user, {
    token: async () => {
      tokens++;
      await gate?.promise;
      return node.token(user);
    },
  });
  t.after(() => record.client.stop());

  record.client.start();
  await node.send('sender', user, 'before');
  await waitFor(() => record.has('before'), 'the first message');

  // hold the reconnect in the token function while three messages are sent
  gate = deferred();
  await node.disconnect(user);
  await waitFor(() => tokens === 2, 'the token request of the reconnect');
  for (const text of ['missed 1', 'missed 2', 'missed 3']) {
    await node.send('sender', user, text);
  }
  gate.resolve();
  await waitFor(() => record.has('missed 3'), 'the missed messages');
  await node.send('sender', user, 'after');
  await waitFor(() => record.has('after'), 'the live message after the replay');

  assert.deepEqual(record.texts(), ['before', 'missed 1', 'missed 2', 'missed 3', 'after']);
  const offline = record.states.find((s) => s.state === 'offline');
  assert.equal(offline.reason, 'Disconnected by the server');
  assert.ok(offline.retryIn >= 0 && offline.retryIn <= 200, `retryIn ${offline.retryIn}`);
  assert.equal(record.lastState().state, 'online');
});

test('a message whose handler throws comes again, and the ones after it wait for it', async (t) => {
  const user = newUser('throws');
  const attempts = [];
  const handled = [];
  const record = recordingClient(node, user, {
    onMessage: (message) => {
      attempts.push(message.payload.text);
      if (message.payload.text === 'first' && attempts.length === 1) {
        throw new Error('handler failed');
      }
      handled.push(message.payload.text);
    },
  });
  t.after(() => record.client.stop());

  record.client.start();
  await waitFor(() => record.client.state === 'online', 'online');
  for (const text of ['first', 'second', 'third']) {
    await node.send('sender', user, text);
  }
  await waitFor(() => handled.length === 3, 'three handled messages');
  await node.send('sender', user, 'after');
  await waitFor(() => handled.includes('after'), 'the message after');

  assert.deepEqual(handled, ['first', 'second', 'third', 'after']);
  assert.deepEqual(attempts.filter((text) => text === 'first'), ['first', 'first']);
  assert.deepEqual(record.errors.map((error) => error.message), ['handler failed']);
});

test('a message whose handler throws more often than the server redelivers comes again with a replay', async (t) => {
  const user = newUser('keeps-throwing');
  // the first delivery and the server's redeliveries (notify.stomp.delivery.max-attempts, 3)
  const failures = 4;
  let attempts = 0;
  const handled = [];
  const record = recordingClient(node, user, {
    onMessage: (message) => {
      if (message.payload.text === 'first' && ++attempts <= failures) {
        throw new Error('handler failed');
      }
      handled.push(message.payload.text);
    },
  });
  t.after(() => record.client.stop());

  record.client.start();
  await waitFor(() => record.client.state === 'online', 'online');
  await node.send('sender', user, 'first');
  await node.send('sender', user, 'second');
  await waitFor(() => handled.length === 2, 'both messages handled');

  assert.deepEqual(handled, ['first', 'second']);
  assert.equal(attempts, failures + 1);
  assert.equal(record.client.state, 'online');
});

test('stored messages that were deleted are reported as a gap, and the client carries on after it', async (t) => {
  const user = newUser('gap');
  const record = recordingClient(node, user);
  t.after(() => record.client.stop());

  record.client.start();
  await node.send('sender', user, 'one');
  await waitFor(() => record.has('one'), 'the first message');
  await record.client.stop();

  const two = await node.send('sender', user, 'two');
  const three = await node.send('sender', user, 'three');
  await node.send('sender', user, 'four');
  await node.remove(user, two.id);
  await node.remove(user, three.id);
  record.client.start();
  await waitFor(() => record.has('four'), 'the message after the gap');
  await node.send('sender', user, 'five');
  await waitFor(() => record.has('five'), 'the live message after it');

  assert.deepEqual(record.gaps, [[two.seq, three.seq]]);
  assert.deepEqual(record.texts(), ['one', 'four', 'five']);
});

test(`a replay longer than the replay limit (${REPLAY_LIMIT}) is fetched page by page, from 0 on the first connection`, async (t) => {
  const user = newUser('paged');
  const texts = Array.from({ length: 3 * REPLAY_LIMIT - 2 }, (_, i) => `stored ${i + 1}`);
  for (const text of texts) {
    await node.send('sender', user, text);
  }
  const record = recordingClient(node, user);
  t.after(() => record.client.stop());

  record.client.start();
  await waitFor(() => record.has(texts.at(-1)), 'the last stored message');
  await node.send('sender', user, 'live');
  await waitFor(() => record.has('live'), 'the live message after the replay');

  assert.deepEqual(record.texts(), [...texts, 'live']);
});

test('a refused token stops the client with the reason, without a second try', async (t) => {
  let tokens = 0;
  const record = recordingClient(node, newUser('refused'), {
    token: () => {
      tokens++;
      return 'not-a-token';
    },
  });
  t.after(() => record.client.stop());

  record.client.start();
  await waitFor(() => record.client.state === 'stopped', 'the client to stop');

  assert.deepEqual(record.states, [{ state: 'connecting' }, { state: 'stopped', reason: 'Invalid token' }]);
  assert.equal(tokens, 1);
});

function deferred() {
  let resolve;
  const promise = new Promise((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
