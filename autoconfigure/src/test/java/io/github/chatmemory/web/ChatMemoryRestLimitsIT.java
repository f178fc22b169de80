package io.github.chatmemory.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.transfer.ImportOptions;
import io.github.chatmemory.transfer.SessionExportDocument;
import io.github.chatmemory.transfer.SessionTransfer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Request bodies are limited before they are read into memory, whether they declare
 * their length or come chunked; large exports are streamed.
 */
@SpringBootTest(classes = RestTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "chat-memory.web.max-request-size=64KB", "chat-memory.transfer.max-import-size=96KB" })
class ChatMemoryRestLimitsIT {

	private static final String AUTHORIZATION = "Basic "
			+ Base64.getEncoder().encodeToString(("ada:" + RestTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8));

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RestTestApplication.redisProperties(registry);
	}

	@Test
	void oversizedBodiesGet413AndStoreNothing() throws Exception {
		this.manager.createSession(new NewSession("limits", "ada", "", Map.of()));
		// within max-content-length (100,000 characters), beyond max-request-size (64KB)
		String big = "{\"role\":\"user\",\"content\":\"" + "x".repeat(80_000) + "\"}";

		assertThat(chunked("/sessions/limits/messages", big)).startsWith("HTTP/1.1 413")
			.contains("application/problem+json");
		assertThat(declaredLength("/sessions/limits/messages", 1_000_000_000L)).startsWith("HTTP/1.1 413")
			.contains("application/problem+json");
		String hugeImport = "{\"format\":\"chat-memory-session\",\"padding\":\"" + "p".repeat(200_000) + "\"}";
		assertThat(chunked("/sessions/import", hugeImport)).startsWith("HTTP/1.1 413");
		assertThat(this.manager.getSession("limits").messageCount()).isZero();

		String normal = "{\"role\":\"user\",\"content\":\"" + "x".repeat(30_000) + "\"}";
		assertThat(chunked("/sessions/limits/messages", normal)).startsWith("HTTP/1.1 201");
		assertThat(this.manager.getSession("limits").messageCount()).isOne();
	}

	@Test
	void anImportThatIsNotUtf8IsRefusedNotRepaired() {
		// review of issue 12: invalid bytes were silently replaced by U+FFFD
		byte[] body = "{\"format\":\"chat-memory-session\",\"x\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
		assertThatExceptionOfType(org.springframework.web.client.HttpClientErrorException.BadRequest.class)
			.isThrownBy(() -> RestClients.restClient(this.port, "ada")
				.post()
				.uri("/sessions/import")
				.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
				.body(body)
				.retrieve()
				.toEntity(String.class))
			.satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).contains("\"field\":\"document\"")
				.contains("UTF-8"));
	}

	@Test
	void exportIsACompleteImportableDocumentOrRefusedBeforeAnyByte() {
		// issue 12 D18/E21: what export writes, import accepts; a larger session is refused up front
		this.manager.createSession(new NewSession("long.export@1", "ada", "long", Map.of()));
		List<NewMessage> messages = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			messages.add(NewMessage.of((i % 2 == 0) ? MessageRole.USER : MessageRole.ASSISTANT, "message " + i));
		}
		this.manager.appendMessages("long.export@1", messages);

		ResponseEntity<String> export = RestClients.restClient(this.port, "ada")
			.get()
			.uri("/sessions/long.export@1/export")
			.retrieve()
			.toEntity(String.class);
		assertThat(export.getHeaders().getFirst(HttpHeaders.CONTENT_DISPOSITION))
			.startsWith("attachment; filename=").contains("chat-session-long.export@1.json");
		SessionExportDocument document = SessionTransfer.fromJson(export.getBody(), Long.MAX_VALUE);
		assertThat(document.messages()).hasSize(300);
		assertThat(document.messages().get(299).content()).isEqualTo("message 299");
		assertThat(document.session().id()).isEqualTo("long.export@1");
		ImportOptions copy = new ImportOptions("long-copy", false, false);
		assertThat(new SessionTransfer(this.manager, Long.MAX_VALUE, java.time.Clock.systemUTC())
			.importDocument(document, copy)
			.messageCount()).isEqualTo(300);

		// past the import size of this application (96KB), the export is refused with a problem
		List<NewMessage> more = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			more.add(NewMessage.of(MessageRole.USER, "x".repeat(1_000)));
		}
		this.manager.appendMessages("long.export@1", more);
		assertThatExceptionOfType(org.springframework.web.client.HttpClientErrorException.UnprocessableContent.class)
			.isThrownBy(() -> RestClients.restClient(this.port, "ada")
				.get()
				.uri("/sessions/long.export@1/export")
				.retrieve()
				.toEntity(String.class))
			.satisfies((ex) -> assertThat(ex.getResponseHeaders().getContentType())
				.hasToString("application/problem+json"));
	}

	private String chunked(String path, String body) throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /api/v1/chat" + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + AUTHORIZATION
					+ "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			try {
				for (int offset = 0; offset < bytes.length; offset += 8192) {
					int length = Math.min(8192, bytes.length - offset);
					out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
					out.write(bytes, offset, length);
					out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
				}
				out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
			catch (IOException ex) {
				// the server may answer and close before the whole body is sent
			}
			return response(socket.getInputStream());
		}
	}

	private String declaredLength(String path, long contentLength) throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /api/v1/chat" + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + AUTHORIZATION
					+ "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength
					+ "\r\nConnection: close\r\n\r\n{\"role\":\"user\",\"content\":\"").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return response(socket.getInputStream());
		}
	}

	private static String response(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		int b;
		while ((b = in.read()) >= 0) {
			head.append((char) b);
			if (head.length() > 4 && head.lastIndexOf("\r\n\r\n") >= 0) {
				break;
			}
		}
		return head.toString();
	}

}
