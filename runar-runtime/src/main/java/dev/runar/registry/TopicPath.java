package dev.runar.registry;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.Joiner;
import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An address in a Runar network: {@code network:segment/segment/...}, naming a service action
 * ({@code math/add}) or an event topic ({@code sensors/kitchen/temperature}).
 *
 * <p>A path without a {@code network:} prefix belongs to the default network it was parsed with.
 * Segments are separated by {@code /} and may not be empty. A path used as a <em>pattern</em> may
 * also hold these segments:
 *
 * <ul>
 *   <li>{@code {name}} — a template: matches exactly one segment and captures it as {@code name};
 *   <li>{@code *} — matches exactly one segment;
 *   <li>{@code >} — matches one or more trailing segments; only allowed as the last segment.
 * </ul>
 *
 * <p>Instances are immutable; equal paths are {@link #equals equal}.
 */
public final class TopicPath {
  /** The network a path belongs to when it names none and no other default is given. */
  public static final String DEFAULT_NETWORK = "default";

  private static final Splitter SEGMENTS = Splitter.on('/');
  private static final Joiner JOINER = Joiner.on('/');

  private final String network;
  private final ImmutableList<String> segments;
  private final boolean pattern;
  private String text; // toString, once computed: every remote call sends it
  private int hash; // hashCode, once computed (0: not yet): every call looks its path up

  private TopicPath(String network, ImmutableList<String> segments) {
    this.network = network;
    this.segments = segments;
    this.pattern = segments.stream().anyMatch(TopicPath::isWildcard);
  }

  /** Parses {@code path}, placing it in {@link #DEFAULT_NETWORK} when it names no network. */
  public static TopicPath parse(String path) {
    return parse(path, DEFAULT_NETWORK);
  }

  /**
   * Parses {@code path}, placing it in {@code defaultNetwork} when it names no network.
   *
   * @throws IllegalArgumentException if the path is empty, has an empty segment, an unbalanced
   *     template, or a {@code >} that is not last
   */
  public static TopicPath parse(String path, String defaultNetwork) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(defaultNetwork, "defaultNetwork");
    String network = defaultNetwork;
    String rest = path;
    int colon = path.indexOf(':');
    if (colon >= 0) {
      network = path.substring(0, colon);
      rest = path.substring(colon + 1);
      checkArgument(!network.isEmpty(), "empty network in path '%s'", path);
      checkArgument(network.indexOf('/') < 0, "'/' in network of path '%s'", path);
    }
    checkArgument(!rest.isEmpty(), "empty path '%s'", path);
    ImmutableList<String> segments = ImmutableList.copyOf(SEGMENTS.split(rest));
    for (int i = 0; i < segments.size(); i++) {
      String s = segments.get(i);
      checkArgument(!s.isEmpty(), "empty segment in path '%s'", path);
      checkArgument(s.indexOf(':') < 0, "':' inside a segment of path '%s'", path);
      checkArgument(
          !s.equals(">") || i == segments.size() - 1, "'>' must be the last segment in '%s'", path);
      boolean opens = s.startsWith("{");
      boolean closes = s.endsWith("}");
      checkArgument(
          opens == closes && (!opens || s.length() > 2) && s.indexOf('{', 1) < 0,
          "malformed template segment '%s' in path '%s'",
          s,
          path);
    }
    return new TopicPath(network, segments);
  }

  /** Returns this path with {@code child} (one or more segments) appended. */
  public TopicPath child(String child) {
    TopicPath tail = parse(child, network);
    checkArgument(tail.network.equals(network), "child '%s' names another network", child);
    checkArgument(!isMultiWildcard(last()), "cannot append to a path ending in '>'");
    return new TopicPath(
        network, ImmutableList.<String>builder().addAll(segments).addAll(tail.segments).build());
  }

  /** The network this path belongs to. */
  public String network() {
    return network;
  }

  /** The segments after the network, in order. */
  public List<String> segments() {
    return segments;
  }

  /** The path without its network: {@code service/action}. */
  public String actionPath() {
    return JOINER.join(segments);
  }

  /** True when the path holds a template, {@code *} or {@code >} and so can only be a pattern. */
  public boolean isPattern() {
    return pattern;
  }

  /**
   * Matches this pattern against a concrete path.
   *
   * @return the captured template values when {@code concrete} matches, else empty
   */
  public Optional<ImmutableMap<String, String>> match(TopicPath concrete) {
    if (!network.equals(concrete.network)) {
      return Optional.empty();
    }
    ImmutableMap.Builder<String, String> params = ImmutableMap.builder();
    List<String> other = concrete.segments;
    for (int i = 0; i < segments.size(); i++) {
      String s = segments.get(i);
      if (isMultiWildcard(s)) {
        return other.size() > i ? Optional.of(params.buildKeepingLast()) : Optional.empty();
      }
      if (i >= other.size()) {
        return Optional.empty();
      }
      if (isTemplate(s)) {
        params.put(templateName(s), other.get(i));
      } else if (!isSingleWildcard(s) && !s.equals(other.get(i))) {
        return Optional.empty();
      }
    }
    return other.size() == segments.size()
        ? Optional.of(params.buildKeepingLast())
        : Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof TopicPath other
            && hashCode() == other.hashCode()
            && network.equals(other.network)
            && segments.equals(other.segments));
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = 31 * network.hashCode() + segments.hashCode();
      hash = h;
    }
    return h;
  }

  /** The canonical form, {@code network:segment/segment}. */
  @Override
  public String toString() {
    String s = text;
    if (s == null) {
      s = network + ':' + actionPath();
      text = s; // a benign race, as String's hash: every thread computes the same value
    }
    return s;
  }

  private String last() {
    return segments.get(segments.size() - 1);
  }

  /** Whether {@code segment} of a parsed path is a {@code {template}}, matching any one segment. */
  public static boolean isTemplate(String segment) {
    return segment.startsWith("{");
  }

  static String templateName(String segment) {
    return segment.substring(1, segment.length() - 1);
  }

  /** Whether {@code segment} of a parsed path is {@code *}, matching any one segment. */
  public static boolean isSingleWildcard(String segment) {
    return segment.equals("*");
  }

  /** Whether {@code segment} of a parsed path is {@code >}, matching one or more segments. */
  public static boolean isMultiWildcard(String segment) {
    return segment.equals(">");
  }

  private static boolean isWildcard(String segment) {
    return isTemplate(segment) || isSingleWildcard(segment) || isMultiWildcard(segment);
  }
}
