// The chat page of the sample assistant. It talks to two APIs of the same server:
// the assistant (POST /assistant/sessions/{id}/messages) and the chat memory REST API (/api/v1/chat).
'use strict';

const API = '/api/v1/chat';
const state = { userId: null, sessionId: null, sessions: [] };
const $ = (id) => document.getElementById(id);

async function call(method, path, body) {
	const response = await fetch(path, {
		method,
		headers: body !== undefined ? { 'Content-Type': 'application/json' } : {},
		body: body !== undefined ? JSON.stringify(body) : undefined,
	});
	if (!response.ok) {
		let detail = response.statusText;
		try {
			const problem = await response.json();
			detail = problem.detail || problem.title || detail;
		} catch (ignored) {
			// not a problem detail
		}
		throw new Error(`${response.status}: ${detail}`);
	}
	if (response.status === 204) {
		return null;
	}
	const type = response.headers.get('Content-Type') || '';
	return type.includes('json') ? response.json() : response.text();
}

function showError(error) {
	$('error').textContent = error ? error.message : '';
	$('error').hidden = !error;
}

function formatTime(iso) {
	const date = new Date(iso);
	return date.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

function element(tag, className, text) {
	const node = document.createElement(tag);
	if (className) {
		node.className = className;
	}
	if (text !== undefined) {
		node.textContent = text;
	}
	return node;
}

async function loadSessions() {
	const page = await call('GET', `${API}/users/${encodeURIComponent(state.userId)}/sessions?size=100`);
	state.sessions = page.sessions;
	const list = $('session-list');
	list.replaceChildren();
	for (const session of page.sessions) {
		const item = element('li');
		item.dataset.sessionId = session.id;
		item.classList.toggle('active', session.id === state.sessionId);
		item.append(element('span', 'title', session.title || 'Untitled'),
			element('span', 'meta', `${session.message_count} messages · ${formatTime(session.updated_at)}`));
		item.addEventListener('click', () => openSession(session.id));
		list.append(item);
	}
}

function renderMessages(messages) {
	const list = $('messages');
	list.replaceChildren();
	for (const message of messages) {
		const item = element('li', `message ${message.role}`);
		item.dataset.role = message.role;
		const label = message.role === 'assistant' ? 'Assistant' : message.role.charAt(0).toUpperCase() + message.role.slice(1);
		item.append(element('span', 'meta', `${label} · ${formatTime(message.created_at)}`),
			element('span', 'content', message.content || describeTools(message)));
		list.append(item);
	}
	list.scrollTop = list.scrollHeight;
}

function describeTools(message) {
	if (message.tool_calls.length) {
		return 'Tool call: ' + message.tool_calls.map((call) => `${call.name}(${call.arguments})`).join(', ');
	}
	return 'Tool result: ' + message.tool_responses.map((response) => response.response_data).join(', ');
}

async function refreshConversation() {
	if (!state.sessionId) {
		return;
	}
	const id = encodeURIComponent(state.sessionId);
	const [session, history, window] = await Promise.all([call('GET', `${API}/sessions/${id}`),
		call('GET', `${API}/sessions/${id}/messages?limit=500`), call('GET', `${API}/sessions/${id}/context`)]);
	$('chat-title').textContent = session.title || 'Untitled';
	renderMessages(history.messages);
	const leftOut = Object.values(window.left_out).reduce((sum, count) => sum + count, 0);
	const summary = window.summary;
	$('context-indicator').textContent = `Context sent to the model: ${window.messages.length} of `
		+ `${window.session_message_count} messages · ${window.total_tokens} tokens`
		+ (leftOut ? ` · ${leftOut} left out` : '')
		+ (summary ? ` · a summary of messages ${summary.from_sequence}–${summary.to_sequence} `
			+ `stands in for them (${summary.tokens} tokens, saves ${summary.tokens_saved})` : '');
	// the summary's text on hover: what the model is told about the older messages
	$('context-indicator').title = summary ? summary.text : '';
	for (const button of ['rename', 'export', 'delete']) {
		$(button).disabled = false;
	}
}

async function openSession(sessionId) {
	state.sessionId = sessionId;
	localStorage.setItem('chat-memory.session', sessionId);
	$('sidebar').classList.remove('open');
	$('search-results').hidden = true;
	await refreshConversation();
	await loadSessions();
}

async function newChat() {
	const session = await call('POST', `${API}/sessions`, { user_id: state.userId, title: '' });
	state.sessionId = session.id;
	localStorage.setItem('chat-memory.session', session.id);
	renderMessages([]);
	$('chat-title').textContent = 'New chat';
	$('context-indicator').textContent = 'Context sent to the model: nothing yet';
	await loadSessions();
	$('message-input').focus();
	return session;
}

async function send(text) {
	if (!state.sessionId) {
		await newChat();
	}
	const id = state.sessionId;
	const session = state.sessions.find((candidate) => candidate.id === id);
	if (session && !session.title) {
		await call('PUT', `${API}/sessions/${encodeURIComponent(id)}/title`, { title: text.slice(0, 40) });
	}
	const pending = element('li', 'message user');
	pending.append(element('span', 'meta', 'You · sending…'), element('span', 'content', text));
	$('messages').append(pending);
	await call('POST', `/assistant/sessions/${encodeURIComponent(id)}/messages`, { message: text });
	await refreshConversation();
	await loadSessions();
}

async function search(query, mode) {
	const results = $('search-results');
	if (!query.trim()) {
		results.hidden = true;
		return;
	}
	if (mode === 'recall') {
		await recall(query);
		return;
	}
	const found = await call('GET', `${API}/users/${encodeURIComponent(state.userId)}/search?q=${encodeURIComponent(query)}`);
	results.replaceChildren();
	if (!found.hits.length) {
		results.append(element('li', 'meta', 'No messages found'));
	}
	for (const hit of found.hits) {
		const item = element('li', 'hit');
		item.dataset.sessionId = hit.session_id;
		// a hit carries a snippet, not the whole message: offsets are into the content, and
		// snippet_start says where the snippet begins in it
		const snippet = element('span', 'snippet');
		const matchStart = hit.match_start - hit.snippet_start;
		const matchEnd = hit.match_end - hit.snippet_start;
		snippet.append(hit.snippet.slice(0, matchStart), element('mark', null, hit.snippet.slice(matchStart, matchEnd)),
			hit.snippet.slice(matchEnd));
		const title = (state.sessions.find((session) => session.id === hit.session_id) || {}).title || 'Untitled';
		item.append(snippet, element('span', 'meta', `${title} · ${formatTime(hit.message.created_at)}`));
		item.addEventListener('click', () => openSession(hit.session_id));
		results.append(item);
	}
	results.hidden = false;
}

// semantic recall: the messages of the user's conversations most similar in meaning, most
// similar first, each with its session title, snippet and score
async function recall(query) {
	const results = $('search-results');
	const found = await call('GET', `${API}/users/${encodeURIComponent(state.userId)}/recall`
		+ `?q=${encodeURIComponent(query)}&limit=10`);
	results.replaceChildren();
	if (!found.hits.length) {
		results.append(element('li', 'meta', 'No messages recalled'));
	}
	for (const hit of found.hits) {
		const item = element('li', 'hit recall-hit');
		item.dataset.sessionId = hit.session_id;
		item.append(element('span', 'snippet', hit.snippet),
			element('span', 'meta', `${hit.session_title || 'Untitled'} · ${formatTime(hit.created_at)}`),
			element('span', 'meta score', `score ${hit.score.toFixed(2)}`));
		item.addEventListener('click', () => openSession(hit.session_id));
		results.append(item);
	}
	results.hidden = false;
}

async function rename() {
	const title = prompt('New title', $('chat-title').textContent);
	if (title !== null) {
		await call('PUT', `${API}/sessions/${encodeURIComponent(state.sessionId)}/title`, { title });
		await refreshConversation();
		await loadSessions();
	}
}

async function exportSession() {
	const json = await call('GET', `${API}/sessions/${encodeURIComponent(state.sessionId)}/export`);
	const text = typeof json === 'string' ? json : JSON.stringify(json, null, 2);
	const link = element('a');
	link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
	link.download = `chat-session-${state.sessionId}.json`;
	link.click();
	URL.revokeObjectURL(link.href);
}

async function deleteSession() {
	if (confirm('Delete this conversation and all of its messages?')) {
		await call('DELETE', `${API}/sessions/${encodeURIComponent(state.sessionId)}`);
		state.sessionId = null;
		localStorage.removeItem('chat-memory.session');
		renderMessages([]);
		$('chat-title').textContent = 'Chat Memory assistant';
		$('context-indicator').textContent = 'No conversation yet';
		for (const button of ['rename', 'export', 'delete']) {
			$(button).disabled = true;
		}
		await loadSessions();
	}
}

function guarded(action) {
	return async (event) => {
		if (event) {
			event.preventDefault();
		}
		showError(null);
		try {
			await action(event);
		} catch (error) {
			showError(error);
		}
	};
}

async function start() {
	state.userId = localStorage.getItem('chat-memory.user') || 'demo-user';
	$('user-id').value = state.userId;
	$('user-id').addEventListener('change', guarded(async () => {
		state.userId = $('user-id').value.trim() || 'demo-user';
		localStorage.setItem('chat-memory.user', state.userId);
		state.sessionId = null;
		renderMessages([]);
		await loadSessions();
	}));
	$('new-chat').addEventListener('click', guarded(newChat));
	$('composer').addEventListener('submit', guarded(async () => {
		const text = $('message-input').value.trim();
		if (text) {
			$('message-input').value = '';
			await send(text);
		}
	}));
	$('message-input').addEventListener('keydown', (event) => {
		if (event.key === 'Enter' && !event.shiftKey) {
			event.preventDefault();
			$('composer').requestSubmit();
		}
	});
	$('search-form').addEventListener('submit', guarded(() => search($('search-input').value, $('search-mode').value)));
	$('rename').addEventListener('click', guarded(rename));
	$('export').addEventListener('click', guarded(exportSession));
	$('delete').addEventListener('click', guarded(deleteSession));
	$('toggle-sidebar').addEventListener('click', () => $('sidebar').classList.toggle('open'));
	await loadSessions();
	const remembered = localStorage.getItem('chat-memory.session');
	if (remembered && state.sessions.some((session) => session.id === remembered)) {
		await openSession(remembered);
	}
}

guarded(start)();
