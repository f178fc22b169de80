package io.github.chatmemory.autoconfigure;

import io.github.chatmemory.actuate.ChatMemoryMetrics;
import io.github.chatmemory.actuate.ObservedChatMemoryStore;
import io.github.chatmemory.store.ChatMemoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Observes every {@link ChatMemoryStore} bean, the auto-configured one or the
 * application's, with an {@link ObservedChatMemoryStore} when there is an active
 * {@link ObservationRegistry}, so that everything using the store bean (the manager, the
 * health indicator) goes through the observation.
 */
final class ChatMemoryStoreObservationPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<ObservationRegistry> observationRegistry;

	private final ObjectProvider<MeterRegistry> meterRegistry;

	ChatMemoryStoreObservationPostProcessor(ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<MeterRegistry> meterRegistry) {
		this.observationRegistry = observationRegistry;
		this.meterRegistry = meterRegistry;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ChatMemoryStore store && !(bean instanceof ObservedChatMemoryStore)) {
			ObservationRegistry observations = this.observationRegistry.getIfUnique();
			if (observations != null && !observations.isNoop()) {
				MeterRegistry meters = this.meterRegistry.getIfUnique();
				return new ObservedChatMemoryStore(store, observations,
						(meters != null) ? new ChatMemoryMetrics(meters) : null);
			}
		}
		return bean;
	}

}
