package io.github.chatmemory.web;

import org.jspecify.annotations.Nullable;

/**
 * The access policy without Spring Security: every request may act for every user. The
 * auto-configuration logs a warning when it uses this policy.
 */
public class OpenAccessPolicy implements SessionAccessPolicy {

	@Override
	public @Nullable String restrictedToUser() {
		return null;
	}

	@Override
	public void checkAdministrator() {
	}

}
