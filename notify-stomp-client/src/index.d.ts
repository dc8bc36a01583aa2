/**
 * `connecting`: opening a connection; `online`: connected and subscribed (a replay may
 * still be coming in); `offline`: the connection ended, the client reconnects after
 * `retryIn` ms; `stopped`: not started, stopped, or the server refused the token.
 */
export type NotifyState = 'connecting' | 'online' | 'offline' | 'stopped';

/** A notification, as `onMessage` gets it. */
export interface NotifyMessage<P = unknown> {
  /** Unique, time-ordered id (`notify-id`). */
  id: string;
  /** Per-user sequence number of a stored message; `null` for broadcasts and transient messages. */
  seq: number | null;
  /** The message type the server sent it with, e.g. `order-shipped`. */
  type: string;
  /** The payload, parsed from JSON. */
  payload: P;
  /** When the server created it, as ISO-8601 text. */
  createdAt: string;
  /** Whether it came to everyone on the broadcast topic rather than to this user. */
  broadcast: boolean;
}

/** What came with a change of state. */
export interface NotifyStateDetail {
  /** Why the connection ended or the client stopped: the ERROR frame's `message` header when there was one. */
  reason?: string;
  /** With `offline`: milliseconds until the next connection attempt. */
  retryIn?: number;
}

/** A saved position with the server store's epoch it belongs to. */
export interface SavedPosition {
  /** The `seq` up to which every stored message was handled or is known to be gone. */
  seq: number;
  /** The store epoch of `seq` (`notify-epoch`); missing when not known yet. */
  epoch?: string;
}

/**
 * Keeps the position of each user: the `seq` up to which every stored message was handled
 * or is known to be gone, with the server store's epoch. Both methods may return a promise.
 */
export interface PositionStore {
  /**
   * The saved position of a user: a `SavedPosition`, or a plain number (a store that keeps
   * no epoch); `undefined` (read as 0) when there is none.
   */
  get(
    user: string,
  ): SavedPosition | number | undefined | null | Promise<SavedPosition | number | undefined | null>;
  /**
   * Save a user's position and its epoch (`undefined` while not known); called after every
   * handled message, gap and reset. A store that drops `epoch` still works, but then only a
   * position beyond the server's seqs is recognised after a store reset.
   */
  set(user: string, seq: number, epoch?: string): void | Promise<void>;
}

/** What `onReset` is told. */
export interface NotifyReset {
  /** The server store's current epoch; the position is now 0 in it. */
  epoch: string;
  /** The epoch the client had, if it knew one. */
  previousEpoch?: string;
  /** The position the client had, which the server's store never handed out. */
  previousPosition: number;
}

export interface NotifyClientOptions {
  /** The server's STOMP endpoint, e.g. `wss://app.example.com/ws`. */
  url: string;
  /** The bearer token, or a function that returns it; a function is called before every (re)connect. */
  token: string | (() => string | Promise<string>);
  /**
   * Called once per message id; user messages in `seq` order. A stored message is
   * acknowledged only after the returned promise resolves; when it throws or rejects, the
   * message comes again, and the user messages after it wait for it.
   */
  onMessage(message: NotifyMessage): void | Promise<void>;
  /** Stored messages `from`..`to` (by `seq`) were deleted or expired before this client got them. */
  onGap?(from: number, to: number): void;
  /**
   * The server's store started its seqs again (a node with an in-memory store restarted, a
   * table was recreated or restored), or the position was beyond them: the client starts
   * again from position 0 of the new epoch, and the server replays every stored message it
   * has. Messages handled before may come again (those among the last 1000 ids are dropped).
   */
  onReset?(reset: NotifyReset): void;
  /** Called on every change of state. */
  onStateChange?(state: NotifyState, detail: NotifyStateDetail): void;
  /**
   * Called when `onMessage`, `token` or the store throws (with the message, for
   * `onMessage`); the client carries on. Default: `console.warn`.
   */
  onError?(error: unknown, message?: NotifyMessage): void;
  /**
   * Where positions are kept. Default: `localStorage` in browsers, the process's memory
   * in Node (shared by the clients of that process), both keyed by `url` and user.
   */
  store?: PositionStore;
  /**
   * Backoff between reconnects (milliseconds): the n-th attempt in a row waits a random
   * time between a fifth of and all of `min(max, initial * 2^(n-1))`.
   * Default `{ initial: 5000, max: 30000 }`, so 1-5 s after a connection drops.
   */
  reconnectDelay?: { initial?: number; max?: number };
}

export interface NotifyClient {
  /** The current state. */
  readonly state: NotifyState;
  /** Connect, and stay connected until `stop()` or until the server refuses the token. */
  start(): void;
  /**
   * Disconnect and stop reconnecting. Resolves once the connection is closed and no
   * `onMessage` call runs any more; `start()` carries on from the saved position.
   */
  stop(): Promise<void>;
}

/** Create a client; it does nothing until `start()`. */
export function createNotifyClient(options: NotifyClientOptions): NotifyClient;

/** Positions kept in memory, in this object only. */
export function memoryStore(): PositionStore;

/** Positions kept in the browser's `localStorage`, under `prefix + user`. */
export function localStorageStore(prefix?: string): PositionStore;
