// The chat page of the sample assistant. It talks to two APIs of the same server:
// the assistant (POST /assistant/sessions/{id}/messages) and the chat memory REST API (/api/v1/chat).
'use strict';

const API = '/api/v1/chat';
const state = { userId: null, sessionId: null, sessions: [], pending: false };
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

/** Show no conversation: after a delete, a user switch, or before a new chat's first message. */
function resetConversation(title) {
	state.sessionId = null;
	localStorage.removeItem('chat-memory.session');
	renderMessages([]);
	$('chat-title').textContent = title;
	$('context-indicator').textContent = 'No conversation yet';
	for (const button of ['rename', 'export', 'delete']) {
		$(button).disabled = true;
	}
}

function setDrawer(open) {
	$('sidebar').classList.toggle('open', open);
	$('backdrop').hidden = !open;
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
	setDrawer(false);
	$('search-results').hidden = true;
	await refreshConversation();
	await loadSessions();
}

// a new chat is stored with its first message, so that empty chats never pile up
function newChat() {
	resetConversation('New chat');
	$('context-indicator').textContent = 'Context sent to the model: nothing yet';
	setDrawer(false);
	for (const item of $('session-list').children) {
		item.classList.remove('active');
	}
	$('message-input').focus();
}

async function send(text) {
	if (!state.sessionId) {
		const created = await call('POST', `${API}/sessions`, { user_id: state.userId, title: text.slice(0, 40) });
		state.sessionId = created.id;
		localStorage.setItem('chat-memory.session', created.id);
		$('chat-title').textContent = created.title;
	} else {
		const session = state.sessions.find((candidate) => candidate.id === state.sessionId);
		if (session && !session.title) {
			await call('PUT', `${API}/sessions/${encodeURIComponent(state.sessionId)}/title`, { title: text.slice(0, 40) });
		}
	}
	const id = state.sessionId;
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

/** Open a dialog of the page and resolve with the value of the button that closed it. */
function ask(dialog) {
	return new Promise((resolve) => {
		dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true });
		dialog.returnValue = '';
		dialog.showModal();
	});
}

async function rename() {
	$('rename-input').value = $('chat-title').textContent;
	if (await ask($('rename-dialog')) === 'save') {
		const title = $('rename-input').value.trim();
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
	if (await ask($('delete-dialog')) === 'delete') {
		await call('DELETE', `${API}/sessions/${encodeURIComponent(state.sessionId)}`);
		resetConversation('Chat Memory assistant');
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
		resetConversation('Chat Memory assistant');
		$('search-results').hidden = true;
		await loadSessions();
	}));
	$('new-chat').addEventListener('click', guarded(newChat));
	$('composer').addEventListener('submit', guarded(async () => {
		const text = $('message-input').value.trim();
		// one message at a time: a second one sent before the answer would be stored out of order
		if (!text || state.pending) {
			return;
		}
		state.pending = true;
		$('send').disabled = true;
		$('message-input').value = '';
		try {
			await send(text);
		} finally {
			state.pending = false;
			$('send').disabled = false;
			$('message-input').focus();
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
	$('toggle-sidebar').addEventListener('click', () => setDrawer(!$('sidebar').classList.contains('open')));
	$('close-sidebar').addEventListener('click', () => setDrawer(false));
	$('backdrop').addEventListener('click', () => setDrawer(false));
	await loadSessions();
	const remembered = localStorage.getItem('chat-memory.session');
	if (remembered && state.sessions.some((session) => session.id === remembered)) {
		await openSession(remembered);
	}
}

guarded(start)();
