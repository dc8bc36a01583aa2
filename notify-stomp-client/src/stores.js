/**
 * Where a client keeps its position: the `seq` up to which every stored message of a
 * user was handled (or is known to be gone). The client subscribes with
 * `notify-since: <position>` after every (re)connect, so the server replays exactly what
 * came after it. The position is kept with the server store's epoch (`notify-epoch`), the
 * generation of its seqs, which the client sends back as `notify-epoch`.
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
    set: (user, seq, epoch) => {
      positions.set(user, epoch ? { seq, epoch } : seq);
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
    // "<seq>" or "<seq>@<epoch>" (an epoch has no "@")
    get: (user) => {
      const value = localStorage.getItem(prefix + user);
      if (value === null) {
        return undefined;
      }
      const at = value.indexOf('@');
      return at < 0 ? Number(value) : { seq: Number(value.slice(0, at)), epoch: value.slice(at + 1) };
    },
    set: (user, seq, epoch) => {
      localStorage.setItem(prefix + user, epoch ? `${seq}@${epoch}` : String(seq));
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
    set: (user, seq, epoch) => processPositions.set(`${url} ${user}`, seq, epoch),
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
