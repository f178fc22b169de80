package io.github.chatmemory.web;

/**
 * The access policy without Spring Security: every request may act for every user. The
 * auto-configuration logs a warning when it uses this policy; declare it as a bean
 * yourself only when something in front of the application already restricts access.
 */
public class OpenAccessPolicy implements SessionAccessPolicy {

	@Override
	public SessionAccess currentAccess() {
		return SessionAccess.allSessions();
	}

	@Override
	public void checkAdministrator() {
	}

}
