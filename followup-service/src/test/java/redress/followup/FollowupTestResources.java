package redress.followup;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import redress.testsupport.RedressTestResource;

/** Every @QuarkusTest of this module runs against the JVM's real PostgreSQL and Kafka. */
@QuarkusTestResource(value = RedressTestResource.class, initArgs = @ResourceArg(name = "database", value = "followup"))
public class FollowupTestResources {}
