package io.github.chatmemory.web;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageMedia;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.client.ChatMemoryClient;
import io.github.chatmemory.test.RedisServerProcess;
import io.github.chatmemory.web.api.SearchRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A session of 40 messages with 1 MB of media each, on a Redis of its own, so that what
 * Redis sends can be measured ({@code INFO stats} {@code total_net_output_bytes}): the
 * REST reads, which return no media, make Redis send almost nothing; Spring AI's
 * {@code ChatMemory} still gets the media; an export refuses after reading little more
 * than the document size limit.
 */
@SpringBootTest(classes = RestTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatMemoryRestMediaIT {

	private static final int MESSAGES = 40;

	private static final int MEDIA_BYTES = 1_000_000;

	private static final long ONE_MB = 1024 * 1024;

	private static final long MAX_IMPORT_SIZE = 10 * ONE_MB;

	private static final Pattern NET_OUTPUT = Pattern.compile("total_net_output_bytes:(\\d+)");

	private static final RedisServerProcess redis = RedisServerProcess.start();

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	@Autowired
	ChatMemory chatMemory;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RestTestApplication.redisProperties(registry, "127.0.0.1", redis.port(), "5s");
		registry.add("chat-memory.transfer.max-import-size", () -> MAX_IMPORT_SIZE + "B");
	}

	@AfterAll
	static void stopRedis() {
		redis.stop();
	}

	@BeforeAll
	void storeSessionWithLargeMedia() {
		this.manager.createSession(new NewSession("photos", "ada", "Photos", Map.of()));
		for (int i = 0; i < MESSAGES; i++) {
			byte[] image = new byte[MEDIA_BYTES];
			image[0] = (byte) i;
			this.manager.appendMessage("photos",
					new NewMessage("m-" + i, MessageRole.USER, "holiday photo " + i, Map.of(), null, List.of(),
							List.of(), List.of(new MessageMedia("image/png", null, "photo-" + i, null, image))));
		}
	}

	@Test
	void restReadsMakeRedisSendNoMedia() {
		ChatMemoryClient ada = RestClients.client(this.port, "ada");
		long sent = redisSends(() -> {
			assertThat(ada.getMessages("photos", 50, null, null).messages()).hasSize(MESSAGES);
			assertThat(ada.getContextWindow("photos", null, null).messages()).isNotEmpty();
			assertThat(ada.searchSession("photos", new SearchRequest("photo", 50, null)).hits()).hasSize(MESSAGES);
			assertThat(ada.searchUser("ada", "photo", 50, null).hits()).hasSize(MESSAGES);
			return null;
		});
		assertThat(sent).as("bytes Redis sent for four REST reads").isLessThan(ONE_MB);
	}

	@Test
	void springAiChatMemoryStillGetsTheMedia() {
		List<Message> window = this.chatMemory.get("photos");
		assertThat(window).isNotEmpty().allSatisfy((message) -> assertThat(((UserMessage) message).getMedia())
			.singleElement()
			.satisfies((media) -> assertThat((byte[]) media.getData()).hasSize(MEDIA_BYTES)));
		// and the measurement sees media when they are read: the window's are sent
		long sent = redisSends(() -> this.chatMemory.get("photos"));
		assertThat(sent).isGreaterThan(window.size() * (long) MEDIA_BYTES);
	}

	@Test
	void exportRefusesAfterReadingLittleMoreThanTheSizeLimit() {
		ChatMemoryClient ada = RestClients.client(this.port, "ada");
		long sent = redisSends(() -> {
			assertThatExceptionOfType(HttpClientErrorException.class).isThrownBy(() -> ada.exportSession("photos"))
				.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT));
			return null;
		});
		// the page that passes the limit ends with the reply that passed it: at most one
		// reply of about a megabyte (plus a message) more
		assertThat(sent).isLessThan(MAX_IMPORT_SIZE + 3 * ONE_MB);
	}

	/**
	 * Run an action and return how many bytes Redis sent meanwhile, to every client.
	 */
	private static long redisSends(Supplier<?> action) {
		long before = netOutput();
		action.get();
		return netOutput() - before;
	}

	private static long netOutput() {
		Matcher matcher = NET_OUTPUT.matcher(redis.cli("INFO", "stats"));
		assertThat(matcher.find()).as("INFO stats has total_net_output_bytes").isTrue();
		return Long.parseLong(matcher.group(1));
	}

}
