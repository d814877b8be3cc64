package redress.audit;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import redress.testsupport.RedressTestResource;

/** Every @QuarkusTest of this module: real PostgreSQL and Kafka, the service as its restricted role. */
@QuarkusTestResource(
        value = RedressTestResource.class,
        initArgs = {
            @ResourceArg(name = "database", value = "audit"),
            @ResourceArg(name = "role", value = "audit_writer")
        })
public class AuditTestResources {}
