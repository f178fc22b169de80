package io.github.chatmemory;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A media attachment of a user or assistant message, kept losslessly for Spring AI's
 * {@code Media}: its data is either a URL (or other text reference) or bytes.
 *
 * @param mimeType the MIME type, such as {@code image/png}
 * @param id the media id, if any
 * @param name the media name
 * @param url the data given as a URL or other text, or {@code null} for bytes
 * @param data the data given as bytes (written as Base64 in JSON), or {@code null} for a
 * URL
 */
public record MessageMedia(String mimeType, @Nullable String id, String name, @Nullable String url,
		byte @Nullable [] data) {

	public MessageMedia {
		Objects.requireNonNull(mimeType, "mimeType");
		Objects.requireNonNull(name, "name");
		if ((url == null) == (data == null)) {
			throw new ChatMemoryValidationException("media", "must have either a url or data");
		}
		data = (data != null) ? data.clone() : null;
	}

	/**
	 * Return a copy of the bytes, so that the record stays immutable.
	 * @return the bytes, or {@code null} for a URL
	 */
	@Override
	public byte @Nullable [] data() {
		return (this.data != null) ? this.data.clone() : null;
	}

	/**
	 * Return how many bytes the data takes: the bytes, or the URL's characters.
	 * @return the size
	 */
	public long size() {
		return (this.data != null) ? this.data.length : this.url.length();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof MessageMedia that) && this.mimeType.equals(that.mimeType)
				&& Objects.equals(this.id, that.id) && this.name.equals(that.name) && Objects.equals(this.url, that.url)
				&& Arrays.equals(this.data, that.data);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.mimeType, this.id, this.name, this.url, Arrays.hashCode(this.data));
	}

	@Override
	public String toString() {
		String value = (this.url != null) ? "url=" + this.url
				: "data=" + Base64.getEncoder().encodeToString(Arrays.copyOf(this.data, Math.min(this.data.length, 16)))
						+ ((this.data.length > 16) ? "... (" + this.data.length + " bytes)" : "");
		return "MessageMedia[mimeType=" + this.mimeType + ", id=" + this.id + ", name=" + this.name + ", " + value
				+ "]";
	}

}
