// The notify-stomp sample page: sign in, load the stored history over REST, then connect
// with the token in the CONNECT frame and subscribe with notify-since set to the newest
// message loaded, so that nothing falls between history and live messages. User messages
// are acknowledged; after a reconnect they are replayed from the last one received.
(function () {
	'use strict';

	const state = { user: null, token: null, expiresAt: 0, client: null, lastSeq: 0, seen: new Set() };
	const $ = (id) => document.getElementById(id);

	function setStatus(text, kind) {
		$('status').textContent = text;
		$('status').dataset.state = kind;
	}

	async function fetchToken(user) {
		const response = await fetch('/api/demo/token', {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ user: user })
		});
		const body = await response.json();
		if (!response.ok) {
			throw new Error(body.error || response.statusText);
		}
		state.token = body.token;
		state.expiresAt = Date.parse(body.expiresAt);
	}

	function api(path, options) {
		const request = Object.assign({ headers: {} }, options);
		request.headers = Object.assign({ Authorization: 'Bearer ' + state.token }, request.headers);
		return fetch(path, request);
	}

	async function loadHistory() {
		const response = await api('/api/notifications?limit=50');
		if (!response.ok) {
			return;
		}
		const page = await response.json();
		for (const item of page.messages.slice().reverse()) {
			show(item, 'user', item.read);
			state.lastSeq = Math.max(state.lastSeq, item.seq);
		}
	}

	async function refreshUnread() {
		const response = await api('/api/notifications/unread-count');
		if (response.ok) {
			$('unread').textContent = (await response.json()).unread;
		}
	}

	function connect() {
		const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
		const client = new StompJs.Client({
			brokerURL: scheme + location.host + '/ws',
			heartbeatIncoming: 10000,
			heartbeatOutgoing: 10000,
			// reconnect with jitter, so that clients of a node that went away do not all come back at once
			reconnectDelay: 1000 + Math.floor(Math.random() * 2000),
			beforeConnect: async () => {
				if (Date.now() > state.expiresAt - 30000) {
					await fetchToken(state.user);
				}
				client.connectHeaders = { Authorization: 'Bearer ' + state.token };
			},
			onConnect: () => {
				setStatus('connected', 'connected');
				subscribeUser(client);
				client.subscribe('/topic/notify', (message) => show(JSON.parse(message.body), 'broadcast'));
			},
			onStompError: (frame) => setStatus(frame.headers.message || 'error', 'error'),
			onWebSocketClose: () => {
				if (state.client === client) {
					setStatus('reconnecting', 'offline');
				}
			}
		});
		state.client = client;
		client.activate();
	}

	function subscribeUser(client) {
		// notify-since asks for every stored message after the last one seen, then live ones
		const subscription = client.subscribe('/user/queue/notify', (message) => {
			const notification = JSON.parse(message.body);
			if (notification.type === 'notify.read') {
				markShownRead(notification.payload && notification.payload.ids);
			}
			else {
				show(notification, 'user', false);
			}
			if (notification.seq && notification.seq > state.lastSeq) {
				state.lastSeq = notification.seq;
			}
			if (message.headers.ack) {
				message.ack();
			}
			if (message.headers['notify-replay-more'] === 'true') {
				subscription.unsubscribe();
				subscribeUser(client);
			}
		}, { ack: 'client-individual', 'notify-since': String(state.lastSeq) });
	}

	function show(notification, kind, read) {
		if (state.seen.has(notification.id)) {
			return;
		}
		state.seen.add(notification.id);
		const payload = notification.payload || {};
		const item = document.createElement('li');
		item.className = kind + (kind === 'user' && !read ? ' unread' : '');
		item.dataset.id = notification.id;
		item.dataset.kind = kind;
		const text = document.createElement('span');
		text.className = 'text';
		text.textContent = (typeof payload === 'object') ? (payload.text || JSON.stringify(payload)) : String(payload);
		const meta = document.createElement('span');
		meta.className = 'meta';
		meta.textContent = 'from ' + (payload.from || 'the server') + ' \u00b7 ' + new Date(notification.createdAt).toLocaleTimeString()
			+ (notification.seq ? ' \u00b7 #' + notification.seq : '');
		item.append(text, meta);
		$('notifications').prepend(item);
		if (kind === 'user') {
			refreshUnread();
		}
	}

	function markShownRead(ids) {
		for (const id of ids || []) {
			const item = document.querySelector('#notifications li[data-id="' + CSS.escape(id) + '"]');
			if (item) {
				item.classList.remove('unread');
			}
		}
		refreshUnread();
	}

	async function markAllRead() {
		const ids = Array.from(document.querySelectorAll('#notifications li.unread')).map((item) => item.dataset.id);
		if (ids.length === 0) {
			return;
		}
		const response = await api('/api/notifications/read', {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ ids: ids })
		});
		if (response.ok) {
			markShownRead(ids);
		}
	}

	async function send(event) {
		event.preventDefault();
		const to = $('to').value.trim();
		const response = await api('/api/notifications', {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ to: to || null, type: 'text', payload: { text: $('text').value } })
		});
		const body = await response.json();
		$('send-result').textContent = response.ok ? 'sent' : (body.error || 'failed');
		if (response.ok) {
			$('text').value = '';
		}
	}

	async function signIn(event) {
		event.preventDefault();
		const user = $('user').value.trim();
		try {
			await fetchToken(user);
		}
		catch (error) {
			setStatus(error.message, 'error');
			return;
		}
		state.user = user;
		state.lastSeq = 0;
		$('me').textContent = user;
		$('login-panel').hidden = true;
		$('app-panel').hidden = false;
		setStatus('connecting', 'offline');
		await loadHistory();
		await refreshUnread();
		connect();
	}

	async function signOut() {
		const client = state.client;
		state.client = null;
		if (client) {
			await client.deactivate();
		}
		state.seen.clear();
		$('notifications').replaceChildren();
		$('unread').textContent = '0';
		$('app-panel').hidden = true;
		$('login-panel').hidden = false;
		setStatus('signed out', 'offline');
	}

	$('login-form').addEventListener('submit', signIn);
	$('send-form').addEventListener('submit', send);
	$('mark-read').addEventListener('click', markAllRead);
	$('logout').addEventListener('click', signOut);
}());
