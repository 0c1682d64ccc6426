package dev.runar.internal;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.runar.registry.TopicPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A thread-safe index from path patterns to values, answering which patterns match a concrete path.
 * The node keeps one for actions (where the best match wins) and one for event subscriptions (where
 * every match is delivered).
 *
 * <p><b>Precedence.</b> When several patterns match, {@link #best} compares them segment by segment
 * from the left; at the first segment where they differ, a literal beats a {@code {template}},
 * which beats {@code *}, which beats {@code >}. So {@code users/admin} beats {@code users/{id}},
 * which beats {@code users/*}, which beats {@code users/>}; and {@code a/x/>} beats {@code
 * a/{p}/b}. Among values registered under the very same pattern, the earliest wins.
 *
 * @param <T> what a pattern maps to
 */
public final class PathTrie<T> {
  private final Map<String, TrieNode<T>> roots = new HashMap<>();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  /**
   * Adds {@code value} under {@code pattern} (a concrete path is a pattern that matches itself).
   */
  public void add(TopicPath pattern, T value) {
    lock.writeLock().lock();
    try {
      TrieNode<T> node = roots.computeIfAbsent(pattern.network(), n -> new TrieNode<>());
      for (String segment : pattern.segments()) {
        node = node.child(segment);
      }
      node.entries.add(new Match<>(pattern, value, ImmutableMap.of()));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes {@code value} from {@code pattern}; returns whether it was there. */
  public boolean remove(TopicPath pattern, T value) {
    lock.writeLock().lock();
    try {
      TrieNode<T> node = roots.get(pattern.network());
      for (int i = 0; node != null && i < pattern.segments().size(); i++) {
        node = node.existingChild(pattern.segments().get(i));
      }
      // Emptied nodes stay: patterns are few and long-lived, and pruning would cost a parent walk.
      return node != null && node.entries.removeIf(e -> e.value().equals(value));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Values registered under exactly {@code pattern}. */
  public List<T> exact(TopicPath pattern) {
    lock.readLock().lock();
    try {
      TrieNode<T> node = roots.get(pattern.network());
      for (int i = 0; node != null && i < pattern.segments().size(); i++) {
        node = node.existingChild(pattern.segments().get(i));
      }
      return node == null
          ? ImmutableList.of()
          : node.entries.stream().map(Match::value).collect(ImmutableList.toImmutableList());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The most specific match for {@code path} (see the class docs), if any. */
  public Optional<Match<T>> best(TopicPath path) {
    checkArgument(!path.isPattern(), "not a concrete path: %s", path);
    lock.readLock().lock();
    try {
      TrieNode<T> root = roots.get(path.network());
      if (root == null) {
        return Optional.empty();
      }
      List<Match<T>> found = new ArrayList<>(1);
      root.collect(path.segments(), 0, true, found);
      return found.isEmpty() ? Optional.empty() : Optional.of(withParams(found.get(0), path));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every match for {@code path}, most specific first. */
  public List<Match<T>> all(TopicPath path) {
    checkArgument(!path.isPattern(), "not a concrete path: %s", path);
    lock.readLock().lock();
    try {
      TrieNode<T> root = roots.get(path.network());
      if (root == null) {
        return ImmutableList.of();
      }
      List<Match<T>> found = new ArrayList<>();
      root.collect(path.segments(), 0, false, found);
      ImmutableList.Builder<Match<T>> result = ImmutableList.builderWithExpectedSize(found.size());
      for (Match<T> m : found) {
        result.add(withParams(m, path));
      }
      return result.build();
    } finally {
      lock.readLock().unlock();
    }
  }

  private static <T> Match<T> withParams(Match<T> entry, TopicPath path) {
    ImmutableMap<String, String> params =
        entry.pattern().match(path).orElseThrow(() -> new AssertionError(entry + " ~ " + path));
    return new Match<>(entry.pattern(), entry.value(), params);
  }

  private static final class TrieNode<T> {
    final Map<String, TrieNode<T>> literals = new HashMap<>();
    TrieNode<T> template;
    TrieNode<T> single;
    TrieNode<T> rest;
    final List<Match<T>> entries = new ArrayList<>(1);

    TrieNode<T> child(String segment) {
      if (TopicPath.isTemplate(segment)) {
        return template == null ? (template = new TrieNode<>()) : template;
      } else if (TopicPath.isSingleWildcard(segment)) {
        return single == null ? (single = new TrieNode<>()) : single;
      } else if (TopicPath.isMultiWildcard(segment)) {
        return rest == null ? (rest = new TrieNode<>()) : rest;
      }
      return literals.computeIfAbsent(segment, s -> new TrieNode<>());
    }

    TrieNode<T> existingChild(String segment) {
      if (TopicPath.isTemplate(segment)) {
        return template;
      } else if (TopicPath.isSingleWildcard(segment)) {
        return single;
      } else if (TopicPath.isMultiWildcard(segment)) {
        return rest;
      }
      return literals.get(segment);
    }

    /**
     * Depth-first in precedence order, so the first entry found is the best one. Returns true when
     * {@code firstOnly} and something was found, to stop the search.
     */
    boolean collect(List<String> path, int index, boolean firstOnly, List<Match<T>> out) {
      if (index == path.size()) {
        return add(entries, firstOnly, out);
      }
      return visit(literals.get(path.get(index)), path, index, firstOnly, out)
          || visit(template, path, index, firstOnly, out)
          || visit(single, path, index, firstOnly, out)
          || (rest != null && add(rest.entries, firstOnly, out));
    }

    private static <T> boolean visit(
        TrieNode<T> next, List<String> path, int index, boolean firstOnly, List<Match<T>> out) {
      return next != null && next.collect(path, index + 1, firstOnly, out);
    }

    private static <T> boolean add(List<Match<T>> entries, boolean firstOnly, List<Match<T>> out) {
      if (entries.isEmpty()) {
        return false;
      }
      if (firstOnly) {
        out.add(entries.get(0));
        return true;
      }
      out.addAll(entries);
      return false;
    }
  }
}
