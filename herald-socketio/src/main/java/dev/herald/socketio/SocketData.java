package dev.herald.socketio;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@link Socket#data()}: a concurrent map that tells its socket after each change, so observers
 * (the Admin UI's {@code socket_updated}) see what the application stores, as Node's admin UI sees
 * assignments to {@code socket.data}. Changes go through the map's own methods: its views are
 * read-only, since a change through an iterator or an entry could not be seen.
 *
 * <p>Threading: any thread, as {@link ConcurrentHashMap}; the socket is told on the thread that
 * made the change, after it.
 */
final class SocketData extends AbstractMap<String, Object> implements ConcurrentMap<String, Object> {

    private final Socket socket;
    private final ConcurrentHashMap<String, Object> map = new ConcurrentHashMap<>();

    SocketData(Socket socket) {
        this.socket = socket;
    }

    /** Fills the map without telling anyone: a recovered socket gets its data back before it is seen. */
    void restore(Map<String, Object> data) {
        map.putAll(data);
    }

    private <T> T changed(T result) {
        socket.dataChanged();
        return result;
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return map.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return map.containsValue(value);
    }

    @Override
    public Object get(Object key) {
        return map.get(key);
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
        return map.getOrDefault(key, defaultValue);
    }

    @Override
    public Set<String> keySet() {
        return Collections.unmodifiableSet(map.keySet());
    }

    @Override
    public Collection<Object> values() {
        return Collections.unmodifiableCollection(map.values());
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return Collections.unmodifiableSet(map.entrySet());
    }

    @Override
    public Object put(String key, Object value) {
        return changed(map.put(key, value));
    }

    @Override
    public void putAll(Map<? extends String, ?> m) {
        map.putAll(m);
        changed(null);
    }

    @Override
    public Object putIfAbsent(String key, Object value) {
        Object previous = map.putIfAbsent(key, value);
        return previous == null ? changed(null) : previous;
    }

    @Override
    public Object remove(Object key) {
        Object previous = map.remove(key);
        return previous == null ? null : changed(previous);
    }

    @Override
    public boolean remove(Object key, Object value) {
        return map.remove(key, value) && changed(true);
    }

    @Override
    public boolean replace(String key, Object oldValue, Object newValue) {
        return map.replace(key, oldValue, newValue) && changed(true);
    }

    @Override
    public Object replace(String key, Object value) {
        Object previous = map.replace(key, value);
        return previous == null ? null : changed(previous);
    }

    @Override
    public void clear() {
        map.clear();
        changed(null);
    }

    @Override
    public Object computeIfAbsent(String key, Function<? super String, ?> mappingFunction) {
        boolean[] computed = {false};
        Object v = map.computeIfAbsent(key, k -> {
            computed[0] = true;
            return mappingFunction.apply(k);
        });
        return computed[0] ? changed(v) : v;
    }

    @Override
    public Object computeIfPresent(String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
        boolean[] present = {false};
        Object v = map.computeIfPresent(key, (k, old) -> {
            present[0] = true;
            return remappingFunction.apply(k, old);
        });
        return present[0] ? changed(v) : v;
    }

    @Override
    public Object compute(String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
        boolean[] present = {false};
        Object v = map.compute(key, (k, old) -> {
            present[0] = old != null;
            return remappingFunction.apply(k, old);
        });
        // Absent and still absent: nothing changed.
        return present[0] || v != null ? changed(v) : v;
    }

    @Override
    public Object merge(String key, Object value, BiFunction<? super Object, ? super Object, ?> remappingFunction) {
        return changed(map.merge(key, value, remappingFunction));
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
        map.replaceAll(function);
        changed(null);
    }

    @Override
    public boolean equals(Object o) {
        return map.equals(o);
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
