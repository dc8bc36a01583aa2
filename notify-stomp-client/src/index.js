/**
 * notify-stomp-client: receives a user's notifications from a notify-stomp server and
 * does the client's part of the delivery guarantees (replay after reconnects, ACK after
 * handling, de-duplication, order by `seq`), in browsers and in Node.
 * @module
 */

import { Client, Versions } from '@stomp/stompjs';
import { defaultStore } from './stores.js';

export { memoryStore, localStorageStore } from './stores.js';

const USER_DESTINATION = '/user/queue/notify';
const BROADCAST_DESTINATION = '/topic/notify';

// ERROR texts that refuse a CONNECT because of its token: asking again would only be
// refused again, and count against the server's throttle of failed CONNECTs
const REFUSED = /^(Invalid token|Token expired|Invalid user id|Access revoked|Missing .* header|Malformed .* header)/;

const RECENT_IDS = 1000;
// beyond this many held messages the later ones are not kept: unacknowledged and behind
// the position, they come again with the replay
const MAX_HELD = 1000;
const CONNECT_TIMEOUT = 15_000;
const STOP_TIMEOUT = 5_000;
const STALL_DELAY = { first: 3_000, max: 60_000 };
const RECONNECT_DELAY = { initial: 5_000, max: 30_000 };

/**
 * @typedef {import('./index.js').NotifyClientOptions} NotifyClientOptions
 * @typedef {import('./index.js').NotifyMessage} NotifyMessage
 * @typedef {import('./index.js').NotifyState} NotifyState
 */

/**
 * Create a client. It does nothing until `start()`.
 * @param {NotifyClientOptions} options
 * @returns {NotifyClient}
 */
export function createNotifyClient(options) {
  return new NotifyClient(options);
}

/**
 * One user's connection to a notify-stomp server, kept up until `stop()`.
 */
class NotifyClient {
  #options;
  #store;
  #reconnect;
  /** @type {NotifyState} */
  #state = 'stopped';
  #running = false;
  // the connection being opened or open; null while waiting to reconnect, or stopped
  #connection = null;
  #retryTimer;
  // connection attempts since the client was last online
  #attempts = 0;
  #user;
  // every stored message up to this seq was handled, or is gone
  #position = 0;
  // the server store's epoch the position belongs to (notify-epoch); undefined until known
  #epoch;
  // ids of the messages handled last, oldest first
  #recent = new Set();
  // stored messages received past a missing seq: seq -> { message, frame }
  #ahead = new Map();
  // frames are handled one at a time, in the order they came
  #queue = Promise.resolve();

  /** @param {NotifyClientOptions} options */
  constructor(options) {
    if (!options?.url) {
      throw new TypeError('notify-stomp-client: options.url is required');
    }
    if (options.token == null) {
      throw new TypeError('notify-stomp-client: options.token is required');
    }
    if (typeof options.onMessage !== 'function') {
      throw new TypeError('notify-stomp-client: options.onMessage must be a function');
    }
    this.#options = options;
    this.#store = options.store ?? defaultStore(options.url);
    this.#reconnect = { ...RECONNECT_DELAY, ...options.reconnectDelay };
  }

  /** @returns {NotifyState} the current state */
  get state() {
    return this.#state;
  }

  /**
   * Connect, and stay connected until `stop()` or until the server refuses the token.
   * Calling it while started does nothing.
   */
  start() {
    if (this.#running) {
      return;
    }
    this.#running = true;
    this.#attempts = 0;
    this.#connect().catch((error) => this.#report(error));
  }

  /**
   * Disconnect and stop reconnecting. Resolves once the connection is closed and no
   * `onMessage` call runs any more; `start()` carries on from the stored position.
   * @returns {Promise<void>}
   */
  async stop() {
    this.#running = false;
    clearTimeout(this.#retryTimer);
    const connection = this.#connection;
    this.#connection = null;
    if (this.#state !== 'stopped') {
      this.#setState('stopped');
    }
    if (connection) {
      clearTimeout(connection.connectTimer);
      clearTimeout(connection.stallTimer);
      if (connection.stomp) {
        await disconnect(connection.stomp);
      }
    }
    await this.#queue;
  }

  async #connect() {
    const connection = { online: false, highestSeq: 0, stallDelay: STALL_DELAY.first };
    this.#connection = connection;
    this.#setState('connecting');
    let WebSocketClass;
    try {
      WebSocketClass = await webSocketClass();
    } catch (error) {
      if (this.#connection === connection) {
        this.#halt(error.message);
      }
      return;
    }
    let token;
    try {
      const source = this.#options.token;
      token = await (typeof source === 'function' ? source() : source);
    } catch (error) {
      if (this.#connection === connection) {
        this.#report(error);
        this.#retry(`Could not get a token: ${error?.message ?? error}`);
      }
      return;
    }
    if (this.#connection !== connection) {
      return; // stopped while the token came
    }
    const url = this.#options.url;
    const stomp = new Client({
      webSocketFactory: () => new WebSocketClass(url, Versions.default.protocolVersions()),
      connectHeaders: { Authorization: `Bearer ${token}` },
      // this client decides when, and whether, to reconnect
      reconnectDelay: 0,
      // a missed heart-beat drops the socket at once instead of waiting for TCP to notice
      discardWebsocketOnCommFailure: true,
      onConnect: (frame) => this.#connected(connection, frame).catch((error) => this.#report(error)),
      onStompError: (frame) => {
        connection.error = frame.headers;
      },
      onWebSocketClose: (event) => this.#closed(connection, event),
    });
    connection.stomp = stomp;
    connection.connectTimer = setTimeout(() => stomp.forceDisconnect(), CONNECT_TIMEOUT);
    stomp.activate();
  }

  async #connected(connection, frame) {
    clearTimeout(connection.connectTimer);
    if (this.#connection !== connection) {
      return;
    }
    // positions are per user, and the token decides who that is
    const user = frame.headers['user-name'] ?? '';
    if (user !== this.#user) {
      let position;
      try {
        position = await this.#store.get(user);
      } catch (error) {
        this.#report(error);
      }
      if (this.#connection !== connection) {
        return;
      }
      this.#user = user;
      const saved = readPosition(position);
      this.#position = saved.seq;
      this.#epoch = saved.epoch;
      this.#recent.clear();
    }
    // held frames belong to the previous session; the replay brings their messages again
    this.#ahead.clear();
    this.#attempts = 0;
    connection.online = true;
    connection.stomp.subscribe(BROADCAST_DESTINATION, (message) => this.#enqueue(connection, message, true));
    this.#subscribeUser(connection);
    this.#setState('online');
  }

  // (re)subscribes from the position: the server first replays every stored message
  // after it, then sends live ones
  #subscribeUser(connection) {
    if (this.#connection !== connection || !connection.stomp.connected) {
      return;
    }
    clearTimeout(connection.stallTimer);
    connection.stallTimer = undefined;
    connection.subscription?.unsubscribe();
    const headers = { ack: 'client-individual', 'notify-since': String(this.#position) };
    if (this.#epoch) {
      headers['notify-epoch'] = this.#epoch;
    }
    connection.subscription = connection.stomp.subscribe(
      USER_DESTINATION,
      (message) => this.#enqueue(connection, message, false),
      headers,
    );
  }

  #enqueue(connection, frame, broadcast) {
    this.#queue = this.#queue
      .then(() => this.#handle(connection, frame, broadcast))
      .catch((error) => this.#report(error));
  }

  async #handle(connection, frame, broadcast) {
    if (this.#connection !== connection) {
      return; // the connection ended; what was not ACKed comes again on the next one
    }
    if (!broadcast && frame.headers['notify-reset'] === 'true') {
      await this.#reset(connection, frame);
      return;
    }
    const message = toMessage(frame, broadcast);
    const epoch = frame.headers['notify-epoch'];
    if (message.seq !== null && epoch && epoch !== this.#epoch) {
      if (this.#epoch === undefined) {
        // the first epoch this client learns; a position beyond the store's seqs was
        // already reset by the server
        this.#epoch = epoch;
      } else {
        // the store's seqs started again while this client was subscribed: subscribing
        // again with the old epoch makes the server reset the position
        this.#subscribeUser(connection);
        return;
      }
    }
    if (message.seq === null) {
      // broadcasts and transient messages are not stored: no order, no ACK, no second try
      if (!this.#recent.has(message.id)) {
        await this.#deliver(message);
      }
      return;
    }
    connection.highestSeq = Math.max(connection.highestSeq, message.seq);
    const gap = frame.headers['notify-gap'];
    if (gap) {
      await this.#skip(gap);
    }
    if (message.seq <= this.#position || this.#recent.has(message.id)) {
      this.#settle(connection, frame, true); // handled before: a redelivery or a replay overlap
    } else if (message.seq > this.#position + 1) {
      if (this.#ahead.size < MAX_HELD || this.#ahead.has(message.seq)) {
        this.#ahead.set(message.seq, { message, frame });
      }
    } else {
      let next = { message, frame };
      while (next && (await this.#handleInOrder(connection, next))) {
        next = this.#ahead.get(this.#position + 1);
        this.#ahead.delete(this.#position + 1);
      }
    }
    if (frame.headers['notify-replay-more'] === 'true') {
      this.#subscribeUser(connection); // the next page of the replay
    } else {
      this.#watchStall(connection);
    }
  }

  // returns whether the next held message may follow
  async #handleInOrder(connection, { message, frame }) {
    if (!(await this.#deliver(message))) {
      this.#settle(connection, frame, false); // NACK: the server sends it again now
      return false;
    }
    await this.#advance(message.seq);
    this.#settle(connection, frame, true);
    connection.stallDelay = STALL_DELAY.first;
    return this.#connection === connection;
  }

  async #deliver(message) {
    try {
      await this.#options.onMessage(message);
    } catch (error) {
      this.#report(error, message);
      return false;
    }
    this.#recent.add(message.id);
    if (this.#recent.size > RECENT_IDS) {
      this.#recent.delete(this.#recent.values().next().value);
    }
    return true;
  }

  // notify-gap "from-to" on a replayed message: those seqs were deleted or expired
  async #skip(gap) {
    const [from, to] = gap.split('-').map(Number);
    if (!(from <= this.#position + 1 && to > this.#position)) {
      return;
    }
    const first = this.#position + 1;
    try {
      this.#options.onGap?.(first, to);
    } catch (error) {
      this.#report(error);
    }
    await this.#advance(to);
  }

  // notify.reset: the position was not one of the server store's current epoch (its seqs
  // started again: a new in-memory store, a recreated or restored table), so the server
  // replays every stored message from seq 1 after this frame
  async #reset(connection, frame) {
    const previous = { epoch: this.#epoch, position: this.#position };
    this.#epoch = frame.headers['notify-epoch'];
    this.#ahead.clear();
    connection.highestSeq = 0;
    await this.#advance(0);
    try {
      this.#options.onReset?.({
        epoch: this.#epoch,
        previousEpoch: previous.epoch,
        previousPosition: previous.position,
      });
    } catch (error) {
      this.#report(error);
    }
  }

  async #advance(seq) {
    this.#position = seq;
    try {
      await this.#store.set(this.#user, seq, this.#epoch);
    } catch (error) {
      this.#report(error);
    }
  }

  // Held messages wait for a missing seq, and a NACKed one for its redelivery: live
  // messages of several senders may overtake each other, and a NACK is answered at once,
  // so that usually takes moments. When it does not (the redeliveries ran out, a relay
  // was lost), a replay from the position fetches what is missing, less often each time.
  #watchStall(connection) {
    if (connection.stallTimer || connection.highestSeq <= this.#position) {
      return;
    }
    connection.stallTimer = setTimeout(() => {
      connection.stallTimer = undefined;
      if (this.#connection === connection && connection.highestSeq > this.#position) {
        connection.stallDelay = Math.min(connection.stallDelay * 2, STALL_DELAY.max);
        this.#subscribeUser(connection);
      }
    }, connection.stallDelay);
  }

  #settle(connection, frame, handled) {
    if (this.#connection !== connection || !frame.headers.ack || !connection.stomp.connected) {
      return; // an ACK counts only in the session that got the message
    }
    try {
      if (handled) {
        frame.ack();
      } else {
        frame.nack();
      }
    } catch (error) {
      this.#report(error); // the socket closed meanwhile; the server sends it again
    }
  }

  #closed(connection, event) {
    clearTimeout(connection.connectTimer);
    clearTimeout(connection.stallTimer);
    if (this.#connection !== connection) {
      return;
    }
    const error = connection.error;
    const reason = error?.message ?? `Connection closed (${event?.code ?? 'no code'})`;
    if (error && !connection.online && REFUSED.test(reason)) {
      this.#halt(reason);
    } else {
      this.#retry(reason, error?.['notify-reconnect-after']);
    }
  }

  // a node that shuts down tells its clients when to come back (notify-reconnect-after,
  // already spread by the server); otherwise an exponential backoff with jitter, so that
  // the clients of a node that went away do not all come back at once
  #retry(reason, reconnectAfter) {
    this.#connection = null;
    this.#attempts++;
    const told = Number.parseInt(reconnectAfter, 10);
    const window = Math.min(this.#reconnect.max, this.#reconnect.initial * 2 ** (this.#attempts - 1));
    const delay = told >= 0 ? told : Math.round(window * (0.2 + 0.8 * Math.random()));
    this.#retryTimer = setTimeout(() => this.#connect().catch((error) => this.#report(error)), delay);
    this.#setState('offline', { reason, retryIn: delay });
  }

  #halt(reason) {
    this.#running = false;
    this.#connection = null;
    this.#setState('stopped', { reason });
  }

  #setState(state, detail = {}) {
    this.#state = state;
    try {
      this.#options.onStateChange?.(state, detail);
    } catch (error) {
      this.#report(error);
    }
  }

  #report(error, message) {
    const onError = this.#options.onError ?? ((e) => console.warn('notify-stomp-client:', e));
    try {
      onError(error, message);
    } catch {
      // an error handler that fails has nobody left to tell
    }
  }
}

// a store gives a position as a number (older stores, and stores that keep no epoch) or as
// { seq, epoch }
function readPosition(saved) {
  if (saved !== null && typeof saved === 'object') {
    return { seq: Number(saved.seq) || 0, epoch: saved.epoch || undefined };
  }
  return { seq: Number(saved) || 0, epoch: undefined };
}

function toMessage(frame, broadcast) {
  const body = JSON.parse(frame.body);
  const seq = frame.headers['notify-seq'];
  return {
    id: frame.headers['notify-id'] ?? body.id,
    seq: seq === undefined ? null : Number(seq),
    type: body.type,
    payload: body.payload,
    createdAt: body.createdAt,
    broadcast,
  };
}

// Browsers and Node 22+ have a WebSocket; Node 20 needs the ws package. The module name is
// a variable so that bundlers leave ws out of browser builds.
async function webSocketClass() {
  if (typeof globalThis.WebSocket === 'function') {
    return globalThis.WebSocket;
  }
  const name = 'ws';
  try {
    const ws = await import(/* webpackIgnore: true */ /* @vite-ignore */ name);
    return ws.WebSocket ?? ws.default;
  } catch (error) {
    throw new Error("notify-stomp-client: no WebSocket in this runtime, install the 'ws' package", {
      cause: error,
    });
  }
}

// deactivate() waits for the RECEIPT of the DISCONNECT and for the socket to close; a
// connection that died without telling would keep it waiting
async function disconnect(stomp) {
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(resolve, STOP_TIMEOUT, true);
  });
  const late = await Promise.race([stomp.deactivate().then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) {
    await stomp.deactivate({ force: true });
  }
}
