package io.github.chatmemory.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when {@code chat-memory.store}, bound as a {@link ChatMemoryProperties.StoreType}
 * with Boot's relaxed enum binding ({@code in-memory}, {@code IN_MEMORY} and
 * {@code In_Memory} are the same), is the given store, or is unset and
 * {@link #matchIfMissing()} is {@code true}. An unknown value fails at start-up.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnChatMemoryStoreCondition.class)
@interface ConditionalOnChatMemoryStore {

	/**
	 * The store to match.
	 * @return the store
	 */
	ChatMemoryProperties.StoreType value();

	/**
	 * Whether to match when the property is unset.
	 * @return whether to match when unset
	 */
	boolean matchIfMissing() default false;

}
