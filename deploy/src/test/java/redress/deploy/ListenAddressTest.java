package redress.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import redress.localrun.LocalRun;

/**
 * The services listen on loopback unless told otherwise (service-support's shared settings), which
 * in a container reaches nothing: every deployment file must tell each service to listen on all
 * interfaces.
 */
class ListenAddressTest {

    @Test
    @SuppressWarnings("unchecked")
    void containersListenOnAllInterfaces() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        Path deploy = Files.isDirectory(here.resolve("compose")) ? here : here.resolve("deploy");
        Map<String, Object> compose = new Yaml().load(Files.readString(deploy.resolve("compose/compose.yaml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        for (LocalRun.Service s : LocalRun.SERVICES) {
            Map<String, Object> env =
                    (Map<String, Object>) ((Map<String, Object>) services.get(s.name())).get("environment");
            assertEquals("0.0.0.0", String.valueOf(env.get("QUARKUS_HTTP_HOST")), s.name() + " in compose");
            String k8s = Files.readString(deploy.resolve("kubernetes").resolve(s.name() + ".yaml"));
            assertTrue(k8s.contains("{name: QUARKUS_HTTP_HOST, value: \"0.0.0.0\"}"), s.name() + " in kubernetes");
        }
    }
}
