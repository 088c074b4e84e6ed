package dev.deployer.core.plan;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/**
 * Copies of records with some components changed, for the {@code with} methods of records with many
 * components: one line each, instead of the canonical constructor called again with every component
 * named. The copy goes through the canonical constructor, so its checks and defensive copies apply
 * as to any other instance.
 */
public final class Records {
  private Records() {}

  /**
   * {@code record} with the named components changed.
   *
   * @param changes names and values, alternately: {@code "timeout", Duration.ofSeconds(5)}
   * @throws IllegalArgumentException for a name the record has no component of, or a value of the
   *     wrong type: a mistake in the caller, found by the first test that calls it
   */
  public static <R extends Record> R with(R record, Object... changes) {
    if (changes.length % 2 != 0) {
      throw new IllegalArgumentException("names and values come in pairs");
    }
    RecordComponent[] components = record.getClass().getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        values[i] = components[i].getAccessor().invoke(record);
      }
      for (int c = 0; c < changes.length; c += 2) {
        values[index(components, changes[c])] = changes[c + 1];
      }
      @SuppressWarnings("unchecked")
      Constructor<R> canonical = (Constructor<R>) record.getClass().getDeclaredConstructor(types);
      return canonical.newInstance(values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // the canonical constructor's own check
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int index(RecordComponent[] components, Object name) {
    for (int i = 0; i < components.length; i++) {
      if (components[i].getName().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        components[0].getDeclaringRecord().getSimpleName() + " has no component " + name);
  }
}
