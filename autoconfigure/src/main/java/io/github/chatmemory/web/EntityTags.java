package io.github.chatmemory.web;

import java.util.ArrayList;
import java.util.List;

import io.github.chatmemory.ChatMemoryValidationException;
import org.jspecify.annotations.Nullable;

/**
 * A session's version as an HTTP entity tag, and the {@code If-Match} precondition of a
 * write, as RFC 9110 (section 13.1.1) defines them: {@code *} or a list of entity tags,
 * compared strongly, so that a weak tag never matches. The entity tag of a session at
 * version 7 is {@code "7"}.
 *
 * @param any whether the header is {@code *}
 * @param versions the versions of the strong tags that name one, in order; weak tags and
 * tags of no version can match nothing and are left out
 */
record EntityTags(boolean any, List<Long> versions) {

	/**
	 * A version no session reaches: expected by a write whose {@code If-Match} names no
	 * version, which so fails unless it writes nothing (a retry of stored messages).
	 */
	static final long UNMATCHABLE = Long.MAX_VALUE;

	/** The name of the header, as validation errors name it. */
	static final String IF_MATCH = "If-Match";

	/**
	 * The entity tag of a version.
	 * @param version the version
	 * @return the strong entity tag
	 */
	static String of(long version) {
		return "\"" + version + "\"";
	}

	/**
	 * Read {@code If-Match} header values.
	 * @param values the header's values, one for each header line
	 * @return the precondition, or {@code null} when there is none
	 * @throws ChatMemoryValidationException naming the header if it is malformed
	 */
	static @Nullable EntityTags parseIfMatch(@Nullable List<String> values) {
		if (values == null || values.isEmpty()) {
			return null;
		}
		String joined = String.join(",", values).trim();
		if (joined.equals("*")) {
			return new EntityTags(true, List.of());
		}
		List<Long> versions = new ArrayList<>();
		int i = 0;
		int length = joined.length();
		boolean tagSeen = false;
		while (i < length) {
			char c = joined.charAt(i);
			if (c == ' ' || c == '\t' || c == ',') {
				i++;
				continue;
			}
			boolean weak = false;
			if (c == 'W' && i + 1 < length && joined.charAt(i + 1) == '/') {
				weak = true;
				i += 2;
			}
			if (i >= length || joined.charAt(i) != '"') {
				throw malformed(joined);
			}
			int end = joined.indexOf('"', i + 1);
			if (end < 0) {
				throw malformed(joined);
			}
			String opaque = joined.substring(i + 1, end);
			for (int k = 0; k < opaque.length(); k++) {
				char e = opaque.charAt(k);
				// etagc = %x21 / %x23-7E / obs-text
				if (e < 0x21 || e == 0x7F) {
					throw malformed(joined);
				}
			}
			i = end + 1;
			// a tag ends at the end, at whitespace or at a comma
			if (i < length && joined.charAt(i) != ',' && joined.charAt(i) != ' ' && joined.charAt(i) != '\t') {
				throw malformed(joined);
			}
			tagSeen = true;
			Long version = weak ? null : version(opaque);
			if (version != null) {
				versions.add(version);
			}
		}
		if (!tagSeen) {
			throw malformed(joined);
		}
		return new EntityTags(false, List.copyOf(versions));
	}

	/**
	 * The version a write should expect so that the store decides the precondition
	 * atomically: the current version when it is among the tags, else the first version
	 * named (which the store refuses), else one no session reaches.
	 * @param currentVersion the session's version as last read, or {@code null} when it
	 * was not read
	 * @return the version to expect, or {@code null} for {@code *}: any version of an
	 * existing session matches, so expecting the one last read would refuse a write that
	 * merely came after another
	 */
	@Nullable Long expectedVersion(@Nullable Long currentVersion) {
		if (this.any) {
			return null;
		}
		if (currentVersion != null && this.versions.contains(currentVersion)) {
			return currentVersion;
		}
		return this.versions.isEmpty() ? UNMATCHABLE : this.versions.get(0);
	}

	/**
	 * Whether the caller should read the session first: for {@code *}, which needs the
	 * session to exist, and for lists of several versions, where the current one decides
	 * which to expect.
	 * @return whether the caller should read the session first
	 */
	boolean needsCurrentVersion() {
		return this.any || this.versions.size() > 1;
	}

	private static @Nullable Long version(String opaque) {
		// strong comparison is by characters: "07" is no tag this API ever sends
		if (opaque.isEmpty() || opaque.length() > 18 || (opaque.length() > 1 && opaque.charAt(0) == '0')) {
			return null;
		}
		for (int k = 0; k < opaque.length(); k++) {
			if (opaque.charAt(k) < '0' || opaque.charAt(k) > '9') {
				return null;
			}
		}
		return Long.parseLong(opaque);
	}

	private static ChatMemoryValidationException malformed(String value) {
		String shown = (value.length() > 100) ? value.substring(0, 100) + "..." : value;
		return new ChatMemoryValidationException(IF_MATCH, "must be * or a list of entity tags such as \"7\" (RFC 9110) but was '"
				+ shown + "'");
	}

}
