package io.github.chatmemory.autoconfigure;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InProcessDatabase}: which JDBC URLs name a database no other process
 * serves, so that {@code initialize-schema=embedded} creates its tables.
 */
class InProcessDatabaseTests {

	@ParameterizedTest
	@ValueSource(strings = { "jdbc:h2:mem:chat", "jdbc:h2:file:./data/chat-memory", "jdbc:h2:./data/chat",
			"jdbc:h2:~/chat", "jdbc:h2:/var/lib/chat;AUTO_SERVER=TRUE", "JDBC:H2:FILE:C:/chat", "jdbc:sqlite:chat.db",
			"jdbc:sqlite::memory:", "jdbc:sqlite:file:chat?mode=memory&cache=shared" })
	void inProcess(String url) {
		assertThat(InProcessDatabase.isInProcessUrl(url)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdbc:h2:tcp://localhost/~/chat", "jdbc:h2:ssl://db.example.com/chat",
			"jdbc:postgresql://127.0.0.1:5432/test", "jdbc:mariadb://127.0.0.1:3306/test",
			"jdbc:mysql://localhost/test", "jdbc:sqlserver://localhost;databaseName=test", "" })
	void servedByAnotherProcess(String url) {
		assertThat(InProcessDatabase.isInProcessUrl(url)).isFalse();
	}

}
