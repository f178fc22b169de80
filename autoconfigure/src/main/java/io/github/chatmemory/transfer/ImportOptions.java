package io.github.chatmemory.transfer;

import org.jspecify.annotations.Nullable;

/**
 * Which id an imported session gets, and whether it may replace an existing session.
 *
 * @param sessionId the id to import under; {@code null} keeps the document's id unless
 * {@code generateId} is set
 * @param generateId whether to generate a fresh id
 * @param replaceExisting whether to replace a session that has the id already
 */
public record ImportOptions(@Nullable String sessionId, boolean generateId, boolean replaceExisting) {

	/**
	 * Import under the document's own id, failing if it is taken.
	 * @return the options
	 */
	public static ImportOptions keepId() {
		return new ImportOptions(null, false, false);
	}

	/**
	 * Import under a generated id.
	 * @return the options
	 */
	public static ImportOptions newId() {
		return new ImportOptions(null, true, false);
	}

	/**
	 * Import under the given id, failing if it is taken.
	 * @param sessionId the id
	 * @return the options
	 */
	public static ImportOptions as(String sessionId) {
		return new ImportOptions(sessionId, false, false);
	}

	/**
	 * Return a copy that replaces an existing session with the same id.
	 * @return the copy
	 */
	public ImportOptions replacingExisting() {
		return new ImportOptions(this.sessionId, this.generateId, true);
	}

}
