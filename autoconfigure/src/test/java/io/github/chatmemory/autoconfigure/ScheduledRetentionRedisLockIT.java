package io.github.chatmemory.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.test.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances on one Redis run the scheduled retention one at a time: while
 * one cleans up, the other skips its run and says so.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScheduledRetentionRedisLockIT {

	private final String keyPrefix = "test:" + UUID.randomUUID() + ":";

	private final ApplicationContextRunner instance = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ChatMemoryAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.host=" + TestRedis.endpoint().host(),
				"spring.data.redis.port=" + TestRedis.endpoint().port(), "chat-memory.redis.key-prefix=" + this.keyPrefix,
				"chat-memory.retention.max-age=1d", "chat-memory.retention.interval=1h");

	private final CountDownLatch cleaning = new CountDownLatch(1);

	private final CountDownLatch finish = new CountDownLatch(1);

	@Test
	void oneInstanceAtATimeCleansUp(CapturedOutput output) {
		this.instance.withBean("slowCleanup", BeanPostProcessor.class, this::slowCleanup).run((slow) -> {
			this.instance.run((other) -> {
				ScheduledRetention slowRetention = slow.getBean(ScheduledRetention.class);
				ScheduledRetention otherRetention = other.getBean(ScheduledRetention.class);
				StringRedisTemplate redis = new StringRedisTemplate(TestRedis.sharedConnectionFactory());
				CompletableFuture<Long> slowRun = CompletableFuture.supplyAsync(slowRetention::runOnce);
				assertThat(this.cleaning.await(30, TimeUnit.SECONDS)).isTrue();
				assertThat(redis.hasKey(this.keyPrefix + "retention:lock")).isTrue();
				assertThat(otherRetention.runOnce()).isEqualTo(ScheduledRetention.SKIPPED);
				assertThat(output).contains("Chat memory retention skipped: another instance is cleaning up");
				this.finish.countDown();
				assertThat(slowRun.get(30, TimeUnit.SECONDS)).isZero();
				assertThat(redis.hasKey(this.keyPrefix + "retention:lock")).isFalse();
				assertThat(otherRetention.runOnce()).isZero();
			});
		});
	}

	/**
	 * Makes the cleanup of the store bean wait, once it started, until the test lets it
	 * finish.
	 */
	private BeanPostProcessor slowCleanup() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (!(bean instanceof ChatMemoryStore store)) {
					return bean;
				}
				return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { ChatMemoryStore.class },
						(proxy, method, args) -> {
							if (method.getName().equals("findSessionIdsInactiveSince")) {
								ScheduledRetentionRedisLockIT.this.cleaning.countDown();
								ScheduledRetentionRedisLockIT.this.finish.await(30, TimeUnit.SECONDS);
							}
							try {
								return method.invoke(store, args);
							}
							catch (InvocationTargetException ex) {
								throw ex.getCause();
							}
						});
			}

		};
	}

}
