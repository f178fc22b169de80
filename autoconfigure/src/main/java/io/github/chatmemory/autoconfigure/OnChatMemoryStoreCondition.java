package io.github.chatmemory.autoconfigure;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.chatmemory.autoconfigure.ChatMemoryProperties.StoreType;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Condition behind {@link ConditionalOnChatMemoryStore}: binds {@code chat-memory.store}
 * as the enum {@link ChatMemoryProperties} binds it, so the condition and the properties
 * never disagree on what a value means.
 */
class OnChatMemoryStoreCondition extends SpringBootCondition {

	static final String PROPERTY = "chat-memory.store";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnChatMemoryStore.class.getName());
		StoreType expected = (StoreType) attributes.get("value");
		boolean matchIfMissing = (boolean) attributes.get("matchIfMissing");
		BindResult<StoreType> bound = bind(context);
		if (!bound.isBound()) {
			return matchIfMissing ? ConditionOutcome.match(PROPERTY + " is not set")
					: ConditionOutcome.noMatch(PROPERTY + " is not set");
		}
		StoreType store = bound.get();
		return (store == expected) ? ConditionOutcome.match(PROPERTY + " is " + name(store))
				: ConditionOutcome.noMatch(PROPERTY + " is " + name(store));
	}

	static BindResult<StoreType> bind(ConditionContext context) {
		Binder binder = Binder.get(context.getEnvironment());
		try {
			return binder.bind(PROPERTY, StoreType.class);
		}
		catch (BindException ex) {
			String value = context.getEnvironment().getProperty(PROPERTY);
			throw new InvalidChatMemoryPropertyException(PROPERTY, value, "must be one of " + names(),
					"Set " + PROPERTY + " to one of " + names() + ", or leave it unset to use Redis when a "
							+ "RedisConnectionFactory bean exists and memory otherwise.",
					ex);
		}
	}

	/**
	 * Return the property value of a store, as the documentation writes it.
	 * @param store the store
	 * @return its name, such as {@code in-memory}
	 */
	static String name(StoreType store) {
		return store.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private static String names() {
		return Arrays.stream(StoreType.values())
			.map(OnChatMemoryStoreCondition::name)
			.collect(Collectors.joining(", "));
	}

}
