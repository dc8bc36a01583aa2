// A client whose callbacks record everything they are told.

import { createNotifyClient } from 'notify-stomp-client';

/**
 * @param {{ url: string, token: (user: string) => Promise<string> }} node
 * @param {string} user
 * @param {object} [options] overrides of the client's options
 */
export function recordingClient(node, user, options = {}) {
  const record = {
    messages: [],
    states: [],
    gaps: [],
    errors: [],
    texts: () => record.messages.map((message) => message.payload.text),
    has: (text) => record.messages.some((message) => message.payload.text === text),
    lastState: () => record.states.at(-1),
  };
  record.client = createNotifyClient({
    url: node.url,
    token: () => node.token(user),
    onMessage: (message) => {
      record.messages.push(message);
    },
    onGap: (from, to) => record.gaps.push([from, to]),
    onStateChange: (state, detail) => record.states.push({ state, ...detail }),
    onError: (error) => record.errors.push(error),
    // quick reconnects keep the tests short; the defaults are for real traffic
    reconnectDelay: { initial: 200, max: 1000 },
    ...options,
  });
  return record;
}
