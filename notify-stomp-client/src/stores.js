/**
 * Where a client keeps its position: the `seq` up to which every stored message of a
 * user was handled (or is known to be gone). The client subscribes with
 * `notify-since: <position>` after every (re)connect, so the server replays exactly what
 * came after it.
 * @module
 */

/**
 * Positions in this object only; they last as long as it does.
 * @returns {import('./index.js').PositionStore}
 */
export function memoryStore() {
  const positions = new Map();
  return {
    get: (user) => positions.get(user),
    set: (user, seq) => {
      positions.set(user, seq);
    },
  };
}

/**
 * Positions in the browser's `localStorage`, one entry per user under `prefix + user`,
 * so a page that is reloaded, or opened again tomorrow, carries on where it stopped.
 * @param {string} [prefix]
 * @returns {import('./index.js').PositionStore}
 */
export function localStorageStore(prefix = 'notify-stomp-client:') {
  return {
    get: (user) => {
      const value = localStorage.getItem(prefix + user);
      return value === null ? undefined : Number(value);
    },
    set: (user, seq) => {
      localStorage.setItem(prefix + user, String(seq));
    },
  };
}

// shared by the clients of one Node process, the way localStorage is shared by the pages
// of one browser: a client created again for the same server and user carries on
const processPositions = memoryStore();

/**
 * The store a client uses when it is given none: `localStorage` where there is one, else
 * the process's memory; keyed by server URL and user.
 * @param {string} url
 * @returns {import('./index.js').PositionStore}
 */
export function defaultStore(url) {
  if (hasLocalStorage()) {
    return localStorageStore(`notify-stomp-client:${url}:`);
  }
  return {
    get: (user) => processPositions.get(`${url} ${user}`),
    set: (user, seq) => processPositions.set(`${url} ${user}`, seq),
  };
}

function hasLocalStorage() {
  try {
    return typeof window !== 'undefined' && window.localStorage != null;
  } catch {
    // a sandboxed frame or blocked storage throws on access
    return false;
  }
}
