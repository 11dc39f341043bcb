package dev.herald.socketio.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Converts a JSON tree to an application type, failing with a message that names the argument,
 * the type and the JSON path but never the value: conversion errors end up in WARN logs, and
 * payloads must not (Jackson's own messages quote the offending value).
 */
public final class Conversion {

    private Conversion() {}

    /** Converts {@code node}; {@code what} names it in the error, such as "argument 0". */
    public static <T> T convert(JsonNode node, JavaType type, String what) {
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (JsonMappingException e) {
            String path = e.getPath().isEmpty() ? "" : " at " + e.getPathReference();
            throw new IllegalArgumentException(what + " does not convert to " + type.getTypeName() + " ("
                    + e.getClass().getSimpleName() + path + ")");
        } catch (Exception e) {
            throw new IllegalArgumentException(what + " does not convert to " + type.getTypeName() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Converts {@code node} to a class. */
    public static <T> T convert(JsonNode node, Class<T> type, String what) {
        return convert(node, Json.MAPPER.getTypeFactory().constructType(type), what);
    }
}
