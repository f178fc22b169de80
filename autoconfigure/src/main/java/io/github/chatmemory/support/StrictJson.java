package io.github.chatmemory.support;

import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.chatmemory.ChatMemoryValidationException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads JSON input strictly: no coercion between scalar types (a float is not an integer,
 * a number is not a string), no duplicate keys, no unknown properties, no trailing
 * tokens, no non-finite numbers, and timestamps only as ISO-8601 strings. Input that
 * Jackson would silently reinterpret is rejected with a
 * {@link ChatMemoryValidationException} naming its JSON path. Internal to chat memory:
 * public only for its other packages, not an API to depend on.
 */
public final class StrictJson {

	/** A qualified Java type name between backticks, as Jackson writes them. */
	private static final Pattern JAVA_TYPE = Pattern.compile("`(?:[a-z_]\\w*\\.)+(?:\\w+\\$)*(\\w+)(?:<[^`]*>)?`");


	private StrictJson() {
	}

	/**
	 * Apply the strict reading rules to a mapper builder; writing is left as it is.
	 * @param builder the builder
	 * @return the builder
	 */
	public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
		return builder.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.withCoercionConfig(LogicalType.Textual,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Integer,
					(config) -> config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Float,
					(config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Boolean,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
			.addModule(new SimpleModule("chat-memory-strict-json").addDeserializer(Instant.class,
					new IsoInstantDeserializer()));
	}

	/**
	 * Read a value strictly.
	 * @param <T> the value type
	 * @param mapper a mapper built with {@link #configure}
	 * @param input the JSON input; it is not closed
	 * @param type the value type
	 * @param rootField the field to name when the problem is the input as a whole
	 * @return the value
	 * @throws ChatMemoryValidationException naming the JSON path of the first problem
	 */
	public static <T> T read(JsonMapper mapper, InputStream input, Class<T> type, String rootField) {
		try {
			return bind(mapper, mapper.readTree(input), type, rootField);
		}
		catch (JacksonException ex) {
			throw invalid(ex, rootField);
		}
	}

	/**
	 * Read a value strictly from JSON text.
	 * @param <T> the value type
	 * @param mapper a mapper built with {@link #configure}
	 * @param json the JSON text
	 * @param type the value type
	 * @param rootField the field to name when the problem is the input as a whole
	 * @return the value
	 * @throws ChatMemoryValidationException naming the JSON path of the first problem
	 */
	public static <T> T read(JsonMapper mapper, String json, Class<T> type, String rootField) {
		try {
			return bind(mapper, mapper.readTree(json), type, rootField);
		}
		catch (JacksonException ex) {
			throw invalid(ex, rootField);
		}
	}

	private static <T> T bind(JsonMapper mapper, JsonNode tree, Class<T> type, String rootField) {
		if (tree == null || tree.isMissingNode()) {
			throw new ChatMemoryValidationException(rootField, "must not be empty");
		}
		requireFinite(tree, "");
		T value = mapper.treeToValue(tree, type);
		if (value == null) {
			throw new ChatMemoryValidationException(rootField, "must be a JSON object");
		}
		return value;
	}

	/**
	 * A number too large for a double would be stored as "Infinity", so it is refused
	 * while its path is still known.
	 */
	private static void requireFinite(JsonNode node, String path) {
		if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
			throw new ChatMemoryValidationException(path.isEmpty() ? "value" : path, "must be a finite number within the range of a double");
		}
		if (node.isObject()) {
			Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> field = fields.next();
				requireFinite(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				requireFinite(node.get(i), path + "[" + i + "]");
			}
		}
	}

	private static ChatMemoryValidationException invalid(JacksonException ex, String rootField) {
		if (ex instanceof DatabindException databind && !databind.getPath().isEmpty()) {
			return new ChatMemoryValidationException(path(databind), withoutJavaNames(databind.getOriginalMessage()),
					ex);
		}
		return new ChatMemoryValidationException(rootField,
				"not valid JSON (" + withoutJavaNames(ex.getOriginalMessage()) + ")", ex);
	}

	/**
	 * Jackson names the Java types it binds to ({@code `java.time.Instant`},
	 * {@code `io.github...SessionExportDocument$Summary`}): a caller gets their simple
	 * names only, never the classes inside the application.
	 */
	static String withoutJavaNames(@Nullable String message) {
		if (message == null) {
			return "";
		}
		return JAVA_TYPE.matcher(message).replaceAll((match) -> "`" + match.group(1) + "`");
	}

	private static String path(DatabindException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	/**
	 * Timestamps only as ISO-8601 text: a number would be read as seconds since 1970,
	 * which turns a typo into a date in another century.
	 */
	private static final class IsoInstantDeserializer extends ValueDeserializer<Instant> {

		@Override
		public Instant deserialize(JsonParser parser, DeserializationContext context) {
			if (parser.currentToken() != JsonToken.VALUE_STRING) {
				return (Instant) context.handleUnexpectedToken(Instant.class, parser);
			}
			String text = parser.getString();
			try {
				return OffsetDateTime.parse(text).toInstant();
			}
			catch (DateTimeParseException ex) {
				return (Instant) context.handleWeirdStringValue(Instant.class, text,
						"must be an ISO-8601 timestamp such as 2026-01-01T00:00:00Z");
			}
		}

	}

}
