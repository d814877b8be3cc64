package redress.audit.checkpoint;

import java.net.URI;
import java.security.PublicKey;
import java.sql.SQLException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import redress.audit.access.AccessRecorder;
import redress.audit.access.AuditorRead;
import redress.support.paging.Cursor;
import redress.support.paging.Page;
import redress.support.paging.PageSize;
import redress.support.problem.ProblemException;
import redress.support.security.Roles;

@Path("/audit")
public class CheckpointResource {

    public static final String KEY_ID_HEADER = "Redress-Key-Id";

    private final Checkpoints checkpoints;
    private final Signer signer;
    private final AccessRecorder access;

    public CheckpointResource(Checkpoints checkpoints, Signer signer, AccessRecorder access) {
        this.checkpoints = checkpoints;
        this.signer = signer;
        this.access = access;
    }

    /** Signed checkpoints, oldest first. */
    @RolesAllowed(Roles.AUDITOR)
    @GET
    @Path("/checkpoints")
    @Produces(MediaType.APPLICATION_JSON)
    public Page<Checkpoint> list(@QueryParam("after") String after, @QueryParam("limit") String limit)
            throws SQLException {
        int n = PageSize.of(limit);
        List<Checkpoint> rows = checkpoints.list(Cursor.decodeSeq(after, "checkpoints"), n + 1);
        access.record(AuditorRead.of("checkpoints", "after", after, "limit", limit));
        return Page.keyset(rows, n, "checkpoints", cp -> new String[] {String.valueOf(cp.seq())});
    }

    /**
     * Signs the current head now: 201 with the new checkpoint, or 200 with the newest one when the
     * head is signed already.
     */
    @RolesAllowed(Roles.AUDITOR)
    @POST
    @Path("/checkpoints")
    @Produces(MediaType.APPLICATION_JSON)
    public Response checkpointNow() throws SQLException {
        Checkpoints.Made made = checkpoints.checkpointNow();
        if (made.checkpoint() == null) {
            throw ProblemException.conflict("empty-log", "The log has no entries to sign yet");
        }
        return made.created()
                ? Response.created(URI.create(
                                "/audit/checkpoints#" + made.checkpoint().seq()))
                        .entity(made.checkpoint())
                        .build()
                : Response.ok(made.checkpoint()).build();
    }

    /**
     * An Ed25519 public key that verifies checkpoints, PEM (SubjectPublicKeyInfo): the current one,
     * or with {@code keyId} any key of the keyring, retired ones included.
     */
    @RolesAllowed(Roles.AUDITOR)
    @GET
    @Path("/public-key")
    @Produces("application/x-pem-file")
    public Response publicKey(@QueryParam("keyId") String keyId) {
        if (keyId == null || keyId.isBlank()) {
            return Response.ok(signer.publicKeyPem())
                    .header(KEY_ID_HEADER, signer.keyId())
                    .build();
        }
        PublicKey key = signer.publicKey(keyId.trim());
        if (key == null) {
            throw ProblemException.notFound("Signing key", keyId.trim());
        }
        return Response.ok(Signer.publicKeyPem(key))
                .header(KEY_ID_HEADER, keyId.trim())
                .build();
    }
}
