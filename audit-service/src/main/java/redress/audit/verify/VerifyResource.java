package redress.audit.verify;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.sql.SQLException;
import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import redress.audit.access.AccessRecorder;
import redress.audit.access.AuditorRead;
import redress.audit.checkpoint.Checkpoint;
import redress.audit.checkpoint.Signer;
import redress.support.problem.Problem;
import redress.support.problem.ProblemException;
import redress.support.query.QueryParams;
import redress.support.security.Roles;

@Path("/audit/verify")
@Produces(MediaType.APPLICATION_JSON)
public class VerifyResource {

    /**
     * A checkpoint as the auditor kept it, from the API, the audit.checkpoints topic or an export
     * line (their extra fields, such as {@code algorithm} and {@code kind}, are ignored).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SavedCheckpoint(
            @NotNull @Positive Long seq,

            @NotBlank @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits")
            String chainHash,

            @NotNull Instant time,
            @NotBlank @Size(max = 64) String keyId,
            @NotBlank @Size(max = 512) String signature,
            /** The signed text; rebuilt from the fields when absent. */
            @Size(max = 1024) String statement,
            /** The PEM public key the auditor trusts; the keyring's key with {@code keyId} when absent. */
            @Size(max = 1024) String publicKey) {}

    private final Verifier verifier;
    private final Signer signer;
    private final VerifyConfig config;
    private final AccessRecorder access;

    public VerifyResource(Verifier verifier, Signer signer, VerifyConfig config, AccessRecorder access) {
        this.verifier = verifier;
        this.signer = signer;
        this.config = config;
        this.access = access;
    }

    @RolesAllowed(Roles.AUDITOR)
    @GET
    public Verifier.Report verify(@QueryParam("fromSeq") String fromSeq, @QueryParam("toSeq") String toSeq)
            throws SQLException {
        Long from = seq(fromSeq, "fromSeq");
        Long to = seq(toSeq, "toSeq");
        checkRange(from, to);
        long head = verifier.head();
        long entries = (to == null ? head : Math.min(to, head)) - (from == null ? 1 : from) + 1;
        if (entries > config.syncMaxEntries()) {
            // A long walk gives no sign of life here: the background form reports progress.
            throw new ProblemException(Problem.of(
                    422,
                    "verify-range-too-large",
                    "Range too large to verify at once",
                    entries + " entries to check; this answers at once up to " + config.syncMaxEntries()
                            + ". Start a verification with POST /audit/verifications (same fromSeq and toSeq) and follow "
                            + "its progress at the Location it answers"));
        }
        Verifier.Report report = verifier.verify(from, to);
        access.record(checked(AuditorRead.of("verify", "fromSeq", fromSeq, "toSeq", toSeq), report));
        return report;
    }

    /** The entries a walk checked: the last {@code entriesChecked} up to its head. */
    static AuditorRead checked(AuditorRead read, Verifier.Report report) {
        return read.entries(report.entriesChecked(), report.headSeq() - report.entriesChecked() + 1, report.headSeq())
                .verified(report.ok());
    }

    static void checkRange(Long from, Long to) {
        if (from != null && to != null && to < from) {
            throw ProblemException.invalidField("toSeq", "must not be below fromSeq");
        }
    }

    @RolesAllowed(Roles.AUDITOR)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Verifier.Extension verifyAgainst(
            @NotNull(message = "is required: send the checkpoint you kept") @Valid SavedCheckpoint saved)
            throws SQLException {
        PublicKey key = signer.publicKey(saved.keyId()); // current or retired; null: not in the keyring
        if (saved.publicKey() != null) {
            try {
                key = Signer.publicKeyFromPem(saved.publicKey());
            } catch (GeneralSecurityException e) {
                throw ProblemException.invalidField("publicKey", "must be an Ed25519 public key in PEM");
            }
        }
        String statement = saved.statement() != null
                ? saved.statement()
                : Checkpoint.statement(saved.seq(), saved.chainHash(), saved.time(), saved.keyId());
        Verifier.Extension extension = verifier.verifyAgainst(
                new Checkpoint(
                        saved.seq(), saved.chainHash(), saved.time(), saved.keyId(), statement, saved.signature()),
                key);
        AuditorRead read = AuditorRead.of(
                "verify-checkpoint",
                "seq",
                String.valueOf(saved.seq()),
                "chainHash",
                saved.chainHash(),
                "keyId",
                saved.keyId());
        read = extension.log() == null
                ? read.verified(extension.extendsCheckpoint())
                : checked(read, extension.log()).verified(extension.extendsCheckpoint());
        access.record(read);
        return extension;
    }

    static Long seq(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return QueryParams.number(raw, field, 1, "must be a sequence number, 1 or more");
    }
}
