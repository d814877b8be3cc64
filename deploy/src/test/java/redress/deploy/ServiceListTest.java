package redress.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static redress.deploy.YamlTrees.list;
import static redress.deploy.YamlTrees.map;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import redress.localrun.LocalRun;

/**
 * {@link LocalRun#SERVICES} is the one list of services: the compose file, the Kubernetes files and
 * the README's table must name exactly these services, each with its port.
 */
class ServiceListTest {

    /** The list, by name, with its ports. */
    private static final Map<String, Integer> EXPECTED = expected();

    private static Map<String, Integer> expected() {
        Map<String, Integer> m = new TreeMap<>();
        LocalRun.SERVICES.forEach(s -> m.put(s.name(), s.port()));
        return m;
    }

    /** The deploy module's folder: the working directory under Maven, the repository root in an IDE. */
    private static Path deployDir() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("compose")) ? here : here.resolve("deploy");
    }

    @Test
    void composeRunsEveryServiceOfTheListAndNoOther() throws IOException {
        Map<String, Object> compose =
                yaml(deployDir().resolve("compose/compose.yaml")).get(0);
        Map<String, Object> services = map(compose.get("services"), "compose services");
        Map<String, Integer> found = new TreeMap<>();
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Map<String, Object> service = map(e.getValue(), e.getKey());
            if (!service.containsKey("build")) {
                continue; // infrastructure from an image: PostgreSQL, Kafka, the topics job
            }
            String context = String.valueOf(
                    map(service.get("build"), e.getKey() + ".build").get("context"));
            assertTrue(
                    context.endsWith("/" + e.getKey()),
                    "compose service " + e.getKey() + " is built from " + context + ", not from its own module");
            found.put(e.getKey(), null);
            for (Object mapping : list(service.get("ports"))) {
                String[] parts = String.valueOf(mapping).split(":");
                if (parts.length == 2 && parts[0].equals(parts[1])) {
                    found.put(e.getKey(), Integer.valueOf(parts[1]));
                }
            }
        }
        assertEquals(
                EXPECTED,
                found,
                "compose.yaml: the built services and their published ports (host port = container port)"
                        + " must be LocalRun.SERVICES");
    }

    @Test
    void kubernetesDeploysEveryServiceOfTheListAndNoOther() throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(deployDir().resolve("kubernetes"))) {
            for (Path f : files.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList()) {
                docs.addAll(yaml(f));
            }
        }
        Set<String> infrastructure = new HashSet<>();
        Map<String, Integer> deployments = new TreeMap<>();
        Map<String, Integer> services = new TreeMap<>();
        Set<String> kafkaUsers = new HashSet<>();
        for (Map<String, Object> doc : docs) {
            String kind = String.valueOf(doc.get("kind"));
            String name =
                    String.valueOf(map(doc.get("metadata"), kind + ".metadata").get("name"));
            switch (kind) {
                case "StatefulSet" -> infrastructure.add(name);
                case "Deployment" -> deployments.put(name, containerPort(doc, name));
                case "Service" -> services.put(name, servicePort(doc, name));
                case "KafkaUser" -> kafkaUsers.add(name);
                default -> {
                    // topics, config: not a service
                }
            }
        }
        services.keySet().removeAll(infrastructure);
        assertEquals(
                EXPECTED,
                deployments,
                "kubernetes: the Deployments and their container ports must be LocalRun.SERVICES");
        assertEquals(
                EXPECTED,
                services,
                "kubernetes: the Services (other than for a StatefulSet) and their ports must be "
                        + "LocalRun.SERVICES");
        assertEquals(
                EXPECTED.keySet(),
                kafkaUsers,
                "kubernetes: a KafkaUser per service of LocalRun.SERVICES, and no other");
    }

    @Test
    void theReadmeTableListsEveryServiceOfTheListAndNoOther() throws IOException {
        List<String> lines = Files.readAllLines(deployDir().resolveSibling("README.md"));
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).replace(" ", "").startsWith("|service|port|")) {
                header = i;
                break;
            }
        }
        if (header < 0) {
            fail("README.md has no table whose first columns are 'service' and 'port'");
        }
        Map<String, Integer> rows = new TreeMap<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            String name = cells[1].trim().replace("`", "");
            String port = cells[2].trim().replace("`", "");
            assertTrue(port.matches("\\d+"), "README.md: the port of " + name + " is not a number: " + port);
            rows.put(name, Integer.valueOf(port));
        }
        assertEquals(EXPECTED, rows, "README.md: the services table must be LocalRun.SERVICES");
    }

    private static Integer containerPort(Map<String, Object> deployment, String name) {
        Map<String, Object> pod =
                map(map(map(deployment.get("spec"), name).get("template"), name).get("spec"), name);
        Set<Integer> ports = new HashSet<>();
        for (Object c : list(pod.get("containers"))) {
            for (Object p : list(map(c, name + " container").get("ports"))) {
                ports.add((Integer) map(p, name + " port").get("containerPort"));
            }
        }
        return ports.size() == 1 ? ports.iterator().next() : null;
    }

    private static Integer servicePort(Map<String, Object> service, String name) {
        List<Object> ports = list(map(service.get("spec"), name).get("ports"));
        return ports.size() == 1 ? (Integer) map(ports.get(0), name + " port").get("port") : null;
    }

    private static List<Map<String, Object>> yaml(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r)) {
                if (doc != null) {
                    docs.add(map(doc, file.getFileName().toString()));
                }
            }
        }
        return docs;
    }
}
