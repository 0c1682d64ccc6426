package dev.runar.internal;

import com.google.common.collect.ImmutableMap;
import dev.runar.registry.TopicPath;

/**
 * One pattern of a {@link PathTrie} that matched a concrete path.
 *
 * @param pattern the registered pattern
 * @param value what was registered under it
 * @param params the values its {@code {template}} segments captured from the concrete path
 * @param <T> the trie's value type
 */
public record Match<T>(TopicPath pattern, T value, ImmutableMap<String, String> params) {}
