package io.github.chatmemory.web;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The access policy with Spring Security: an authenticated user sees only the sessions
 * whose user id is their principal name, unless they have the administrator role, which
 * statistics and cleanup require. A request without authentication, or with an anonymous
 * one, is refused with 401 whatever the application's filter chain permits.
 */
public class SpringSecurityAccessPolicy implements SessionAccessPolicy {

	private final String administratorAuthority;

	/**
	 * Create a policy.
	 * @param administratorRole the role that may see every session and run statistics
	 * and cleanup, without the {@code ROLE_} prefix
	 */
	public SpringSecurityAccessPolicy(String administratorRole) {
		this.administratorAuthority = "ROLE_" + administratorRole;
	}

	@Override
	public SessionAccess currentAccess() {
		Authentication authentication = authenticated();
		if (authentication == null) {
			// fail closed: a filter chain that lets anonymous requests through must not
			// turn "no user" into "every user"
			throw new ChatMemoryAccessDeniedException(false, "Authentication is required");
		}
		return isAdministrator(authentication) ? SessionAccess.allSessions()
				: SessionAccess.ownSessionsOf(authentication.getName());
	}

	@Override
	public void checkAdministrator() {
		Authentication authentication = authenticated();
		if (authentication == null) {
			throw new ChatMemoryAccessDeniedException(false, "Authentication is required for this operation");
		}
		if (!isAdministrator(authentication)) {
			throw new ChatMemoryAccessDeniedException(true,
					"This operation needs the role " + this.administratorAuthority.substring("ROLE_".length()));
		}
	}

	private boolean isAdministrator(Authentication authentication) {
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (this.administratorAuthority.equals(authority.getAuthority())) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable Authentication authenticated() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return null;
		}
		String name = authentication.getName();
		if (name == null || name.isBlank()) {
			// a principal without a name owns nothing and must never match "any owner"
			return null;
		}
		return authentication;
	}

}
