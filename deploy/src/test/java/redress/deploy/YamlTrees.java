package redress.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;

/** Reading the trees SnakeYAML gives for the deployment files: a mapping, or a list (absent: empty). */
final class YamlTrees {

    private YamlTrees() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) {
        if (!(o instanceof Map)) {
            fail(what + " is not a mapping: " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List ? (List<Object>) o : List.of();
    }
}
