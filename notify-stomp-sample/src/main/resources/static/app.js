// The notify-stomp sample page: sign in, load the stored history over REST, then receive
// live notifications with notify-stomp-client, which connects with the token, replays what
// came after the newest message loaded, acknowledges, de-duplicates and reconnects.
import { createNotifyClient } from 'notify-stomp-client';

const state = { user: null, token: null, expiresAt: 0, client: null, lastSeq: 0 };
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
	const client = createNotifyClient({
		url: scheme + location.host + '/ws',
		token: async () => {
			if (Date.now() > state.expiresAt - 30000) {
				await fetchToken(state.user);
			}
			return state.token;
		},
		// the position starts at the newest message of the history, so that the replay
		// brings exactly what came after it; it lives as long as the page
		store: {
			get: () => state.lastSeq,
			set: (user, seq) => {
				state.lastSeq = seq;
			}
		},
		onMessage: (notification) => {
			if (notification.type === 'notify.read') {
				markShownRead(notification.payload && notification.payload.ids);
			}
			else {
				show(notification, notification.broadcast ? 'broadcast' : 'user', false);
			}
		},
		onStateChange: (clientState, detail) => {
			if (state.client !== client) {
				return;
			}
			if (clientState === 'online') {
				setStatus('connected', 'connected');
			}
			else if (clientState === 'stopped') {
				setStatus(detail.reason || 'stopped', 'error');
			}
			else {
				setStatus(clientState === 'offline' ? 'reconnecting' : 'connecting', 'offline');
			}
		}
	});
	state.client = client;
	client.start();
}

function show(notification, kind, read) {
	const payload = notification.payload || {};
	const item = document.createElement('li');
	item.className = kind + (kind === 'user' && !read ? ' unread' : '');
	item.dataset.id = notification.id;
	item.dataset.kind = kind;
	const text = document.createElement('span');
	text.className = 'text';
	// the sample's API puts a payload that is not an object under "value", beside "from"
	const body = (payload && typeof payload === 'object' && 'value' in payload) ? payload.value : payload;
	text.textContent = (body && typeof body === 'object') ? (body.text || JSON.stringify(body)) : String(body);
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
		await client.stop();
	}
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
