package redress.events.payload;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The complaining customer. Personal data (name, contact) lives only here, apart from everything
 * else in a payload, so that it is encrypted per customer and erased by destroying the key.
 *
 * <p>Two forms share this record. <b>Clear</b> (schema version 1 of {@code complaint.received},
 * and what a key holder gets back from {@link redress.events.CustomerSeal#open}): {@code id},
 * {@code name}, {@code email}, {@code phone}. <b>Sealed</b> (version 2 on): {@code id} in clear,
 * the rest AES-256-GCM encrypted with the customer's data key: {@code enc} ({@code A256GCM}),
 * {@code kid} ({@code <customerId>:<keyVersion>}), {@code iv} and {@code ct} (base64url, no
 * padding). The customer id is not personal data here: it is the firm's own reference, and it is
 * also the {@code customerid} attribute of every envelope.
 *
 * @param id the firm's own id for the customer, the same whichever system submits
 */
public record Customer(
        String id, String name, String email, String phone, String enc, String kid, String iv, String ct) {

    public Customer(String id, String name, String email, String phone) {
        this(id, name, email, phone, null, null, null, null);
    }

    /** True when name and contact are encrypted ({@code ct} present): only a key holder can read them. */
    @JsonIgnore
    public boolean isSealed() {
        return ct != null;
    }
}
