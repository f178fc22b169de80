package io.github.chatmemory.reliability;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryStatistics;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.SessionSnapshot;
import io.github.chatmemory.test.RawHttp;
import io.github.chatmemory.web.AbstractRestIT;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated stream of 10,000 malformed or hostile requests (invalid JSON, wrong types,
 * oversize content, control characters, id and key injection) against the REST API: no
 * 5xx, and the store is the same afterwards. Every request is invalid by construction,
 * so none of them may change anything.
 */
class HostileRequestsIT extends AbstractRestIT {

	private static final int REQUESTS = Integer.getInteger("hostile.requests", 10_000);

	/**
	 * Ids the default pattern refuses. Since issue 13 it accepts what cannot break the
	 * Redis key layout or a REST path, so {@code *}, {@code s-1*}, {@code a:b},
	 * {@code ключ}, {@code キー}, {@code 🙂} and {@code -leading} left this list; braces,
	 * slashes, {@code %}, {@code ;}, whitespace, control and format characters, a leading
	 * dot and more than 128 characters stay refused.
	 */
	private static final List<String> BAD_IDS = List.of("s-1}:meta", "{s:s-1}", "a b", "a\tb", "a\nb", "a\rb",
			"a\u0000b", "../../etc/passwd", "..", "s-1;DEL", "x".repeat(200), "s-1\u202e", "'; DROP TABLE sessions; --",
			"a\\b", "a%2Fb", ".hidden", "a\u00a0b");

	private static final List<String> INJECTIONS = List.of("redis.call('FLUSHALL')", "\r\nFLUSHALL\r\n",
			"${jndi:ldap://127.0.0.1/x}", "<script>alert(1)</script>", "{{7*7}}", "\u0000\u0001\u0002", "%00", "\\u0000");

	private static final List<String> BAD_ROLES = List.of("robot", "", " ", "USERS", "admin", "root", "0", "null",
			"assistant ai", "to ol");

	@Autowired
	ChatMemoryManager manager;

	@Test
	void tenThousandHostileRequestsGetNo5xxAndChangeNothing() throws Exception {
		this.manager.createSession(new NewSession("s-1", "ada", "kept", Map.of("k", "v")));
		this.manager.appendMessages("s-1", List.of(NewMessage.of(MessageRole.USER, "hello").withId("m-1"),
				NewMessage.of(MessageRole.ASSISTANT, "hi")));
		SessionSnapshot sessionBefore = this.manager.exportSession("s-1");
		ChatMemoryStatistics statisticsBefore = this.manager.getStatistics();
		List<String> idsBefore = this.manager.listSessionIds(100);

		Random random = new Random(Long.getLong("hostile.seed", 9L));
		List<Function<Random, Request>> generators = List.of(this::malformedJson, this::wrongTypes,
				this::badRoleWithInjectedContent, this::badPathId, this::badMessageId, this::badPaging,
				this::badImport, this::badSearch, this::oversize, this::controlCharacterHeaders);
		Map<Integer, Integer> statuses = new TreeMap<>();
		String authorization = "Basic "
				+ Base64.getEncoder().encodeToString("ada:secret".getBytes(StandardCharsets.UTF_8));
		for (int i = 0; i < REQUESTS; i++) {
			Request request = generators.get(i % generators.size()).apply(random);
			Map<String, String> headers = new HashMap<>(request.headers());
			headers.put("Authorization", authorization);
			headers.put("Content-Type", "application/json");
			URI uri = URI.create("http://localhost:" + this.port + "/api/v1/chat" + request.path());
			int status = RawHttp.send(request.method(), uri, headers, request.body());
			statuses.merge(status, 1, Integer::sum);
			assertThat(status).as("%s %s %s", request.method(), uri, headers).isBetween(400, 499);
		}
		System.out.println("Hostile requests: " + REQUESTS + " sent, statuses " + statuses);

		assertThat(this.manager.exportSession("s-1")).isEqualTo(sessionBefore);
		assertThat(this.manager.getStatistics()).isEqualTo(statisticsBefore);
		assertThat(this.manager.listSessionIds(100)).isEqualTo(idsBefore);
	}

	private static Request request(String method, String path, String body) {
		return new Request(method, path, body, Map.of());
	}

	/**
	 * One generated request.
	 */
	record Request(String method, String path, String body, Map<String, String> headers) {

		Request header(String name, String value) {
			Map<String, String> headers = new HashMap<>(this.headers);
			headers.put(name, value);
			return new Request(this.method, this.path, this.body, headers);
		}

	}

	private static <T> T pick(Random random, List<T> values) {
		return values.get(random.nextInt(values.size()));
	}

	private static String json(String value) {
		StringBuilder out = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private Request malformedJson(Random random) {
		String valid = "{\"role\":\"user\",\"content\":\"hello\"}";
		String broken = switch (random.nextInt(6)) {
			case 0 -> valid.substring(0, 1 + random.nextInt(valid.length() - 2));
			case 1 -> valid.replace(':', ';');
			case 2 -> "{" + "\"a\":{".repeat(1 + random.nextInt(50));
			case 3 -> "\u0000\u0001garbage";
			case 4 -> "[" + valid;
			default -> valid + "}";
		};
		String path = pick(random, List.of("/sessions", "/sessions/s-1/messages", "/sessions/s-1/search",
				"/sessions/import", "/cleanup"));
		return request("POST", path, broken);
	}

	private Request wrongTypes(Random random) {
		String body = switch (random.nextInt(5)) {
			case 0 -> "{\"role\":[\"user\"],\"content\":\"x\"}";
			case 1 -> "{\"role\":\"user\",\"content\":{\"a\":1}}";
			case 2 -> "{\"role\":\"user\",\"content\":\"x\",\"metadata\":\"not an object\"}";
			case 3 -> "{\"role\":\"user\",\"content\":\"x\",\"tool_calls\":\"nope\"}";
			default -> "{\"role\":\"user\",\"content\":\"x\",\"metadata\":[1,2,3]}";
		};
		return request("POST", "/sessions/s-1/messages", body);
	}

	private Request badRoleWithInjectedContent(Random random) {
		return request("POST", "/sessions/s-1/messages", "{\"role\":" + json(pick(random, BAD_ROLES)) + ",\"content\":"
				+ json(pick(random, INJECTIONS)) + ",\"metadata\":{\"x\":" + json(pick(random, INJECTIONS)) + "}}");
	}

	private Request badPathId(Random random) {
		String id = encode(pick(random, BAD_IDS));
		return switch (random.nextInt(6)) {
			case 0 -> request("GET", "/sessions/" + id, null);
			case 1 -> request("DELETE", "/sessions/" + id, null);
			case 2 -> request("POST", "/sessions/" + id + "/messages", "{\"role\":\"user\",\"content\":\"x\"}");
			case 3 -> request("GET", "/sessions/" + id + "/export", null);
			case 4 -> request("PUT", "/sessions/" + id + "/title", "{\"title\":\"new\"}");
			default -> request("DELETE", "/sessions/" + id + "/messages", null);
		};
	}

	private Request badMessageId(Random random) {
		String id = json(pick(random, BAD_IDS));
		return switch (random.nextInt(3)) {
			case 0 -> request("POST", "/sessions/s-1/messages",
					"{\"role\":\"user\",\"content\":" + json(pick(random, INJECTIONS)) + ",\"id\":" + id + "}");
			case 1 -> request("POST", "/sessions", "{\"id\":" + id + ",\"title\":\"t\"}");
			default -> request("POST", "/sessions/s-1/messages",
					"{\"role\":\"user\",\"content\":\"x\",\"response_to\":" + id + "}");
		};
	}

	private Request badPaging(Random random) {
		String value = pick(random, List.of("-1", "0", "abc", "100000", "9999999999999", "1e3", "%00", "-2147483648"));
		return switch (random.nextInt(4)) {
			case 0 -> request("GET", "/sessions/s-1/messages?limit=" + value, null);
			case 1 -> request("GET", "/users/ada/sessions?page=-" + random.nextInt(1000) + "&size=" + value, null);
			case 2 -> request("GET", "/sessions/s-1/messages?before=-" + (1 + random.nextInt(1000)), null);
			default -> request("GET", "/sessions/s-1/context?max_tokens="
					+ pick(random, List.of("-1", "0", "abc", "9999999999999", "1e3", "%00", "-2147483648")), null);
		};
	}

	private Request badImport(Random random) {
		String session = "{\"id\":\"imp-" + random.nextInt(1000) + "\",\"user_id\":\"ada\",\"active\":true,"
				+ "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}";
		String body = switch (random.nextInt(5)) {
			// version 2 (media) is known since issue 13, 3 (summaries) since issue 14; 4 is not
			case 0 -> "{\"format\":\"chat-memory-session\",\"version\":4,\"session\":" + session + ",\"messages\":[]}";
			case 1 -> "{\"format\":\"other\",\"version\":1,\"session\":" + session + ",\"messages\":[]}";
			case 2 -> "{\"format\":\"chat-memory-session\",\"version\":1,\"session\":" + session
					+ ",\"messages\":[{\"id\":\"a\",\"sequence\":2,\"role\":\"USER\",\"content\":\"x\","
					+ "\"created_at\":\"2026-01-01T00:00:00Z\"},{\"id\":\"b\",\"sequence\":1,\"role\":\"USER\","
					+ "\"content\":\"x\",\"created_at\":\"2026-01-01T00:00:00Z\"}]}";
			case 3 -> "{\"format\":\"chat-memory-session\",\"version\":1,\"session\":" + session
					+ ",\"messages\":[{\"id\":" + json(pick(random, BAD_IDS)) + ",\"sequence\":1,\"role\":\"USER\","
					+ "\"content\":\"x\",\"created_at\":\"2026-01-01T00:00:00Z\"}]}";
			default -> "{\"format\":\"chat-memory-session\",\"version\":1,\"session\":"
					+ session.replace("\"ada\"", json(pick(random, BAD_IDS))) + ",\"messages\":[]}";
		};
		return request("POST", "/sessions/import", body);
	}

	private Request badSearch(Random random) {
		return switch (random.nextInt(3)) {
			case 0 -> request("POST", "/sessions/s-1/search", "{\"query\":\"   \"}");
			case 1 -> request("POST", "/sessions/s-1/search",
					"{\"query\":" + json("q".repeat(201 + random.nextInt(100))) + "}");
			default -> request("GET", "/users/" + encode(pick(random, BAD_IDS)) + "/search?q=x", null);
		};
	}

	private Request oversize(Random random) {
		if (random.nextInt(20) == 0) {
			return request("POST", "/sessions/s-1/messages",
					"{\"role\":\"user\",\"content\":\"" + "x".repeat(100_001) + "\"}");
		}
		return request("POST", "/sessions",
				"{\"title\":\"t\",\"metadata\":{\"big\":\"" + "y".repeat(16_400 + random.nextInt(1000)) + "\"}}");
	}

	private Request controlCharacterHeaders(Random random) {
		return request("POST", "/sessions/s-1/messages", "{\"role\":\"user\",\"content\":\"x\"}")
			// '*' and ',' are allowed in ids since issue 13; these stay refused
			.header("Idempotency-Key", pick(random, List.of("k:{}", "a b", "a/b", "..", "x".repeat(200), "%0D%0AFLUSHALL", "a;b")));
	}

}
