package redress.intake.customer;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import redress.support.identity.Callers;
import redress.support.query.QueryParams;
import redress.support.security.Roles;

/**
 * Erasure of a customer's personal data (GDPR Art. 17) by destroying their data key: the cases
 * and the log stay whole and verifiable, the name and contact in them become unreadable.
 */
@Path("/customers/{customerId}/erasure")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ErasureResource {

    private final CustomerKeys keys;
    private final Callers callers;

    public ErasureResource(CustomerKeys keys, Callers callers) {
        this.keys = keys;
        this.callers = callers;
    }

    @RolesAllowed(Roles.SUPERVISOR)
    @POST
    @Transactional
    public CustomerKeys.Erasure erase(
            @PathParam("customerId") String customerId,
            @NotNull(message = "is required: send {\"reason\": ...}") @Valid EraseCustomer body) {
        return keys.erase(
                QueryParams.text(customerId, "customerId", 100),
                CustomerKeys.REQUEST,
                body.reason().trim(),
                callers.agent());
    }
}
