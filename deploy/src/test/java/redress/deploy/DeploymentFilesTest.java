package redress.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static redress.deploy.YamlTrees.list;
import static redress.deploy.YamlTrees.map;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import redress.events.Topics;
import redress.localrun.LocalRun;

/**
 * What can be checked of {@code deploy/compose} and {@code deploy/kubernetes} without a container
 * engine or a cluster: that they parse, that every variable they give a service is a setting that
 * service reads, that the topics, Kafka ACLs and databases they name are the project's, that the
 * Strimzi Kafka cluster is the one the services and KafkaUsers expect, that each service logs in to
 * its own database as a role the files create, and that every Deployment has probes, resource
 * requests and more than one replica. Whether the images build, the operators
 * (Strimzi, CloudNativePG) accept the resources, or SASL, the ACLs and the database logins work is
 * not checked here.
 */
class DeploymentFilesTest {

    private static final Path DEPLOY = deployDir();
    private static final Path REPO = DEPLOY.toAbsolutePath().getParent();
    private static final Path COMPOSE = DEPLOY.resolve("compose/compose.yaml");
    private static final Path INIT_SQL = DEPLOY.resolve("compose/init-databases.sql");

    /** The services, by module name (which is also their compose service, Deployment and KafkaUser name). */
    private static final List<String> SERVICES =
            LocalRun.SERVICES.stream().map(LocalRun.Service::name).toList();

    /**
     * Settings the framework reads that no file of the project names (outside a test profile), and
     * which a deployment may legitimately set. Property names, or variable names for what is not a
     * MicroProfile Config property.
     */
    private static final Map<String, String> BUILT_IN = Map.of(
            // Selects the configuration profile (prod in a built jar); Quarkus reads it itself.
            "quarkus.profile", "Quarkus profile",
            // SmallRye JWT: where the token verification key is (a file or a JWKS URL); service-support
            // names it only for the test profile, deployments must set it (docs/operations.md).
            "mp.jwt.verify.publickey.location", "SmallRye JWT key location",
            // SmallRye JWT: the verification key itself instead of its location (docs/operations.md).
            "mp.jwt.verify.publickey", "SmallRye JWT key",
            // Read by the JVM itself. Not JAVA_OPTS: the images start `java -jar` directly (each
            // service's Dockerfile.jvm), without a run script that would read it.
            "JAVA_TOOL_OPTIONS", "JVM options");

    /**
     * Every Kafka client setting (producer, consumer, admin), as {@code kafka.<setting>}: Quarkus
     * passes every {@code kafka.*} property (a {@code KAFKA_*} variable) to the SmallRye channels and
     * to service-support's {@code KafkaClients} (docs/operations.md, "Kafka security").
     */
    private static final Set<String> KAFKA_CLIENT_SETTINGS = kafkaClientSettings();

    private static final Pattern CREATE_DATABASE = Pattern.compile("(?i)^CREATE\\s+DATABASE\\s+(\\w+)$");

    // ---------------------------------------------------------------- 1. the files parse

    @Test
    void everyFileParsesAndEveryKubernetesDocumentIsNamed() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Object> compose = composeFile();
        if (!(compose.get("services") instanceof Map<?, ?> s) || s.isEmpty()) {
            problems.add("compose.yaml: no services");
        }
        if (createdDatabases(Files.readString(INIT_SQL), "init-databases.sql", problems)
                .isEmpty()) {
            problems.add("init-databases.sql: creates no database");
        }
        List<Path> files = kubernetesFiles();
        assertFalse(files.isEmpty(), "deploy/kubernetes has no YAML file");
        for (Path f : files) {
            List<Map<String, Object>> docs = yaml(f);
            if (docs.isEmpty()) {
                problems.add("kubernetes/" + f.getFileName() + ": no document");
            }
            int i = 0;
            for (Map<String, Object> doc : docs) {
                i++;
                String where = "kubernetes/" + f.getFileName() + " document " + i;
                for (String field : List.of("apiVersion", "kind")) {
                    if (!(doc.get(field) instanceof String v) || v.isBlank()) {
                        problems.add(where + ": no " + field);
                    }
                }
                if (!(doc.get("metadata") instanceof Map<?, ?> m)
                        || !(m.get("name") instanceof String n)
                        || n.isBlank()) {
                    problems.add(where + " (" + doc.get("kind") + "): no metadata.name");
                }
            }
        }
        assertNoProblems(problems);
    }

    // ---------------------------------------------------------------- 2. every variable is read

    @Test
    void everyVariableGivenToAServiceIsASettingThatServiceReads() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> known = new TreeMap<>();
        for (String service : SERVICES) {
            known.put(service, knownSettings(service));
        }
        for (ServiceEnv e : allServiceEnvs(problems)) {
            Set<String> keys = known.get(e.service());
            for (String var : e.env().keySet()) {
                if (!isKnown(var, keys)) {
                    problems.add(e.file() + ": " + e.service() + " is given " + var
                            + ", which maps to no setting that service reads (its application.properties, service-support's"
                            + " microprofile-config.properties, @ConfigProperty/@ConfigMapping in its sources, a Kafka client"
                            + " setting, or the short list of framework settings in this test)");
                }
            }
        }
        assertNoProblems(problems);
    }

    @Test
    void theVariableCheckRefusesWhatNoServiceReads() throws IOException {
        Set<String> intake = knownSettings("intake-service");
        assertTrue(isKnown("QUARKUS_DATASOURCE_JDBC_URL", intake));
        assertTrue(isKnown("REDRESS_CUSTOMER_KEYS_KEK", intake), "a @ConfigMapping member, '-' as '_'");
        assertTrue(isKnown("KAFKA_SASL_JAAS_CONFIG", intake), "a Kafka client setting");
        assertFalse(isKnown("KAFKA_SASL_MECHANISMS", intake), "no such Kafka client setting");
        assertFalse(isKnown("REDRESS_CUSTOMER_KEYS_KEY", intake), "no such member");
        assertFalse(isKnown("REDRESS_AUDIT_SIGNING_KEY_FILE", intake), "audit-service's setting, not intake's");
        assertFalse(isKnown("JAVA_OPTS", intake), "the images do not read JAVA_OPTS");
    }

    // ---------------------------------------------------------------- 3. topics, ACLs, roles

    @Test
    void everyTopicNamedIsOneOfTopicsAndEveryTopicIsCreated() throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> topics = new TreeSet<>(Topics.all());

        Set<String> kafkaTopics = new TreeSet<>();
        for (Doc d : kubernetesDocs()) {
            if (d.kind().equals("KafkaTopic")) {
                Map<String, Object> spec = map(d.doc().get("spec"), d.where());
                String name = spec.get("topicName") instanceof String t ? t : d.name();
                kafkaTopics.add(name);
                Object retention =
                        map(spec.get("config"), d.where() + " spec.config").get("retention.ms");
                if (!"-1".equals(String.valueOf(retention))) {
                    problems.add(
                            d.where() + ": retention.ms is " + retention + ", not -1 (the topics are the history)");
                }
            }
        }
        compare(problems, "kubernetes KafkaTopics", kafkaTopics, topics);

        // The compose job's `for t in <topics>; do ... --create`.
        Map<String, Object> job =
                map(map(composeFile().get("services"), "compose services").get("topics"), "compose service topics");
        Matcher m = Pattern.compile("for t in ([^;]*);")
                .matcher(String.valueOf(job.get("command")).replace("\\\n", " "));
        if (!m.find()) {
            problems.add("compose.yaml: the topics job has no `for t in ...;` list of topics");
        } else {
            compare(
                    problems,
                    "compose.yaml topics job",
                    new TreeSet<>(List.of(m.group(1).trim().split("\\s+"))),
                    topics);
        }

        // Variables that name topics (a channel's topic, say).
        namesOnlyKnown(problems, var -> var.contains("TOPIC"), "topic", topics, "redress.events.Topics");
        assertNoProblems(problems);
    }

    /**
     * Each KafkaUser's ACLs name topics of {@link Topics} and the service's own consumer group; it
     * may read every topic its service consumes and write each one's dead letters; every topic (not a
     * dead-letter one) has one writer. Each Deployment logs in with its own KafkaUser's Secret.
     */
    @Test
    void kafkaUsersAreAllowedWhatTheirServiceUses() throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> topics = new HashSet<>(Topics.all());
        Map<String, Set<String>> writers = new TreeMap<>();
        Set<String> clusters = new TreeSet<>();
        for (Doc d : kubernetesDocs()) {
            // Every Strimzi resource but the Kafka itself says by the label which cluster it belongs to.
            if (d.apiVersion().startsWith("kafka.strimzi.io/") && !d.kind().equals("Kafka")) {
                Object cluster =
                        d.doc().get("metadata") instanceof Map<?, ?> md && md.get("labels") instanceof Map<?, ?> l
                                ? l.get("strimzi.io/cluster")
                                : null;
                if (cluster == null) {
                    problems.add(d.where() + ": no strimzi.io/cluster label");
                } else {
                    clusters.add(String.valueOf(cluster));
                }
            }
            if (!d.kind().equals("KafkaUser")) {
                continue;
            }
            String service = d.name();
            if (!SERVICES.contains(service)) {
                problems.add(d.where() + ": KafkaUser " + service + " is no service of LocalRun.SERVICES");
                continue;
            }
            Map<String, Set<String>> topicOps = new TreeMap<>();
            Map<String, Set<String>> groupOps = new TreeMap<>();
            Map<String, Object> authz =
                    map(map(d.doc().get("spec"), d.where()).get("authorization"), d.where() + " authorization");
            for (Object a : list(authz.get("acls"))) {
                Map<String, Object> acl = map(a, d.where() + " acl");
                Map<String, Object> resource = map(acl.get("resource"), d.where() + " acl resource");
                String type = String.valueOf(resource.get("type"));
                String name = String.valueOf(resource.get("name"));
                Set<String> ops = new TreeSet<>();
                list(acl.get("operations")).forEach(o -> ops.add(String.valueOf(o)));
                if (!"literal".equals(String.valueOf(resource.getOrDefault("patternType", "literal")))) {
                    problems.add(d.where() + ": ACL on " + type + " " + name
                            + " is not literal; each service gets its own names only");
                }
                switch (type) {
                    case "topic" -> {
                        if (!topics.contains(name)) {
                            problems.add(d.where() + ": ACL names topic " + name
                                    + ", which is not in redress.events.Topics");
                        }
                        topicOps.computeIfAbsent(name, k -> new TreeSet<>()).addAll(ops);
                    }
                    case "group" ->
                        groupOps.computeIfAbsent(name, k -> new TreeSet<>()).addAll(ops);
                    default -> problems.add(d.where() + ": ACL on a " + type + " (" + name + "), not a topic or group");
                }
            }
            Properties props = applicationProperties(service);
            Set<String> groups = consumerGroups(props);
            if (!groupOps.keySet().equals(groups)) {
                problems.add(d.where() + ": ACLs on groups " + groupOps.keySet() + ", but " + service + " consumes as "
                        + groups);
            }
            groupOps.forEach((g, ops) -> {
                if (!ops.contains("Read")) {
                    problems.add(d.where() + ": no Read on its consumer group " + g);
                }
            });
            for (String consumed : consumedTopics(props)) {
                if (!topics.contains(consumed)) {
                    problems.add(service + " application.properties consumes " + consumed
                            + ", which is not in redress.events.Topics");
                }
                if (!topicOps.getOrDefault(consumed, Set.of()).contains("Read")) {
                    problems.add(d.where() + ": " + service + " consumes " + consumed + " but may not Read it");
                }
                if (!topicOps.getOrDefault(Topics.dlq(consumed), Set.of()).contains("Write")) {
                    problems.add(d.where() + ": " + service + " consumes " + consumed
                            + " but may not Write its dead letters (" + Topics.dlq(consumed) + ")");
                }
            }
            topicOps.forEach((t, ops) -> {
                if (ops.contains("Write") && !t.endsWith(Topics.DLQ_SUFFIX)) {
                    writers.computeIfAbsent(t, k -> new TreeSet<>()).add(service);
                }
            });
        }
        if (clusters.size() != 1) {
            problems.add(
                    "kubernetes: Strimzi resources name " + clusters.size() + " clusters " + clusters + ", not one");
        }
        for (String t : Topics.all()) {
            if (!t.endsWith(Topics.DLQ_SUFFIX)
                    && writers.getOrDefault(t, Set.of()).size() != 1) {
                problems.add("kubernetes: topic " + t + " may be written by " + writers.getOrDefault(t, Set.of())
                        + "; it needs exactly one writer (its owner)");
            }
        }
        String cluster = clusters.isEmpty() ? "?" : clusters.iterator().next();
        for (Doc d : kubernetesDocs()) {
            if (!d.kind().equals("Deployment") || !SERVICES.contains(d.name())) {
                continue;
            }
            for (Map<String, Object> c : containers(d)) {
                Map<String, Object> jaas = envEntry(c, "KAFKA_SASL_JAAS_CONFIG");
                Map<?, ?> ref = jaas != null
                                && jaas.get("valueFrom") instanceof Map<?, ?> vf
                                && vf.get("secretKeyRef") instanceof Map<?, ?> r
                        ? r
                        : null;
                if (ref == null || !d.name().equals(ref.get("name")) || !"sasl.jaas.config".equals(ref.get("key"))) {
                    problems.add(d.where()
                            + ": KAFKA_SASL_JAAS_CONFIG must come from the Secret Strimzi makes for KafkaUser "
                            + d.name() + " (key sasl.jaas.config), not " + (jaas == null ? "nothing" : jaas));
                }
                String bootstrap = envValue(c, "KAFKA_BOOTSTRAP_SERVERS");
                if (bootstrap == null || !bootstrap.startsWith(cluster + "-kafka-bootstrap:")) {
                    problems.add(d.where() + ": KAFKA_BOOTSTRAP_SERVERS is " + bootstrap
                            + ", not the bootstrap Service of the" + " Strimzi cluster " + cluster + " (" + cluster
                            + "-kafka-bootstrap:<port>)");
                }
            }
        }
        assertNoProblems(problems);
    }

    /**
     * The Strimzi {@code Kafka} resource is there, once, and is what the rest of the files expect:
     * <ul>
     * <li>every other Strimzi resource (KafkaTopic, KafkaUser, KafkaNodePool) has its name as
     * {@code strimzi.io/cluster} label (the operators ignore the others);</li>
     * <li>its node pools give it controllers (KRaft, an odd number) and brokers, at least as many
     * brokers as any topic has replicas, each pool with CPU and memory requests; a
     * {@code v1beta2} Kafka carries the {@code strimzi.io/kraft} and {@code strimzi.io/node-pools}
     * annotations (which Strimzi before 0.48 needs, later ones ignore);</li>
     * <li>each service's {@code KAFKA_BOOTSTRAP_SERVERS} is {@code <name>-kafka-bootstrap:<port>} for
     * the port of one of its internal listeners, whose {@code tls} is what the service's
     * {@code KAFKA_SECURITY_PROTOCOL} expects, whose authentication is that of the service's
     * KafkaUser and whose SASL mechanism the service sets in {@code KAFKA_SASL_MECHANISM};</li>
     * <li>its authorization is the type of the KafkaUsers' ACLs ({@code simple});</li>
     * <li>its Entity Operator has the Topic Operator (KafkaTopics) and the User Operator
     * (KafkaUsers), which are what make topics and users of them;</li>
     * <li>{@code auto.create.topics.enable} is false (topics come from KafkaTopics only), and
     * {@code min.insync.replicas} is below {@code default.replication.factor}.</li>
     * </ul>
     */
    @Test
    void theStrimziKafkaClusterIsTheOneTheServicesAndUsersExpect() throws IOException {
        assertNoProblems(strimziClusterProblems(kubernetesDocs()));
    }

    /** The check above reports each way of breaking the cluster (the files read afresh and broken in memory). */
    @Test
    void theStrimziClusterCheckRefusesBrokenClusters() throws IOException {
        refuses(docs -> docs.removeIf(d -> d.kind().equals("Kafka")), "no Strimzi Kafka resource");
        refuses(
                docs -> {
                    Doc k = strimzi(docs, "Kafka");
                    docs.add(new Doc(k.file(), k.apiVersion(), k.kind(), "other", k.doc()));
                },
                "2 Strimzi Kafka resources");
        refuses(
                docs -> labels(strimzi(docs, "KafkaTopic")).put("strimzi.io/cluster", "other"),
                "KafkaTopic case-events: strimzi.io/cluster is other");
        refuses(
                docs -> labels(strimzi(docs, "KafkaNodePool")).put("strimzi.io/cluster", "other"),
                "KafkaNodePool dual-role: strimzi.io/cluster is other");
        refuses(docs -> listener(docs).put("port", 9094), "KAFKA_BOOTSTRAP_SERVERS is redress-kafka-bootstrap:9093");
        refuses(docs -> listener(docs).put("tls", false), "with tls false");
        refuses(
                docs -> listener(docs).put("authentication", new LinkedHashMap<>(Map.of("type", "tls"))),
                "authenticates by tls");
        refuses(
                docs -> map(
                                map(strimzi(docs, "KafkaUser").doc().get("spec"), "spec")
                                        .get("authentication"),
                                "authentication")
                        .put("type", "tls"),
                "its KafkaUser authenticates by tls");
        refuses(
                docs -> envEntry(containers(deployment(docs, "intake-service")).get(0), "KAFKA_SASL_MECHANISM")
                        .put("value", "SCRAM-SHA-256"),
                "KAFKA_SASL_MECHANISM is SCRAM-SHA-256");
        refuses(
                docs -> kafkaSpec(docs).remove("authorization"),
                "Kafka redress is none (its ACLs would not be enforced)");
        refuses(docs -> entityOperator(docs).remove("topicOperator"), "no entityOperator.topicOperator");
        refuses(docs -> entityOperator(docs).remove("userOperator"), "no entityOperator.userOperator");
        refuses(
                docs -> map(kafkaSpec(docs).get("config"), "config").remove("auto.create.topics.enable"),
                "auto.create.topics.enable is not set");
        refuses(
                docs -> map(kafkaSpec(docs).get("config"), "config").put("auto.create.topics.enable", true),
                "auto.create.topics.enable is true");
        refuses(
                docs -> map(strimzi(docs, "KafkaNodePool").doc().get("spec"), "spec")
                        .put("replicas", 2),
                "2 brokers");
        refuses(
                docs -> map(strimzi(docs, "KafkaNodePool").doc().get("spec"), "spec")
                        .remove("resources"),
                "no resources.requests.cpu");
        refuses(
                docs -> map(
                                map(strimzi(docs, "Kafka").doc().get("metadata"), "metadata")
                                        .get("annotations"),
                                "annotations")
                        .remove("strimzi.io/kraft"),
                "annotation strimzi.io/kraft is null");
    }

    private static void refuses(Consumer<List<Doc>> breakage, String expected) throws IOException {
        List<Doc> docs = new ArrayList<>(kubernetesDocs());
        breakage.accept(docs);
        List<String> problems = strimziClusterProblems(docs);
        assertTrue(
                problems.stream().anyMatch(p -> p.contains(expected)),
                "expected a problem containing \"" + expected + "\", got " + problems);
    }

    private static Doc strimzi(List<Doc> docs, String kind) {
        return docs.stream()
                .filter(d -> d.apiVersion().startsWith("kafka.strimzi.io/")
                        && d.kind().equals(kind))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind));
    }

    private static Doc deployment(List<Doc> docs, String name) {
        return docs.stream()
                .filter(d -> d.kind().equals("Deployment") && d.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment " + name));
    }

    private static Map<String, Object> labels(Doc d) {
        return map(map(d.doc().get("metadata"), d.where() + " metadata").get("labels"), d.where() + " labels");
    }

    private static Map<String, Object> kafkaSpec(List<Doc> docs) {
        Doc k = strimzi(docs, "Kafka");
        return map(map(k.doc().get("spec"), k.where() + " spec").get("kafka"), k.where() + " spec.kafka");
    }

    private static Map<String, Object> listener(List<Doc> docs) {
        return map(list(kafkaSpec(docs).get("listeners")).get(0), "listener");
    }

    private static Map<String, Object> entityOperator(List<Doc> docs) {
        Doc k = strimzi(docs, "Kafka");
        return map(map(k.doc().get("spec"), k.where() + " spec").get("entityOperator"), k.where() + " entityOperator");
    }

    /** What a Kafka listener's {@code authentication.type} needs of a client: its SASL mechanism (null: no SASL). */
    private static final Map<String, String> SASL_MECHANISMS = Map.of("scram-sha-512", "SCRAM-SHA-512");

    /** The problems {@link #theStrimziKafkaClusterIsTheOneTheServicesAndUsersExpect()} reports for these documents. */
    static List<String> strimziClusterProblems(List<Doc> docs) {
        List<String> problems = new ArrayList<>();
        List<Doc> kafkas = docs.stream()
                .filter(d -> d.apiVersion().startsWith("kafka.strimzi.io/")
                        && d.kind().equals("Kafka"))
                .toList();
        if (kafkas.isEmpty()) {
            problems.add(
                    "kubernetes: no Strimzi Kafka resource; the KafkaTopics and KafkaUsers have no cluster to be made in");
            return problems;
        }
        if (kafkas.size() != 1) {
            problems.add("kubernetes: " + kafkas.size() + " Strimzi Kafka resources "
                    + kafkas.stream().map(Doc::where).toList() + ", not exactly one");
        }
        Doc kafka = kafkas.get(0);
        String cluster = kafka.name();
        Map<String, Object> spec = map(kafka.doc().get("spec"), kafka.where() + " spec");
        Map<String, Object> kafkaSpec = map(spec.get("kafka"), kafka.where() + " spec.kafka");
        Map<?, ?> config = kafkaSpec.get("config") instanceof Map<?, ?> c ? c : Map.of();

        // Labels, node pools, users, topics.
        int brokers = 0;
        int controllers = 0;
        int pools = 0;
        Map<String, Doc> users = new TreeMap<>();
        int maxTopicReplicas = 0;
        boolean topics = false;
        for (Doc d : docs) {
            if (!d.apiVersion().startsWith("kafka.strimzi.io/") || d.kind().equals("Kafka")) {
                continue;
            }
            Object label = d.doc().get("metadata") instanceof Map<?, ?> md && md.get("labels") instanceof Map<?, ?> l
                    ? l.get("strimzi.io/cluster")
                    : null;
            if (!cluster.equals(label)) {
                problems.add(d.where() + ": strimzi.io/cluster is " + label + ", not " + cluster
                        + ", the name of the Kafka resource (its operators would ignore it)");
                continue;
            }
            Map<String, Object> s = map(d.doc().get("spec"), d.where() + " spec");
            switch (d.kind()) {
                case "KafkaNodePool" -> {
                    pools++;
                    int replicas = s.get("replicas") instanceof Integer r ? r : 0;
                    List<Object> roles = list(s.get("roles"));
                    brokers += roles.contains("broker") ? replicas : 0;
                    controllers += roles.contains("controller") ? replicas : 0;
                    Map<?, ?> requests =
                            s.get("resources") instanceof Map<?, ?> res && res.get("requests") instanceof Map<?, ?> q
                                    ? q
                                    : Map.of();
                    for (String r : List.of("cpu", "memory")) {
                        if (requests.get(r) == null) {
                            problems.add(d.where() + ": no resources.requests." + r);
                        }
                    }
                    if (s.get("storage") == null) {
                        problems.add(d.where() + ": no storage");
                    }
                }
                case "KafkaUser" -> users.put(d.name(), d);
                case "KafkaTopic" -> {
                    topics = true;
                    maxTopicReplicas = Math.max(maxTopicReplicas, s.get("replicas") instanceof Integer r ? r : 0);
                }
                default -> {}
            }
        }
        if (pools == 0) {
            problems.add(kafka.where() + ": no KafkaNodePool of the cluster (strimzi.io/cluster: " + cluster + ")");
        }
        if (controllers == 0 || controllers % 2 == 0) {
            problems.add(kafka.where() + ": " + controllers
                    + " KRaft controllers in its node pools; the quorum needs an odd number");
        }
        int replicationFactor = config.get("default.replication.factor") instanceof Integer r ? r : 1;
        int minInsync = config.get("min.insync.replicas") instanceof Integer m ? m : 1;
        if (brokers < Math.max(replicationFactor, maxTopicReplicas)) {
            problems.add(kafka.where() + ": " + brokers
                    + " brokers in its node pools, fewer than default.replication.factor " + replicationFactor
                    + " or a KafkaTopic's replicas (up to " + maxTopicReplicas + ")");
        }
        if (minInsync >= replicationFactor) {
            problems.add(
                    kafka.where() + ": min.insync.replicas " + minInsync + " is not below default.replication.factor "
                            + replicationFactor + "; losing one broker would stop every write");
        }
        if (kafka.apiVersion().equals("kafka.strimzi.io/v1beta2")) {
            Map<?, ?> annotations =
                    kafka.doc().get("metadata") instanceof Map<?, ?> md && md.get("annotations") instanceof Map<?, ?> a
                            ? a
                            : Map.of();
            for (String a : List.of("strimzi.io/kraft", "strimzi.io/node-pools")) {
                if (!"enabled".equals(annotations.get(a))) {
                    problems.add(kafka.where() + ": annotation " + a + " is " + annotations.get(a)
                            + ", not enabled (Strimzi before 0.48 needs it for a KRaft cluster of node pools)");
                }
            }
        }

        // Listeners and what the services connect with.
        Map<Object, Map<String, Object>> listeners = new LinkedHashMap<>();
        for (Object l : list(kafkaSpec.get("listeners"))) {
            Map<String, Object> listener = map(l, kafka.where() + " listener");
            listeners.put(listener.get("port"), listener);
        }
        Pattern bootstrap = Pattern.compile(Pattern.quote(cluster + "-kafka-bootstrap") + ":(\\d+)");
        for (Doc d : docs) {
            if (!d.kind().equals("Deployment") || !SERVICES.contains(d.name())) {
                continue;
            }
            for (Map<String, Object> c : containers(d, List.of("containers"))) {
                String where = d.where() + " container " + c.get("name");
                String servers = envValue(c, "KAFKA_BOOTSTRAP_SERVERS");
                Matcher m = servers == null ? null : bootstrap.matcher(servers);
                Map<String, Object> listener =
                        m != null && m.matches() ? listeners.get(Integer.valueOf(m.group(1))) : null;
                if (listener == null || !"internal".equals(listener.get("type"))) {
                    problems.add(where + ": KAFKA_BOOTSTRAP_SERVERS is " + servers + ", not " + cluster
                            + "-kafka-bootstrap:<port> for the port of an internal listener of " + kafka.where()
                            + " (listeners on ports " + listeners.keySet() + ")");
                    continue;
                }
                String at = " listener " + listener.get("name") + " (port " + listener.get("port") + ")";
                String protocol = envValue(c, "KAFKA_SECURITY_PROTOCOL") == null
                        ? "PLAINTEXT"
                        : envValue(c, "KAFKA_SECURITY_PROTOCOL");
                boolean tls = Boolean.TRUE.equals(listener.get("tls"));
                if (tls != protocol.endsWith("SSL")) {
                    problems.add(where + ": KAFKA_SECURITY_PROTOCOL is " + protocol + ", but it connects to" + at
                            + " with tls " + tls);
                }
                String authentication =
                        listener.get("authentication") instanceof Map<?, ?> a ? String.valueOf(a.get("type")) : "none";
                String mechanism = SASL_MECHANISMS.get(authentication);
                String sasl = envValue(c, "KAFKA_SASL_MECHANISM");
                if (mechanism != null && (!protocol.startsWith("SASL_") || !mechanism.equals(sasl))) {
                    problems.add(where + ": KAFKA_SECURITY_PROTOCOL is " + protocol + " and KAFKA_SASL_MECHANISM is "
                            + sasl + ", but" + at + " authenticates by " + authentication + " (SASL " + mechanism
                            + ")");
                } else if (mechanism == null && sasl != null) {
                    problems.add(where + ": KAFKA_SASL_MECHANISM is " + sasl + ", but" + at + " authenticates by "
                            + authentication + ", not SASL");
                }
                Doc user = users.get(d.name());
                Object userAuthentication = user != null
                                && map(user.doc().get("spec"), user.where()).get("authentication")
                                        instanceof Map<?, ?> ua
                        ? ua.get("type")
                        : null;
                if (user != null && !authentication.equals(String.valueOf(userAuthentication))) {
                    problems.add(where + ": its KafkaUser authenticates by " + userAuthentication + ", but" + at
                            + " authenticates by " + authentication);
                }
            }
        }

        // Authorization, Entity Operator, topic creation.
        Object authorization = kafkaSpec.get("authorization") instanceof Map<?, ?> a ? a.get("type") : "none";
        for (Doc user : users.values()) {
            Object type = map(user.doc().get("spec"), user.where()).get("authorization") instanceof Map<?, ?> a
                    ? a.get("type")
                    : null;
            if (type != null && !type.equals(authorization)) {
                problems.add(user.where() + ": ACLs of authorization type " + type + ", but the authorization of "
                        + kafka.where() + " is " + authorization + " (its ACLs would not be enforced)");
            }
        }
        Map<?, ?> entityOperator = spec.get("entityOperator") instanceof Map<?, ?> eo ? eo : Map.of();
        if (topics && entityOperator.get("topicOperator") == null) {
            problems.add(
                    kafka.where() + ": no entityOperator.topicOperator; nothing would make topics of the KafkaTopics");
        }
        if (!users.isEmpty() && entityOperator.get("userOperator") == null) {
            problems.add(kafka.where()
                    + ": no entityOperator.userOperator; nothing would make users, Secrets and ACLs of the"
                    + " KafkaUsers");
        }
        if (!"false".equals(String.valueOf(config.get("auto.create.topics.enable")))) {
            Object autoCreate = config.containsKey("auto.create.topics.enable")
                    ? config.get("auto.create.topics.enable")
                    : "not set (Kafka's default: true)";
            problems.add(kafka.where() + ": auto.create.topics.enable is " + autoCreate
                    + ", not false; topics come from KafkaTopics only");
        }
        return problems;
    }

    /**
     * The application roles of the project are {@code Roles.ALL} (service-support). The deployment
     * files name none today (a token's roles come from the identity provider); a variable that names
     * roles or groups must name those.
     */
    @Test
    void everyRoleNamedIsOneOfTheProjectsRoles() throws IOException {
        Set<String> roles = projectRoles();
        assertTrue(roles.contains("rules-admin") && roles.size() >= 5, "could not read Roles: " + roles);
        List<String> problems = new ArrayList<>();
        namesOnlyKnown(
                problems,
                var -> (var.contains("ROLE") || var.contains("GROUP")) && !var.startsWith("KAFKA_"),
                "role",
                roles,
                "Roles.ALL");
        assertNoProblems(problems);
    }

    // ---------------------------------------------------------------- 4. Deployments and databases

    @Test
    void everyDeploymentHasProbesRequestsAndReplicas() throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> deployed = new TreeSet<>();
        for (Doc d : kubernetesDocs()) {
            if (!d.kind().equals("Deployment")) {
                continue;
            }
            deployed.add(d.name());
            Map<String, Object> spec = map(d.doc().get("spec"), d.where());
            if (!(spec.get("replicas") instanceof Integer r) || r < 2) {
                problems.add(d.where() + ": replicas is " + spec.get("replicas") + "; needs more than one");
            }
            for (Map<String, Object> c : containers(d, List.of("containers"))) {
                String where = d.where() + " container " + c.get("name");
                Set<Object> ports = new HashSet<>();
                for (Object p : list(c.get("ports"))) {
                    Map<String, Object> port = map(p, where + " port");
                    ports.add(port.get("containerPort"));
                    if (port.get("name") != null) {
                        ports.add(port.get("name"));
                    }
                }
                probe(problems, where, c, "readinessProbe", "/q/health/ready", ports);
                probe(problems, where, c, "livenessProbe", "/q/health/live", ports);
                Map<?, ?> requests =
                        c.get("resources") instanceof Map<?, ?> res && res.get("requests") instanceof Map<?, ?> q
                                ? q
                                : Map.of();
                for (String r : List.of("cpu", "memory")) {
                    if (requests.get(r) == null) {
                        problems.add(where + ": no resources.requests." + r);
                    }
                }
            }
        }
        compare(problems, "kubernetes Deployments", deployed, new TreeSet<>(SERVICES));
        assertNoProblems(problems);
    }

    /**
     * Each service's database (its application.properties' JDBC URL) is created by
     * init-databases.sql for compose, and in Kubernetes by a CloudNativePG {@code Cluster}'s
     * bootstrap ({@code initdb}) or a {@code Database} resource, owned by a role of that cluster.
     * The files point each service at it: in compose on a host they declare, in Kubernetes on the
     * cluster's read-write Service ({@code <cluster>-rw}), which always leads to the primary.
     */
    @Test
    void everyServicesDatabaseIsCreatedAndUsed() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, String> databases = new TreeMap<>();
        for (String service : SERVICES) {
            databases.put(service, database(applicationProperties(service).getProperty("quarkus.datasource.jdbc.url")));
        }
        Set<String> compose = createdDatabases(Files.readString(INIT_SQL), "init-databases.sql", problems);
        compare(problems, "init-databases.sql databases", compose, new TreeSet<>(databases.values()));
        Map<String, PgCluster> clusters = pgClusters(problems);
        if (clusters.isEmpty()) {
            problems.add("kubernetes: no CloudNativePG Cluster (postgresql.cnpg.io/v1)");
        }
        Set<String> composeServices =
                map(composeFile().get("services"), "compose services").keySet();
        for (ServiceEnv e : allServiceEnvs(problems)) {
            String url = e.env().get("QUARKUS_DATASOURCE_JDBC_URL");
            Matcher m = url == null ? null : JDBC_URL.matcher(url);
            if (m == null || !m.matches()) {
                problems.add(e.file() + ": " + e.service() + " QUARKUS_DATASOURCE_JDBC_URL is " + url
                        + "; the default (127.0.0.1) cannot work in a container");
                continue;
            }
            String host = m.group(1);
            String db = m.group(2);
            if (!db.equals(databases.get(e.service()))) {
                problems.add(e.file() + ": " + e.service() + " uses database " + db + ", not its own ("
                        + databases.get(e.service()) + ")");
            }
            if (e.file().startsWith("compose")) {
                if (!composeServices.contains(host)) {
                    problems.add(e.file() + ": " + e.service() + " connects to database host " + host
                            + ", which these files do not declare");
                }
                continue;
            }
            PgCluster cluster = readWriteCluster(clusters, host);
            if (cluster == null) {
                problems.add(e.file() + ": " + e.service() + " connects to database host " + host + ", which is not the"
                        + " read-write Service of a CloudNativePG Cluster of these files (<cluster>-rw; clusters: "
                        + clusters.keySet() + ")");
            } else if (!cluster.databases().containsKey(db)) {
                problems.add(e.file() + ": " + e.service() + " uses database " + db
                        + ", which neither the bootstrap of Cluster " + cluster.name()
                        + " nor a Database resource of it creates (it has "
                        + cluster.databases().keySet() + ")");
            }
        }
        assertNoProblems(problems);
    }

    /**
     * The roles and databases of the CloudNativePG clusters hold together, and each service logs
     * in as a role of its cluster with that role's own Secret:
     * <ul>
     * <li>every {@code Database} names a Cluster of these files and is owned by a role of it (its
     * initdb owner, a managed role or a {@code DatabaseRole}); no database is created twice;</li>
     * <li>every role that logs in has a password Secret, declared or with its {@code kubectl create}
     * command in a comment, of type {@code kubernetes.io/basic-auth} with the role's name as
     * {@code username} (what CloudNativePG requires);</li>
     * <li>a service's username and password come from the same role's Secret (or the username is
     * that role's name), and the role may log in;</li>
     * <li>a service migrates as the owner of its database; a service whose application.properties
     * give migrations a login of their own ({@code quarkus.flyway.username}, audit-service) gets
     * both logins, and runs as a role other than the owner.</li>
     * </ul>
     */
    @Test
    void everyServicesDatabaseLoginIsARoleOfItsClusterWithItsSecret() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, PgCluster> clusters = pgClusters(problems);
        Map<String, Set<String>> sources = kubernetesSources();
        Map<String, Map<String, String>> contents = secretContents();
        for (PgCluster cluster : clusters.values()) {
            for (PgRole role : cluster.roles().values()) {
                if (!role.login()) {
                    continue;
                }
                if (role.secret() == null) {
                    problems.add(role.where() + ": role " + role.name() + " may log in but has no password Secret"
                            + " (passwordSecret); CloudNativePG leaves its password NULL");
                    continue;
                }
                String where = role.where() + " role " + role.name() + ": its passwordSecret";
                uses(problems, sources, where, "secret " + role.secret(), "username");
                uses(problems, sources, where, "secret " + role.secret(), "password");
                Map<String, String> secret = contents.get(role.secret());
                if (secret == null) {
                    continue; // made by the operator, or already reported as missing
                }
                if (!"kubernetes.io/basic-auth".equals(secret.get("type"))) {
                    problems.add(where + " " + role.secret() + " is of type "
                            + secret.getOrDefault("type", "Opaque (none given)") + ", not kubernetes.io/basic-auth");
                }
                if (secret.containsKey("username") && !role.name().equals(secret.get("username"))) {
                    problems.add(where + " " + role.secret() + " has username " + secret.get("username") + ", not "
                            + role.name());
                }
            }
        }
        for (ServiceEnv e : allServiceEnvs(problems)) {
            if (!e.file().startsWith("kubernetes")) {
                continue;
            }
            String url = e.env().get("QUARKUS_DATASOURCE_JDBC_URL");
            Matcher m = url == null ? null : JDBC_URL.matcher(url);
            PgCluster cluster = m != null && m.matches() ? readWriteCluster(clusters, m.group(1)) : null;
            PgDatabase db = cluster == null ? null : cluster.databases().get(m.group(2));
            if (db == null) {
                continue; // reported by everyServicesDatabaseIsCreatedAndUsed
            }
            String where = e.file() + ": " + e.service();
            PgRole runs = login(
                    problems,
                    where,
                    e.container(),
                    cluster,
                    "QUARKUS_DATASOURCE_USERNAME",
                    "QUARKUS_DATASOURCE_PASSWORD");
            boolean ownMigrationLogin =
                    applicationProperties(e.service()).getProperty("quarkus.flyway.username") != null;
            PgRole migrates = ownMigrationLogin
                    ? login(
                            problems,
                            where,
                            e.container(),
                            cluster,
                            "QUARKUS_FLYWAY_USERNAME",
                            "QUARKUS_FLYWAY_PASSWORD")
                    : runs;
            if (migrates != null && !migrates.name().equals(db.owner())) {
                problems.add(where + " migrates database " + db.name() + " as " + migrates.name() + ", but "
                        + db.owner() + " owns it (" + db.where() + ")");
            }
            if (ownMigrationLogin && runs != null && runs.name().equals(db.owner())) {
                problems.add(where + " runs as " + runs.name() + ", the owner of database " + db.name()
                        + "; its migrations have a login of their own so that the service does not own its tables");
            }
        }
        assertNoProblems(problems);
    }

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^:/]+)(?::\\d+)?/(\\w+).*");

    /** A role of a CloudNativePG cluster; {@code secret} is its password Secret (null: none). */
    record PgRole(String name, boolean login, String secret, String where) {}

    record PgDatabase(String name, String owner, String where) {}

    record PgCluster(String name, Map<String, PgRole> roles, Map<String, PgDatabase> databases) {}

    private static final Set<String> RESERVED_DATABASES = Set.of("postgres", "template0", "template1");

    /**
     * The CloudNativePG clusters of the files, by name, with their roles (the initdb owner, the
     * managed roles, DatabaseRole resources) and databases (initdb's, Database resources).
     */
    static Map<String, PgCluster> pgClusters(List<String> problems) throws IOException {
        Map<String, PgCluster> clusters = new TreeMap<>();
        List<Doc> docs = kubernetesDocs();
        for (Doc d : docs) {
            if (d.apiVersion().startsWith("postgresql.cnpg.io/")
                    && !d.apiVersion().equals("postgresql.cnpg.io/v1")) {
                problems.add(d.where() + ": apiVersion " + d.apiVersion() + ", not postgresql.cnpg.io/v1");
            }
            if (!d.apiVersion().equals("postgresql.cnpg.io/v1") || !d.kind().equals("Cluster")) {
                continue;
            }
            Map<String, Object> spec = map(d.doc().get("spec"), d.where() + " spec");
            PgCluster cluster = new PgCluster(d.name(), new TreeMap<>(), new TreeMap<>());
            clusters.put(d.name(), cluster);
            Map<?, ?> bootstrap = spec.get("bootstrap") instanceof Map<?, ?> b ? b : Map.of();
            if (!bootstrap.isEmpty() && !(bootstrap.get("initdb") instanceof Map<?, ?>)) {
                problems.add(d.where() + ": bootstrap " + bootstrap.keySet()
                        + " is not initdb; which databases and roles it" + " brings cannot be checked here");
                continue;
            }
            // Without a bootstrap section CloudNativePG runs initdb with its defaults: database app, owner app.
            Map<?, ?> initdb = bootstrap.get("initdb") instanceof Map<?, ?> i ? i : Map.of();
            String database = initdb.get("database") == null ? "app" : String.valueOf(initdb.get("database"));
            String owner = initdb.get("owner") == null ? database : String.valueOf(initdb.get("owner"));
            // Without initdb.secret the operator generates the owner's password into <cluster>-app.
            String secret =
                    initdb.get("secret") instanceof Map<?, ?> s ? String.valueOf(s.get("name")) : d.name() + "-app";
            cluster.roles().put(owner, new PgRole(owner, true, secret, d.where() + " bootstrap.initdb"));
            cluster.databases().put(database, new PgDatabase(database, owner, d.where() + " bootstrap.initdb"));
            Map<?, ?> managed = spec.get("managed") instanceof Map<?, ?> mg ? mg : Map.of();
            for (Object r : list(managed.get("roles"))) {
                Map<String, Object> role = map(r, d.where() + " managed.roles[]");
                String name = String.valueOf(role.get("name"));
                if ("absent".equals(role.get("ensure"))) {
                    cluster.roles().remove(name);
                    continue;
                }
                PgRole previous = cluster.roles().get(name);
                if (previous != null && !previous.where().endsWith("bootstrap.initdb")) {
                    problems.add(d.where() + ": managed role " + name + " is declared twice");
                }
                String password = role.get("passwordSecret") instanceof Map<?, ?> ps
                        ? String.valueOf(ps.get("name"))
                        : previous == null || Boolean.TRUE.equals(role.get("disablePassword"))
                                ? null
                                : previous.secret();
                cluster.roles()
                        .put(
                                name,
                                new PgRole(
                                        name,
                                        Boolean.TRUE.equals(role.get("login")),
                                        password,
                                        d.where() + " managed.roles"));
            }
        }
        for (Doc d : docs) {
            if (!d.apiVersion().equals("postgresql.cnpg.io/v1") || !d.kind().equals("DatabaseRole")) {
                continue;
            }
            Map<String, Object> spec = map(d.doc().get("spec"), d.where() + " spec");
            PgCluster cluster = clusterOf(problems, clusters, d, spec);
            String name = String.valueOf(spec.get("name"));
            if (cluster == null) {
                continue;
            }
            if (cluster.roles().containsKey(name)) {
                problems.add(d.where() + ": role " + name + " is already a role of Cluster " + cluster.name() + " ("
                        + cluster.roles().get(name).where() + "), which takes precedence");
                continue;
            }
            String password =
                    spec.get("passwordSecret") instanceof Map<?, ?> ps ? String.valueOf(ps.get("name")) : null;
            cluster.roles().put(name, new PgRole(name, Boolean.TRUE.equals(spec.get("login")), password, d.where()));
        }
        for (Doc d : docs) {
            if (!d.apiVersion().equals("postgresql.cnpg.io/v1") || !d.kind().equals("Database")) {
                continue;
            }
            Map<String, Object> spec = map(d.doc().get("spec"), d.where() + " spec");
            PgCluster cluster = clusterOf(problems, clusters, d, spec);
            String name = String.valueOf(spec.get("name"));
            String owner = String.valueOf(spec.get("owner"));
            if (cluster == null || "absent".equals(spec.get("ensure"))) {
                continue;
            }
            if (RESERVED_DATABASES.contains(name)) {
                problems.add(d.where() + ": database " + name + " is reserved; CloudNativePG refuses it");
            }
            if (cluster.databases().containsKey(name)) {
                problems.add(
                        d.where() + ": database " + name + " of Cluster " + cluster.name() + " is already created by "
                                + cluster.databases().get(name).where());
                continue;
            }
            if (!cluster.roles().containsKey(owner)) {
                problems.add(
                        d.where() + ": database " + name + " is owned by " + owner + ", which is no role of Cluster "
                                + cluster.name() + " (its initdb owner, managed roles or DatabaseRoles: "
                                + cluster.roles().keySet() + ")");
            }
            cluster.databases().put(name, new PgDatabase(name, owner, d.where()));
        }
        return clusters;
    }

    private static PgCluster clusterOf(
            List<String> problems, Map<String, PgCluster> clusters, Doc d, Map<String, Object> spec) {
        Object name = spec.get("cluster") instanceof Map<?, ?> c ? c.get("name") : null;
        PgCluster cluster = clusters.get(String.valueOf(name));
        if (cluster == null) {
            problems.add(d.where() + ": spec.cluster.name is " + name
                    + ", which is no CloudNativePG Cluster of these files " + clusters.keySet());
        }
        return cluster;
    }

    /** The cluster whose read-write Service ({@code <cluster>-rw}, or its longer DNS name) a host is; null if none. */
    private static PgCluster readWriteCluster(Map<String, PgCluster> clusters, String host) {
        for (PgCluster c : clusters.values()) {
            if (host.equals(c.name() + "-rw") || host.startsWith(c.name() + "-rw.")) {
                return c;
            }
        }
        return null;
    }

    /**
     * The role a service logs in as with a username and a password variable: the username names the
     * role, or comes from the role's password Secret ({@code username}); the password comes from
     * that Secret ({@code password}). Null (with a problem) when that cannot be told.
     */
    private static PgRole login(
            List<String> problems,
            String where,
            Map<String, Object> container,
            PgCluster cluster,
            String userVariable,
            String passwordVariable) {
        Map<String, Object> user = envEntry(container, userVariable);
        Map<?, ?> userRef = secretKeyRef(user);
        PgRole role = null;
        if (user == null) {
            problems.add(
                    where + " has no " + userVariable + "; it would log in as its application.properties' default");
            return null;
        } else if (user.get("value") != null) {
            role = cluster.roles().get(String.valueOf(user.get("value")));
            if (role == null) {
                problems.add(where + " " + userVariable + " is " + user.get("value") + ", which is no role of Cluster "
                        + cluster.name() + " " + cluster.roles().keySet());
                return null;
            }
        } else if (userRef != null) {
            for (PgRole r : cluster.roles().values()) {
                if (String.valueOf(userRef.get("name")).equals(r.secret())) {
                    role = r;
                }
            }
            if (role == null || !"username".equals(userRef.get("key"))) {
                problems.add(where + " " + userVariable + " comes from key " + userRef.get("key") + " of Secret "
                        + userRef.get("name") + ", which is not the username of a role's password Secret of Cluster "
                        + cluster.name());
                return null;
            }
        } else {
            problems.add(where + " " + userVariable + " is neither a value nor from a Secret: " + user);
            return null;
        }
        if (!role.login()) {
            problems.add(
                    where + " logs in as " + role.name() + ", which may not log in (login: true) in " + role.where());
        }
        Map<?, ?> passwordRef = secretKeyRef(envEntry(container, passwordVariable));
        if (passwordRef == null
                || !String.valueOf(passwordRef.get("name")).equals(role.secret())
                || !"password".equals(passwordRef.get("key"))) {
            problems.add(where + " " + passwordVariable + " must come from " + role.name() + "'s password Secret "
                    + role.secret() + " (key password), not " + (passwordRef == null ? "elsewhere" : passwordRef));
        }
        return role;
    }

    private static Map<?, ?> secretKeyRef(Map<String, Object> envEntry) {
        return envEntry != null
                        && envEntry.get("valueFrom") instanceof Map<?, ?> vf
                        && vf.get("secretKeyRef") instanceof Map<?, ?> r
                ? r
                : null;
    }

    /** A file or directory a variable names is inside something mounted into the container. */
    @Test
    void everyPathAVariableNamesIsMounted() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Object> compose = composeFile();
        Map<String, Object> composeServices = map(compose.get("services"), "compose services");
        Set<String> declaredSecrets = compose.get("secrets") instanceof Map<?, ?> s
                ? new HashSet<>(map(s, "secrets").keySet())
                : Set.of();
        Map<String, Set<String>> sources = kubernetesSources();
        for (ServiceEnv e : allServiceEnvs(problems)) {
            List<String> mounts = new ArrayList<>(); // a directory ending in '/', or a single file
            if (e.file().startsWith("compose")) {
                Map<String, Object> svc = map(composeServices.get(e.service()), e.service());
                for (Object s : list(svc.get("secrets"))) {
                    String source = s instanceof Map<?, ?> sm ? String.valueOf(sm.get("source")) : String.valueOf(s);
                    String target = s instanceof Map<?, ?> sm && sm.get("target") != null
                            ? String.valueOf(sm.get("target"))
                            : source;
                    if (!declaredSecrets.contains(source)) {
                        problems.add(
                                e.file() + ": " + e.service() + " uses secret " + source + ", which is not declared");
                    }
                    mounts.add(target.startsWith("/") ? target : "/run/secrets/" + target);
                }
                for (Object v : list(svc.get("volumes"))) {
                    String[] parts = String.valueOf(v).split(":");
                    if (parts.length >= 2) {
                        mounts.add(parts[1] + "/");
                    }
                }
            } else {
                Doc d = e.deployment();
                Map<String, Object> pod = podSpec(d);
                Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
                for (Object v : list(pod.get("volumes"))) {
                    Map<String, Object> vol = map(v, d.where() + " volume");
                    volumes.put(String.valueOf(vol.get("name")), vol);
                }
                for (Object vm : list(e.container().get("volumeMounts"))) {
                    Map<String, Object> mount = map(vm, d.where() + " volumeMount");
                    String path = String.valueOf(mount.get("mountPath"));
                    Map<String, Object> vol = volumes.get(String.valueOf(mount.get("name")));
                    if (vol == null) {
                        problems.add(
                                d.where() + ": mounts volume " + mount.get("name") + ", which the pod does not have");
                        continue;
                    }
                    List<Object> items = List.of();
                    Set<String> keys = null;
                    for (String source : List.of("secret", "configMap")) {
                        if (vol.get(source) instanceof Map<?, ?> src) {
                            items = list(src.get("items"));
                            keys = sources.get(
                                    source + " " + (source.equals("secret") ? src.get("secretName") : src.get("name")));
                        }
                    }
                    if (items.isEmpty() && keys != null) {
                        keys.forEach(k -> mounts.add(path + "/" + k)); // a file per key of the Secret or ConfigMap
                    } else if (items.isEmpty()) {
                        mounts.add(path + "/");
                    } else {
                        for (Object item : items) {
                            mounts.add(
                                    path + "/" + map(item, d.where() + " item").get("path"));
                        }
                    }
                }
            }
            e.env().forEach((var, value) -> {
                if (value != null
                        && value.startsWith("/")
                        && mounts.stream()
                                .noneMatch(m -> m.endsWith("/") ? (value + "/").startsWith(m) : value.equals(m))) {
                    problems.add(e.file() + ": " + e.service() + " " + var + " names " + value
                            + ", which is not mounted (mounts: " + mounts + ")");
                }
            });
        }
        assertNoProblems(problems);
    }

    /**
     * Every Secret and ConfigMap a workload uses, with the keys it uses, is declared in the files, made
     * by Strimzi (a KafkaUser's, the cluster CA), or made by a {@code kubectl create} command given in
     * a comment of the files: otherwise the pod waits for it and nothing says what it should hold.
     */
    @Test
    void everySecretAndConfigMapUsedIsDeclaredOrExplained() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> sources = kubernetesSources();
        for (Doc d : kubernetesDocs()) {
            if (!WORKLOADS.contains(d.kind())) {
                continue;
            }
            Map<String, Object> pod = podSpec(d);
            for (Map<String, Object> c : containers(d)) {
                for (Object item : list(c.get("env"))) {
                    Map<?, ?> from =
                            item instanceof Map<?, ?> m && m.get("valueFrom") instanceof Map<?, ?> vf ? vf : Map.of();
                    for (String kind : List.of("secretKeyRef", "configMapKeyRef")) {
                        if (from.get(kind) instanceof Map<?, ?> ref) {
                            uses(
                                    problems,
                                    sources,
                                    d.where() + " " + ((Map<?, ?>) item).get("name"),
                                    (kind.startsWith("secret") ? "secret " : "configMap ") + ref.get("name"),
                                    String.valueOf(ref.get("key")));
                        }
                    }
                }
                for (Object item : list(c.get("envFrom"))) {
                    Map<?, ?> from = map(item, d.where() + " envFrom");
                    for (String kind : List.of("secretRef", "configMapRef")) {
                        if (from.get(kind) instanceof Map<?, ?> ref) {
                            uses(
                                    problems,
                                    sources,
                                    d.where() + " envFrom",
                                    (kind.startsWith("secret") ? "secret " : "configMap ") + ref.get("name"),
                                    null);
                        }
                    }
                }
            }
            for (Object v : list(pod.get("volumes"))) {
                Map<String, Object> vol = map(v, d.where() + " volume");
                for (String kind : List.of("secret", "configMap")) {
                    if (vol.get(kind) instanceof Map<?, ?> src) {
                        String source = kind + " " + (kind.equals("secret") ? src.get("secretName") : src.get("name"));
                        String where = d.where() + " volume " + vol.get("name");
                        uses(problems, sources, where, source, null);
                        for (Object item : list(src.get("items"))) {
                            uses(
                                    problems,
                                    sources,
                                    where,
                                    source,
                                    String.valueOf(map(item, where + " item").get("key")));
                        }
                    }
                }
            }
        }
        assertNoProblems(problems);
    }

    /**
     * A Secret or ConfigMap mounted into a service's container can be read by the user the image runs
     * as (the USER of its Dockerfile.jvm, 185): the files are owned by root, so a mode without read
     * for others needs the pod's fsGroup (which makes them group-readable by that group).
     */
    @Test
    void everyMountedSecretIsReadableByTheServicesUser() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Doc d : kubernetesDocs()) {
            if (!d.kind().equals("Deployment") || !SERVICES.contains(d.name())) {
                continue;
            }
            Map<String, Object> pod = podSpec(d);
            Map<?, ?> security = pod.get("securityContext") instanceof Map<?, ?> sc ? sc : Map.of();
            Object runAs = security.get("runAsUser") != null ? security.get("runAsUser") : imageUser(d.name());
            if ("0".equals(String.valueOf(runAs)) || security.get("fsGroup") != null) {
                continue;
            }
            for (Object v : list(pod.get("volumes"))) {
                Map<String, Object> vol = map(v, d.where() + " volume");
                for (String kind : List.of("secret", "configMap")) {
                    if (vol.get(kind) instanceof Map<?, ?> src) {
                        List<Object> modes = new ArrayList<>();
                        modes.add(src.get("defaultMode") == null ? 0644 : src.get("defaultMode"));
                        for (Object item : list(src.get("items"))) {
                            if (map(item, "item").get("mode") != null) {
                                modes.add(map(item, "item").get("mode"));
                            }
                        }
                        for (Object mode : modes) {
                            if (mode instanceof Integer m && (m & 04) == 0) {
                                problems.add(d.where() + ": volume " + vol.get("name") + " has mode 0"
                                        + Integer.toOctalString(m) + " (root only) but the container runs as user "
                                        + runAs + " and the pod has no fsGroup");
                            }
                        }
                    }
                }
            }
        }
        assertNoProblems(problems);
    }

    // ---------------------------------------------------------------- what each service reads

    /** Normalised names (as an environment variable would spell them) of every setting the service reads. */
    static Set<String> knownSettings(String service) throws IOException {
        Set<String> keys = new TreeSet<>();
        for (Properties p : List.of(
                applicationProperties(service),
                properties(
                        REPO.resolve("service-support/src/main/resources/META-INF/microprofile-config.properties")))) {
            for (String k : p.stringPropertyNames()) {
                keys.add(normalise(withoutProfile(k)));
            }
        }
        for (String module : List.of(service, "service-support", "case-events")) {
            Path sources = REPO.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    sourceSettings(withoutComments(Files.readString(f))).forEach(k -> keys.add(normalise(k)));
                }
            }
        }
        BUILT_IN.keySet().forEach(k -> keys.add(normalise(k)));
        return keys;
    }

    /** The names of @ConfigProperty(name = ...) and of each member of a @ConfigMapping(prefix = ...) interface. */
    static Set<String> sourceSettings(String java) {
        Set<String> keys = new TreeSet<>();
        Matcher property = Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"")
                .matcher(java);
        while (property.find()) {
            keys.add(property.group(1));
        }
        Matcher mapping = Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"[^)]*\\)")
                .matcher(java);
        while (mapping.find()) {
            String prefix = mapping.group(1);
            int open = java.indexOf('{', java.indexOf("interface", mapping.end()));
            // The interface's own declarations (depth 1), split at ';': each ends in `Type name()`.
            StringBuilder body = new StringBuilder();
            int depth = 0;
            for (int i = open; i < java.length(); i++) {
                char ch = java.charAt(i);
                if (ch == '{') {
                    depth++;
                } else if (ch == '}') {
                    if (--depth == 0) {
                        break;
                    }
                } else if (depth == 1) {
                    body.append(ch);
                }
            }
            for (String declaration : body.toString().split(";")) {
                Matcher member = Pattern.compile("(\\w+)\\s*\\(\\s*\\)\\s*$").matcher(declaration.trim());
                if (member.find()) {
                    Matcher withName =
                            Pattern.compile("@WithName\\s*\\(\\s*\"([^\"]+)\"").matcher(declaration);
                    String name = withName.find()
                            ? withName.group(1)
                            : member.group(1)
                                    .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                                    .toLowerCase(Locale.ROOT);
                    keys.add(prefix + "." + name);
                }
            }
        }
        return keys;
    }

    static boolean isKnown(String variable, Set<String> known) {
        String v = variable;
        if (v.startsWith("_")) { // _PROD_QUARKUS_X: %prod.quarkus.x
            int end = v.indexOf('_', 1);
            v = end < 0 ? v : v.substring(end + 1);
        }
        v = normalise(v);
        return known.contains(v) || KAFKA_CLIENT_SETTINGS.contains(v);
    }

    /** As MicroProfile Config matches a variable to a property: every non-alphanumeric as '_', upper case. */
    static String normalise(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static String withoutProfile(String key) {
        return key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
    }

    private static Set<String> kafkaClientSettings() {
        Set<String> s = new TreeSet<>();
        for (Set<String> names :
                List.of(ProducerConfig.configNames(), ConsumerConfig.configNames(), AdminClientConfig.configNames())) {
            names.forEach(n -> s.add(normalise("kafka." + n)));
        }
        return s;
    }

    /** Java source without comments (string literals kept, so "http://..." stays whole). */
    static String withoutComments(String java) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < java.length()) {
            char c = java.charAt(i);
            if (java.startsWith("\"\"\"", i)) { // a text block
                int end = java.indexOf("\"\"\"", i + 3);
                int stop = end < 0 ? java.length() : end + 3;
                out.append(java, i, stop);
                i = stop;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < java.length() && java.charAt(j) != c) {
                    j += java.charAt(j) == '\\' ? 2 : 1;
                }
                out.append(java, i, Math.min(j + 1, java.length()));
                i = j + 1;
            } else if (java.startsWith("//", i)) {
                int end = java.indexOf('\n', i);
                i = end < 0 ? java.length() : end;
            } else if (java.startsWith("/*", i)) {
                int end = java.indexOf("*/", i + 2);
                i = end < 0 ? java.length() : end + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static Properties applicationProperties(String service) throws IOException {
        return properties(REPO.resolve(service).resolve("src/main/resources/application.properties"));
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    private static Set<String> consumedTopics(Properties props) {
        Set<String> topics = new TreeSet<>();
        for (String k : props.stringPropertyNames()) {
            if (!k.startsWith("%")
                    && k.startsWith("mp.messaging.incoming.")
                    && (k.endsWith(".topic") || k.endsWith(".topics"))
                    && !k.contains("dead-letter-queue")) {
                for (String t : props.getProperty(k).split(",")) {
                    topics.add(t.trim());
                }
            }
        }
        return topics;
    }

    private static Set<String> consumerGroups(Properties props) {
        Set<String> groups = new TreeSet<>();
        for (String k : props.stringPropertyNames()) {
            if (!k.startsWith("%")
                    && (k.startsWith("mp.messaging.incoming.") || k.startsWith("mp.messaging.connector."))
                    && k.endsWith(".group.id")) {
                groups.add(props.getProperty(k).trim());
            }
        }
        return groups;
    }

    private static Set<String> projectRoles() throws IOException {
        String roles = withoutComments(
                Files.readString(REPO.resolve("service-support/src/main/java/redress/support/security/Roles.java")));
        Set<String> names = new TreeSet<>();
        Matcher m =
                Pattern.compile("static final String \\w+\\s*=\\s*\"([^\"]+)\"").matcher(roles);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String database(String jdbcUrl) {
        Matcher m = Pattern.compile("jdbc:postgresql://[^/]+/(\\w+).*").matcher(String.valueOf(jdbcUrl));
        assertTrue(m.matches(), "not a PostgreSQL JDBC URL: " + jdbcUrl);
        return m.group(1);
    }

    /** The databases an SQL script creates; a statement that is not CREATE DATABASE is a problem. */
    private static Set<String> createdDatabases(String sql, String where, List<String> problems) {
        Set<String> names = new TreeSet<>();
        String code = sql.replaceAll("--[^\n]*", "");
        for (String statement : code.split(";")) {
            String s = statement.trim().replaceAll("\\s+", " ");
            if (s.isEmpty()) {
                continue;
            }
            Matcher m = CREATE_DATABASE.matcher(s);
            if (m.matches()) {
                names.add(m.group(1));
            } else {
                problems.add(where + ": not a CREATE DATABASE statement: " + s);
            }
        }
        if (!code.trim().isEmpty() && !code.trim().endsWith(";")) {
            problems.add(where + ": the last statement has no ';'");
        }
        return names;
    }

    // ---------------------------------------------------------------- what the files give each service

    /** The environment one service gets from one file (value null when it comes from a Secret or ConfigMap). */
    record ServiceEnv(
            String file, String service, Map<String, String> env, Doc deployment, Map<String, Object> container) {}

    record Doc(String file, String apiVersion, String kind, String name, Map<String, Object> doc) {
        String where() {
            return "kubernetes/" + file + " " + kind + " " + name;
        }
    }

    private static List<ServiceEnv> allServiceEnvs(List<String> problems) throws IOException {
        List<ServiceEnv> envs = new ArrayList<>();
        for (Map.Entry<String, Object> e :
                map(composeFile().get("services"), "compose services").entrySet()) {
            Map<String, Object> svc = map(e.getValue(), "compose service " + e.getKey());
            String service = composeService(e.getKey(), svc);
            if (service == null) {
                continue; // PostgreSQL, Kafka, the topics job: public images, not ours
            }
            if (!service.equals(e.getKey())) {
                problems.add("compose.yaml: service " + e.getKey() + " runs " + service);
            }
            Map<String, String> env = new TreeMap<>();
            Object environment = svc.get("environment");
            if (environment instanceof Map<?, ?> m) {
                m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            } else {
                for (Object item : list(environment)) {
                    String[] kv = String.valueOf(item).split("=", 2);
                    env.put(kv[0], kv.length > 1 ? kv[1] : null);
                }
            }
            if (svc.containsKey("env_file")) {
                problems.add("compose.yaml: " + service + " has an env_file, which this test cannot check");
            }
            envs.add(new ServiceEnv("compose/compose.yaml", service, env, null, null));
        }
        Map<String, Map<String, Object>> configMaps = new TreeMap<>();
        List<Doc> docs = kubernetesDocs();
        for (Doc d : docs) {
            if (d.kind().equals("ConfigMap")) {
                configMaps.put(d.name(), d.doc());
            }
        }
        for (Doc d : docs) {
            if (!WORKLOADS.contains(d.kind())) {
                continue;
            }
            for (Map<String, Object> c : containers(d)) {
                String image = String.valueOf(c.get("image"));
                String service = imageService(image);
                if (service == null) {
                    if (SERVICES.contains(d.name())) {
                        problems.add(d.where() + ": container " + c.get("name") + " runs " + image + ", not redress/"
                                + d.name());
                    }
                    continue; // PostgreSQL
                }
                if (!service.equals(d.name())) {
                    problems.add(d.where() + ": runs the image of " + service);
                }
                Map<String, String> env = new TreeMap<>();
                for (Object item : list(c.get("env"))) {
                    Map<String, Object> var = map(item, d.where() + " env");
                    env.put(
                            String.valueOf(var.get("name")),
                            var.get("value") == null ? null : String.valueOf(var.get("value")));
                }
                for (Object item : list(c.get("envFrom"))) {
                    Map<String, Object> from = map(item, d.where() + " envFrom");
                    String prefix = from.get("prefix") == null ? "" : String.valueOf(from.get("prefix"));
                    Map<?, ?> ref = from.get("configMapRef") instanceof Map<?, ?> r ? r : null;
                    Map<String, Object> cm = ref == null ? null : configMaps.get(String.valueOf(ref.get("name")));
                    if (cm == null) {
                        problems.add(d.where() + ": envFrom " + from
                                + " is not a ConfigMap of these files; its variables cannot be checked");
                    } else if (cm.get("data") instanceof Map<?, ?> data) {
                        data.forEach((k, v) -> env.put(prefix + k, String.valueOf(v)));
                    }
                }
                envs.add(new ServiceEnv("kubernetes/" + d.file(), service, env, d, c));
            }
        }
        Set<String> seen = new TreeSet<>();
        envs.forEach(e -> seen.add(e.file().substring(0, e.file().indexOf('/')) + ":" + e.service()));
        for (String service : SERVICES) {
            for (String where : List.of("compose", "kubernetes")) {
                if (!seen.contains(where + ":" + service)) {
                    problems.add(where + ": no container runs " + service);
                }
            }
        }
        return envs;
    }

    /** The service a compose entry runs: built from its module, or its image is redress/<service>; null for others. */
    private static String composeService(String key, Map<String, Object> svc) {
        if (svc.get("build") != null) {
            Object context = svc.get("build") instanceof Map<?, ?> b ? b.get("context") : svc.get("build");
            String module =
                    Path.of(String.valueOf(context)).normalize().getFileName().toString();
            return SERVICES.contains(module) ? module : "an unknown module (" + context + ")";
        }
        String image = String.valueOf(svc.get("image"));
        String service = imageService(image);
        return service != null ? service : SERVICES.contains(key) ? "an unknown image (" + image + ")" : null;
    }

    private static String imageService(String image) {
        Matcher m = Pattern.compile("(?:.*/)?redress/([\\w-]+)(?::.*)?").matcher(image);
        return m.matches() ? m.group(1) : null;
    }

    private static Map<String, Object> composeFile() throws IOException {
        List<Map<String, Object>> docs = yaml(COMPOSE);
        assertTrue(docs.size() == 1, "compose.yaml: one document expected, found " + docs.size());
        return docs.get(0);
    }

    private static List<Path> kubernetesFiles() throws IOException {
        try (Stream<Path> files = Files.list(DEPLOY.resolve("kubernetes"))) {
            return files.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
    }

    private static List<Doc> kubernetesDocs() throws IOException {
        List<Doc> docs = new ArrayList<>();
        for (Path f : kubernetesFiles()) {
            for (Map<String, Object> doc : yaml(f)) {
                Object name = doc.get("metadata") instanceof Map<?, ?> m ? m.get("name") : null;
                docs.add(new Doc(
                        f.getFileName().toString(),
                        String.valueOf(doc.get("apiVersion")),
                        String.valueOf(doc.get("kind")),
                        String.valueOf(name),
                        doc));
            }
        }
        return docs;
    }

    private static Map<String, Object> podSpec(Doc d) {
        Map<String, Object> spec = map(d.doc().get("spec"), d.where() + " spec");
        if (d.kind().equals("CronJob")) {
            spec = map(map(spec.get("jobTemplate"), d.where()).get("spec"), d.where());
        }
        return map(map(spec.get("template"), d.where() + " template").get("spec"), d.where() + " pod spec");
    }

    /** The pod's containers, init containers first. */
    private static List<Map<String, Object>> containers(Doc d) {
        return containers(d, List.of("initContainers", "containers"));
    }

    private static List<Map<String, Object>> containers(Doc d, List<String> fields) {
        List<Map<String, Object>> cs = new ArrayList<>();
        Map<String, Object> pod = podSpec(d);
        for (String field : fields) {
            for (Object c : list(pod.get(field))) {
                cs.add(map(c, d.where() + " container"));
            }
        }
        return cs;
    }

    private static Map<String, Object> envEntry(Map<String, Object> container, String name) {
        for (Object item : list(container.get("env"))) {
            if (item instanceof Map<?, ?> m && name.equals(m.get("name"))) {
                return map(m, name);
            }
        }
        return null;
    }

    private static String envValue(Map<String, Object> container, String name) {
        Map<String, Object> e = envEntry(container, name);
        return e == null || e.get("value") == null ? null : String.valueOf(e.get("value"));
    }

    private static void probe(
            List<String> problems, String where, Map<String, Object> c, String kind, String path, Set<Object> ports) {
        Map<?, ?> get = c.get(kind) instanceof Map<?, ?> p && p.get("httpGet") instanceof Map<?, ?> g ? g : null;
        if (get == null) {
            problems.add(where + ": no " + kind + " (httpGet " + path + ")");
            return;
        }
        if (!path.equals(get.get("path"))) {
            problems.add(where + ": " + kind + " asks " + get.get("path") + ", not " + path);
        }
        if (!ports.contains(get.get("port"))) {
            problems.add(
                    where + ": " + kind + " port " + get.get("port") + " is none of the container's ports " + ports);
        }
    }

    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob");

    /**
     * The Secrets and ConfigMaps ("secret name", "configMap name") a workload may use, with their
     * keys: those declared in the files, those Strimzi or CloudNativePG makes, and those a comment's
     * kubectl command makes.
     */
    static Map<String, Set<String>> kubernetesSources() throws IOException {
        Map<String, Set<String>> sources = new TreeMap<>();
        Set<String> clusters = new TreeSet<>();
        for (Doc d : kubernetesDocs()) {
            if (d.kind().equals("Secret") || d.kind().equals("ConfigMap")) {
                Set<String> keys = sources.computeIfAbsent(
                        (d.kind().equals("Secret") ? "secret " : "configMap ") + d.name(), k -> new TreeSet<>());
                for (String field : List.of("data", "stringData", "binaryData")) {
                    if (d.doc().get(field) instanceof Map<?, ?> data) {
                        data.keySet().forEach(k -> keys.add(String.valueOf(k)));
                    }
                }
            }
            if (d.kind().equals("KafkaUser")) {
                // Strimzi's User Operator: a Secret named after the user (SCRAM-SHA-512).
                sources.put("secret " + d.name(), new TreeSet<>(Set.of("password", "sasl.jaas.config")));
            }
            if (d.apiVersion().startsWith("kafka.strimzi.io/")
                    && d.doc().get("metadata") instanceof Map<?, ?> md
                    && md.get("labels") instanceof Map<?, ?> l
                    && l.get("strimzi.io/cluster") != null) {
                clusters.add(String.valueOf(l.get("strimzi.io/cluster")));
            }
            if (d.apiVersion().startsWith("kafka.strimzi.io/") && d.kind().equals("Kafka")) {
                clusters.add(d.name());
            }
            if (d.apiVersion().equals("postgresql.cnpg.io/v1")
                    && d.kind().equals("Cluster")
                    && !(d.doc().get("spec") instanceof Map<?, ?> spec
                            && spec.get("bootstrap") instanceof Map<?, ?> b
                            && b.get("initdb") instanceof Map<?, ?> initdb
                            && initdb.get("secret") != null)) {
                // CloudNativePG: without initdb.secret, the application owner's generated login.
                sources.put("secret " + d.name() + "-app", new TreeSet<>(Set.of("username", "password")));
            }
        }
        for (String cluster : clusters) {
            // Strimzi's Cluster Operator: the cluster CA's certificate.
            sources.put(
                    "secret " + cluster + "-cluster-ca-cert", new TreeSet<>(Set.of("ca.crt", "ca.p12", "ca.password")));
        }
        Pattern literal = Pattern.compile("--from-literal=([\\w.-]+)=");
        Pattern file = Pattern.compile("--from-file=(\\S+)");
        for (Matcher m : createCommands()) {
            Set<String> keys = sources.computeIfAbsent(
                    (m.group(1).equals("configmap") ? "configMap " : "secret ") + m.group(2), k -> new TreeSet<>());
            Matcher l = literal.matcher(m.group(3));
            while (l.find()) {
                keys.add(l.group(1));
            }
            Matcher fm = file.matcher(m.group(3));
            while (fm.find()) {
                String arg = fm.group(1);
                keys.add(
                        arg.contains("=")
                                ? arg.substring(0, arg.indexOf('='))
                                : Path.of(arg).getFileName().toString());
            }
        }
        return sources;
    }

    /**
     * The {@code kubectl create secret generic|configmap <name> <arguments>} commands in the files'
     * comments (a comment line ending in a backslash goes on in the next).
     */
    private static List<Matcher> createCommands() throws IOException {
        Pattern create = Pattern.compile("kubectl create (secret generic|configmap) ([\\w.-]+)(.*)");
        List<Matcher> commands = new ArrayList<>();
        for (Path f : kubernetesFiles()) {
            StringBuilder comments = new StringBuilder();
            for (String line : Files.readAllLines(f)) {
                String t = line.trim();
                if (t.startsWith("#")) {
                    String c = t.substring(1).trim();
                    comments.append(c.endsWith("\\") ? c.substring(0, c.length() - 1) + " " : c + "\n");
                }
            }
            for (String command : comments.toString().split("\n")) {
                Matcher m = create.matcher(command);
                if (m.find()) {
                    commands.add(m);
                }
            }
        }
        return commands;
    }

    /**
     * What the files say a Secret holds, by name: its {@code type} and the keys whose value is given
     * as is (a declared Secret's stringData and data, a kubectl command's plain --from-literal values;
     * not a generated "$(...)" or a "<placeholder>").
     */
    static Map<String, Map<String, String>> secretContents() throws IOException {
        Map<String, Map<String, String>> secrets = new TreeMap<>();
        for (Doc d : kubernetesDocs()) {
            if (!d.kind().equals("Secret")) {
                continue;
            }
            Map<String, String> content = secrets.computeIfAbsent(d.name(), k -> new TreeMap<>());
            content.put(
                    "type",
                    d.doc().get("type") == null
                            ? "Opaque"
                            : String.valueOf(d.doc().get("type")));
            if (d.doc().get("data") instanceof Map<?, ?> data) {
                data.forEach((k, v) -> content.put(
                        String.valueOf(k),
                        new String(Base64.getMimeDecoder().decode(String.valueOf(v)), StandardCharsets.UTF_8)));
            }
            if (d.doc().get("stringData") instanceof Map<?, ?> data) {
                data.forEach((k, v) -> content.put(String.valueOf(k), String.valueOf(v)));
            }
        }
        Pattern type = Pattern.compile("--type[= ](\\S+)");
        Pattern literal = Pattern.compile("--from-literal=([\\w.-]+)=(\"[^\"]*\"|'[^']*'|\\S*)");
        for (Matcher m : createCommands()) {
            if (!m.group(1).startsWith("secret")) {
                continue;
            }
            Map<String, String> content = secrets.computeIfAbsent(m.group(2), k -> new TreeMap<>());
            Matcher t = type.matcher(m.group(3));
            content.put("type", t.find() ? t.group(1) : "Opaque");
            Matcher l = literal.matcher(m.group(3));
            while (l.find()) {
                String value = l.group(2).replaceAll("^[\"']|[\"']$", "");
                if (!value.contains("$(") && !value.contains("<")) {
                    content.put(l.group(1), value);
                }
            }
        }
        return secrets;
    }

    private static void uses(
            List<String> problems, Map<String, Set<String>> sources, String where, String source, String key) {
        Set<String> keys = sources.get(source);
        if (keys == null) {
            problems.add(where + " uses " + source
                    + ", which no file declares, neither Strimzi nor CloudNativePG makes, and no"
                    + " comment says how to create (kubectl create ...)");
        } else if (key != null && !keys.contains(key)) {
            problems.add(where + " uses key " + key + " of " + source + ", which has only " + keys);
        }
    }

    /** The user a service's image runs as: the USER of its Dockerfile.jvm (root when there is none). */
    private static String imageUser(String service) throws IOException {
        Matcher m = Pattern.compile("(?m)^USER\\s+(\\S+)")
                .matcher(Files.readString(REPO.resolve(service).resolve("src/main/docker/Dockerfile.jvm")));
        String user = "0";
        while (m.find()) {
            user = m.group(1);
        }
        return user;
    }

    // ---------------------------------------------------------------- helpers

    private static Path deployDir() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("compose")) ? here : here.resolve("deploy");
    }

    private static List<Map<String, Object>> yaml(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        String text = Files.readString(file);
        try (Reader r = new StringReader(text)) {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r)) {
                if (doc != null) {
                    docs.add(map(doc, file.getFileName() + " document"));
                }
            }
        } catch (RuntimeException e) {
            fail(file.getFileName() + " does not parse as YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    private static void compare(List<String> problems, String what, Set<String> found, Set<String> expected) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(found);
        Set<String> extra = new TreeSet<>(found);
        extra.removeAll(expected);
        if (!missing.isEmpty()) {
            problems.add(what + ": missing " + missing);
        }
        if (!extra.isEmpty()) {
            problems.add(what + ": not the project's " + extra);
        }
    }

    /**
     * Each value, comma-separated, of every service variable that {@code names} picks out must be
     * one of {@code known} ({@code what}s, listed in {@code source}).
     */
    private static void namesOnlyKnown(
            List<String> problems,
            java.util.function.Predicate<String> names,
            String what,
            Set<String> known,
            String source)
            throws IOException {
        for (ServiceEnv e : allServiceEnvs(problems)) {
            e.env().forEach((var, value) -> {
                if (names.test(var) && value != null) {
                    for (String v : value.split(",")) {
                        if (!known.contains(v.trim())) {
                            problems.add(e.file() + ": " + e.service() + " " + var + " names " + what + " " + v.trim()
                                    + ", which is not in " + source);
                        }
                    }
                }
            });
        }
    }

    private static void assertNoProblems(List<String> problems) {
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s) in the deployment files:\n  " + String.join("\n  ", problems));
        }
    }
}
