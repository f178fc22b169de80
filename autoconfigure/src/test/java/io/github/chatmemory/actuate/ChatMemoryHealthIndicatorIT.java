package io.github.chatmemory.actuate;

import java.time.Clock;
import java.time.Duration;

import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisStoreSettings;
import io.github.chatmemory.test.RedisServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health on a private Redis: UP, DOWN within the timeout once Redis stops (although the
 * client's own command timeout is a minute), UP again after it restarts, with no
 * application restart.
 */
class ChatMemoryHealthIndicatorIT {

	@Test
	void followsTheStoreDownAndUpAgain() throws Exception {
		RedisServerProcess redis = RedisServerProcess.start();
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		ChatMemoryHealthIndicator health = new ChatMemoryHealthIndicator(new RedisChatMemoryStore(connectionFactory,
				RedisStoreSettings.withPrefix("health:"), Clock.systemUTC()), Duration.ofSeconds(1));
		try {
			Health up = health.health();
			assertThat(up.getStatus()).isEqualTo(Status.UP);
			assertThat(up.getDetails()).containsEntry("store", "redis").containsKey("latencyMillis");

			redis.stop();
			long start = System.nanoTime();
			Health down = health.health();
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(down.getStatus()).isEqualTo(Status.DOWN);
			assertThat(took).isLessThan(Duration.ofMillis(1800));

			redis.restart();
			Status status = Status.DOWN;
			for (int attempt = 0; attempt < 50 && status != Status.UP; attempt++) {
				status = health.health().getStatus();
				if (status != Status.UP) {
					Thread.sleep(200);
				}
			}
			assertThat(status).isEqualTo(Status.UP);
		}
		finally {
			health.destroy();
			connectionFactory.destroy();
			redis.stop();
		}
	}

}
