package io.github.chatmemory.autoconfigure;

import java.util.Map;
import java.util.function.Supplier;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.actuate.ChatMemoryHealthIndicator;
import io.github.chatmemory.web.api.HealthResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;

/**
 * The REST API's {@code /health} answered by the actuator's
 * {@link ChatMemoryHealthIndicator}, with its timeout and details; nothing when the
 * indicator is switched off, so that the controller pings the store itself. Only loaded when Spring Boot's health module
 * is on the class path.
 */
final class IndicatorHealthCheck {

	private IndicatorHealthCheck() {
	}

	static Supplier<@Nullable HealthResponse> create(ListableBeanFactory beanFactory, ChatMemoryManager manager) {
		// looked up on each call: the health auto-configuration may define the indicator
		// after this one created the controller
		ObjectProvider<ChatMemoryHealthIndicator> indicator = beanFactory
			.getBeanProvider(ChatMemoryHealthIndicator.class);
		return () -> {
			ChatMemoryHealthIndicator healthIndicator = indicator.getIfUnique();
			return (healthIndicator != null) ? toResponse(healthIndicator, manager) : null;
		};
	}

	private static HealthResponse toResponse(ChatMemoryHealthIndicator indicator, ChatMemoryManager manager) {
		long start = System.nanoTime();
		Health health = indicator.health(true);
		Map<String, Object> details = health.getDetails();
		Object store = details.get("store");
		Object latency = details.get("latencyMillis");
		Object error = details.get("error");
		return new HealthResponse(health.getStatus().getCode(),
				(store != null) ? store.toString() : manager.getStore().type(),
				(latency instanceof Number number) ? number.doubleValue() : elapsedMillis(start),
				(error != null) ? error.toString() : null);
	}

	private static double elapsedMillis(long start) {
		return (System.nanoTime() - start) / 1_000_000.0;
	}

}
